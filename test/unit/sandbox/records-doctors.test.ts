import { beforeAll, describe, expect, it } from 'vitest';
import { CAMILLE, call, DR_MARTIN_ID, firstFreeSlot, LUCAS, useSandbox } from './sandbox-client';

const sandbox = useSandbox();

interface MedicalRecord {
  id: string;
  type: string;
  date: string;
  title: string;
  summary: string;
  doctor?: { id: string; name: string };
  values?: Array<{ name: string; value: number; unit: string; referenceRange?: string }>;
}
interface Doctor {
  id: string;
  name: string;
  specialty: string;
  hospital: string;
  city: string;
}

let camille: string;
let lucas: string;
beforeAll(async () => {
  camille = (
    await sandbox.current.issueToken({
      email: CAMILLE.email,
      scopes: ['read:data', 'book:appointments'],
    })
  ).token;
  lucas = (
    await sandbox.current.issueToken({
      email: LUCAS.email,
      scopes: ['read:data', 'book:appointments'],
    })
  ).token;
});

const records = async (token: string, query = '') =>
  (await call<{ records: MedicalRecord[] }>(sandbox.current, `/api/mcp/records${query}`, { token }))
    .body.records;
const doctors = async (query = '') =>
  (
    await call<{ doctors: Doctor[] }>(sandbox.current, `/api/mcp/doctors${query}`, {
      token: camille,
    })
  ).body.doctors;

describe('sandbox portal: medical records', () => {
  it('returns records of every type, latest first, with lab values in real units', async () => {
    const all = await records(camille);
    expect(new Set(all.map((r) => r.type))).toEqual(
      new Set(['consultation', 'lab_result', 'prescription', 'imaging', 'vaccination']),
    );
    expect(all.map((r) => r.date)).toEqual([...all.map((r) => r.date)].sort().reverse());
    const labs = all.filter((r) => r.type === 'lab_result').flatMap((r) => r.values ?? []);
    expect(labs).toContainEqual(
      expect.objectContaining({
        name: 'Hémoglobine',
        unit: 'g/dL',
        referenceRange: expect.any(String),
      }),
    );
    expect(labs.some((v) => v.unit === 'mmol/L')).toBe(true);
    expect(labs.every((v) => typeof v.value === 'number')).toBe(true);
  });

  it('filters by type and refuses an unknown type with 422', async () => {
    const labs = await records(camille, '?type=lab_result');
    expect(labs.length).toBeGreaterThan(0);
    expect(labs.every((r) => r.type === 'lab_result')).toBe(true);
    expect(
      (await call(sandbox.current, '/api/mcp/records?type=xray', { token: camille })).status,
    ).toBe(422);
  });
});

describe('sandbox portal: doctors', () => {
  it('finds Dr. Martin by name, ignoring case and accents', async () => {
    expect((await doctors('?q=martin')).map((d) => d.id)).toEqual([DR_MARTIN_ID]);
    expect((await doctors('?q=HELENE')).map((d) => d.name)).toEqual(['Dr. Hélène Garnier']);
    expect((await doctors('?q=lefevre')).map((d) => d.name)).toEqual(['Dr. Jean-Luc Lefèvre']);
    expect(await doctors('?q=nobody')).toEqual([]);
  });

  it('filters by specialty and lists doctors across several specialties and cities', async () => {
    const all = await doctors();
    expect(new Set(all.map((d) => d.specialty)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(all.map((d) => d.city)).size).toBeGreaterThanOrEqual(3);
    expect(Object.keys(all[0] ?? {}).sort()).toEqual([
      'city',
      'hospital',
      'id',
      'name',
      'specialty',
    ]);
    const gps = await doctors('?specialty=medecine%20generale');
    expect(gps.length).toBe(2);
    expect(gps.every((d) => d.specialty === 'Médecine générale')).toBe(true);
    expect((await doctors('?specialty=Cardiologie&q=lef')).map((d) => d.specialty)).toEqual([
      'Cardiologie',
    ]);
  });
});

describe('sandbox portal: patient isolation', () => {
  it('never shows one patient’s appointments or records to the other', async () => {
    const slot = await firstFreeSlot(sandbox.current, camille, DR_MARTIN_ID);
    const booked = await call<{ appointment: { id: string } }>(sandbox.current, '/api/mcp/book', {
      method: 'POST',
      token: camille,
      json: { date: slot.date, time: slot.time, doctorId: DR_MARTIN_ID, reason: 'privé' },
    });
    const camilleIds = (
      await call<{ appointments: Array<{ id: string }> }>(
        sandbox.current,
        '/api/mcp/appointments?limit=100',
        {
          token: camille,
        },
      )
    ).body.appointments.map((a) => a.id);
    expect(camilleIds).toContain(booked.body.appointment.id);
    const lucasView = await call(sandbox.current, '/api/mcp/appointments?limit=100', {
      token: lucas,
    });
    const lucasIds = (lucasView.body['appointments'] as Array<{ id: string }>).map((a) => a.id);
    expect(lucasIds.length).toBeGreaterThan(0);
    expect(lucasIds.filter((id) => camilleIds.includes(id))).toEqual([]);
    expect(JSON.stringify(lucasView.body)).not.toContain('privé');

    const camilleRecords = (await records(camille)).map((r) => r.id);
    const lucasRecords = (await records(lucas)).map((r) => r.id);
    expect(lucasRecords.length).toBeGreaterThan(0);
    expect(lucasRecords.filter((id) => camilleRecords.includes(id))).toEqual([]);
  });

  it('takes the patient from the token, never from a parameter', async () => {
    const res = await call(
      sandbox.current,
      `/api/mcp/records?patientId=${CAMILLE.id}&sub=${CAMILLE.id}`,
      {
        token: lucas,
      },
    );
    const ids = (res.body['records'] as MedicalRecord[]).map((r) => r.id);
    expect(ids).toEqual((await records(lucas)).map((r) => r.id));
    expect(ids.filter((id) => id.startsWith('rec_c'))).toEqual([]);
    const validate = await call(sandbox.current, '/api/mcp/validate', {
      method: 'POST',
      token: lucas,
    });
    expect(validate.body['user']).toMatchObject({ id: LUCAS.id, email: LUCAS.email });
  });
});
