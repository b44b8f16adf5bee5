/**
 * Appointments and doctors' diaries: listing, free slots, booking and cancelling. Doctors
 * consult on weekdays, 09:00–17:00, in 30-minute slots; a slot is free unless any patient holds
 * a non-cancelled appointment in it (slots never say whose).
 */
import { randomBytes } from 'node:crypto';
import {
  absoluteMinutes,
  addDays,
  isBefore,
  isWeekday,
  minutesOf,
  timeOf,
  type WallClock,
} from './calendar';
import { notFound, PortalError, validationError } from './errors';
import type { AppointmentStatus, Doctor, StoredAppointment } from './seed-data';

export const SLOT_MINUTES = 30;
export const OPENING_HOURS = { start: '09:00', end: '17:00' } as const;
/** How far ahead a booking may be made. */
const BOOKING_HORIZON_DAYS = 365;
const ALTERNATIVES = 3;

export interface Slot {
  date: string;
  time: string;
  durationMinutes: number;
}

export function appointmentView(a: StoredAppointment, doctor: Doctor) {
  return {
    id: a.id,
    date: a.date,
    time: a.time,
    durationMinutes: a.durationMinutes,
    status: a.status,
    reason: a.reason,
    doctor: { id: doctor.id, name: doctor.name, specialty: doctor.specialty },
    location: { hospital: doctor.hospital, address: doctor.address },
  };
}
export type Appointment = ReturnType<typeof appointmentView>;

export interface BookRequest {
  date: string;
  time: string;
  doctorId: string;
  reason: string;
}

export class AppointmentBook {
  constructor(
    private readonly appointments: StoredAppointment[],
    private readonly doctors: ReadonlyMap<string, Doctor>,
    private readonly clock: () => WallClock,
  ) {}

  /** Upcoming first (soonest first), then past ones (latest first). */
  list(patientId: string, filter: { status?: AppointmentStatus; limit: number }): Appointment[] {
    const now = this.clock();
    const mine = this.appointments.filter(
      (a) => a.patientId === patientId && (!filter.status || a.status === filter.status),
    );
    const upcoming = mine.filter((a) => !isBefore(a, now)).sort(chronological);
    const past = mine.filter((a) => isBefore(a, now)).sort((a, b) => chronological(b, a));
    return [...upcoming, ...past].slice(0, filter.limit).map((a) => this.view(a));
  }

  /** The next appointments still to happen (for the dashboard), soonest first. */
  upcoming(patientId: string, limit: number): Appointment[] {
    const now = this.clock();
    return this.appointments
      .filter(
        (a) => a.patientId === patientId && (a.status === 'confirmed' || a.status === 'pending'),
      )
      .filter((a) => !isBefore(a, now))
      .sort(chronological)
      .slice(0, limit)
      .map((a) => this.view(a));
  }

  doctor(id: string): Doctor {
    const doctor = this.doctors.get(id);
    if (!doctor) throw notFound(`No doctor with id "${id}"`);
    return doctor;
  }

  freeSlots(doctorId: string, from: string, days: number): Slot[] {
    this.doctor(doctorId);
    const slots: Slot[] = [];
    for (let i = 0; i < days; i++) slots.push(...this.freeSlotsOn(doctorId, addDays(from, i)));
    return slots;
  }

  book(patientId: string, request: BookRequest): Appointment {
    const doctor = this.doctor(request.doctorId);
    const now = this.clock();
    if (!isBefore(now, request)) {
      throw validationError(
        [{ field: request.date < now.date ? 'date' : 'time', message: 'must be in the future' }],
        'Appointments can only be booked in the future',
      );
    }
    if (request.date > addDays(now.date, BOOKING_HORIZON_DAYS)) {
      throw validationError([
        { field: 'date', message: `at most ${BOOKING_HORIZON_DAYS} days ahead` },
      ]);
    }
    if (!this.isFree(doctor.id, request.date, request.time)) {
      throw new PortalError(
        409,
        'slot_unavailable',
        `${doctor.name} is not available on ${request.date} at ${request.time}`,
        {
          body: { alternatives: this.nearestFreeSlots(doctor.id, request.date, request.time) },
        },
      );
    }
    const appointment: StoredAppointment = {
      id: `apt_${randomBytes(6).toString('hex')}`,
      patientId,
      doctorId: doctor.id,
      date: request.date,
      time: request.time,
      durationMinutes: SLOT_MINUTES,
      status: 'confirmed',
      reason: request.reason,
    };
    this.appointments.push(appointment);
    return this.view(appointment);
  }

  /** Cancelling twice is harmless; a past appointment cannot be cancelled. */
  cancel(patientId: string, id: string): Appointment {
    const appointment = this.appointments.find((a) => a.id === id && a.patientId === patientId);
    if (!appointment) throw notFound(`No appointment with id "${id}"`);
    if (appointment.status !== 'cancelled') {
      if (appointment.status === 'completed' || isBefore(appointment, this.clock())) {
        throw validationError([
          { field: 'id', message: 'this appointment has already taken place' },
        ]);
      }
      appointment.status = 'cancelled';
    }
    return this.view(appointment);
  }

  private view(a: StoredAppointment): Appointment {
    return appointmentView(a, this.doctor(a.doctorId));
  }

  private freeSlotsOn(doctorId: string, date: string): Slot[] {
    const slots: Slot[] = [];
    if (!isWeekday(date)) return slots;
    for (
      let m = minutesOf(OPENING_HOURS.start);
      m < minutesOf(OPENING_HOURS.end);
      m += SLOT_MINUTES
    ) {
      const time = timeOf(m);
      if (this.isFree(doctorId, date, time))
        slots.push({ date, time, durationMinutes: SLOT_MINUTES });
    }
    return slots;
  }

  private isFree(doctorId: string, date: string, time: string): boolean {
    const minutes = minutesOf(time);
    const now = this.clock();
    return (
      isWeekday(date) &&
      minutes % SLOT_MINUTES === 0 &&
      minutes >= minutesOf(OPENING_HOURS.start) &&
      minutes < minutesOf(OPENING_HOURS.end) &&
      isBefore(now, { date, time }) &&
      !this.appointments.some(
        (a) =>
          a.doctorId === doctorId && a.date === date && a.time === time && a.status !== 'cancelled',
      )
    );
  }

  /** The free slots closest in time to the one asked for, nearest first. */
  private nearestFreeSlots(
    doctorId: string,
    date: string,
    time: string,
  ): Array<{ date: string; time: string }> {
    const target = absoluteMinutes(date, time);
    const today = this.clock().date;
    // Search a week either side of the request, never before today.
    const from = [addDays(date, -7), today].sort().at(-1) ?? today;
    return this.freeSlots(doctorId, from, 22)
      .map((s) => ({
        date: s.date,
        time: s.time,
        distance: Math.abs(absoluteMinutes(s.date, s.time) - target),
      }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, ALTERNATIVES)
      .map(({ date: d, time: t }) => ({ date: d, time: t }));
  }
}

const chronological = (a: StoredAppointment, b: StoredAppointment) =>
  a.date === b.date ? a.time.localeCompare(b.time) : a.date.localeCompare(b.date);
