/**
 * Synthetic patients for load tests (`extraPatients`): each has its own past appointments and a
 * record whose ids name the patient, so a benchmark can check that every answer belongs to its
 * caller. They have no password (no dashboard login); tokens come from `issueToken`.
 */
import { addDays, nearestWeekday } from './calendar';
import { DOCTORS, type MedicalRecord, type Patient, type StoredAppointment } from './seed-data';

export function loadPatients(count: number, today: string) {
  const patients: Patient[] = [];
  const appointments: StoredAppointment[] = [];
  const records = new Map<string, MedicalRecord[]>();
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(4, '0');
    const id = `pat_load${n}`;
    patients.push({
      id,
      email: `patient${n}@load.hospiai.test`,
      password: '',
      firstname: 'Patient',
      surname: `Charge ${n}`,
      name: `Patient Charge ${n}`,
    });
    for (const k of [1, 2]) {
      const doctor = DOCTORS[(i + k) % DOCTORS.length] as (typeof DOCTORS)[number];
      appointments.push({
        id: `apt_load${n}_${k}`,
        patientId: id,
        doctorId: doctor.id,
        // In the past: they never take a slot that a booking test wants.
        date: nearestWeekday(addDays(today, -(k * 30 + (i % 25))), -1),
        time: k === 1 ? '09:00' : '14:30',
        durationMinutes: 30,
        status: 'completed',
        reason: `Consultation de suivi ${n}-${k}`,
      });
    }
    records.set(id, [
      {
        id: `rec_load${n}`,
        type: 'consultation',
        date: nearestWeekday(addDays(today, -30 - (i % 25)), -1),
        title: `Consultation ${n}`,
        summary: 'Consultation de suivi, examen normal.',
      },
    ]);
  }
  return { patients, appointments, records };
}
