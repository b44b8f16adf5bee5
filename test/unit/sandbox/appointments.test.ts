import { beforeAll, describe, expect, it } from 'vitest';
import { parisNow } from '../../sandbox/calendar';
import {
  CAMILLE,
  call,
  DR_MARTIN_ID,
  firstFreeSlot,
  LUCAS,
  type Slot,
  useSandbox,
} from './sandbox-client';

const sandbox = useSandbox();
const SCOPES = ['read:data', 'book:appointments'];

interface Appointment {
  id: string;
  date: string;
  time: string;
  durationMinutes: number;
  status: string;
  reason: string;
  doctor: { id: string; name: string; specialty: string };
  location: { hospital: string; address: string };
}

let camille: string;
let lucas: string;
beforeAll(async () => {
  camille = (await sandbox.current.issueToken({ email: CAMILLE.email, scopes: SCOPES })).token;
  lucas = (await sandbox.current.issueToken({ email: LUCAS.email, scopes: SCOPES })).token;
});

const list = async (token: string, query = '') =>
  (
    await call<{ appointments: Appointment[] }>(sandbox.current, `/api/mcp/appointments${query}`, {
      token,
    })
  ).body.appointments;

const book = (token: string, json: unknown, headers: Record<string, string> = {}) =>
  call<{ appointment: Appointment; alternatives?: Array<{ date: string; time: string }> }>(
    sandbox.current,
    '/api/mcp/book',
    { method: 'POST', token, json, headers },
  );

const slotsOf = async (token: string, doctorId: string, date: string, days = 1) =>
  (
    await call<{ slots: Slot[] }>(
      sandbox.current,
      `/api/mcp/doctors/${doctorId}/slots?date=${date}&days=${days}`,
      { token },
    )
  ).body.slots;

const stamp = (a: { date: string; time: string }) => `${a.date} ${a.time}`;

describe('sandbox portal: appointments', () => {
  it('lists upcoming appointments first (soonest first), then past ones (latest first)', async () => {
    const appointments = await list(camille, '?limit=100');
    const now = parisNow();
    const nowStamp = stamp(now);
    const upcoming = appointments.filter((a) => stamp(a) >= nowStamp);
    const past = appointments.filter((a) => stamp(a) < nowStamp);
    expect(upcoming.length).toBeGreaterThanOrEqual(4);
    expect(past.length).toBeGreaterThanOrEqual(2);
    expect(appointments).toEqual([...upcoming, ...past]);
    expect(upcoming.map(stamp)).toEqual([...upcoming.map(stamp)].sort());
    expect(past.map(stamp)).toEqual([...past.map(stamp)].sort().reverse());
    expect(past.every((a) => a.status === 'completed')).toBe(true);
    expect(appointments.some((a) => a.status === 'cancelled')).toBe(true);
    expect(appointments[0]).toMatchObject({
      durationMinutes: 30,
      doctor: {
        id: expect.any(String),
        name: expect.stringMatching(/^Dr\. /),
        specialty: expect.any(String),
      },
      location: { hospital: expect.any(String), address: expect.any(String) },
    });
  });

  it('honours limit (default 10) and the status filter, and refuses bad values with 422', async () => {
    expect(await list(camille, '?limit=2')).toHaveLength(2);
    expect((await list(camille)).length).toBeLessThanOrEqual(10);
    const cancelled = await list(camille, '?status=cancelled');
    expect(cancelled.length).toBeGreaterThan(0);
    expect(cancelled.every((a) => a.status === 'cancelled')).toBe(true);
    for (const query of ['?limit=0', '?limit=101', '?limit=abc', '?status=lost']) {
      const res = await call(sandbox.current, `/api/mcp/appointments${query}`, { token: camille });
      expect(res.status, query).toBe(422);
      expect(res.body['code'], query).toBe('validation_error');
    }
  });

  it('books a free slot: 201, listed among the appointments, and the slot is no longer free', async () => {
    const slot = await firstFreeSlot(sandbox.current, camille, DR_MARTIN_ID);
    const res = await book(camille, {
      date: slot.date,
      time: slot.time,
      doctorId: DR_MARTIN_ID,
      reason: 'Vaccin',
    });
    expect(res.status).toBe(201);
    expect(res.body.appointment).toMatchObject({
      date: slot.date,
      time: slot.time,
      status: 'confirmed',
      reason: 'Vaccin',
      doctor: { id: DR_MARTIN_ID, name: 'Dr. Sophie Martin' },
    });
    expect((await list(camille, '?limit=100')).map((a) => a.id)).toContain(res.body.appointment.id);
    const slots = await slotsOf(camille, DR_MARTIN_ID, slot.date);
    expect(slots.map((s) => s.time)).not.toContain(slot.time);
  });

  it('answers 409 slot_unavailable with free alternatives when the slot is taken or outside hours', async () => {
    const taken = await firstFreeSlot(sandbox.current, lucas, DR_MARTIN_ID);
    expect(
      (
        await book(lucas, {
          date: taken.date,
          time: taken.time,
          doctorId: DR_MARTIN_ID,
          reason: 'x',
        })
      ).status,
    ).toBe(201);
    const attempts = [
      { date: taken.date, time: taken.time },
      { date: taken.date, time: '19:00' },
      { date: taken.date, time: '10:15' },
    ];
    for (const attempt of attempts) {
      const res = await book(camille, { ...attempt, doctorId: DR_MARTIN_ID, reason: 'x' });
      expect(res.status, attempt.time).toBe(409);
      expect(res.body).toMatchObject({ code: 'slot_unavailable', error: expect.any(String) });
      const alternatives = res.body.alternatives ?? [];
      expect(alternatives).toHaveLength(3);
      const earliest = alternatives.map((a) => a.date).sort()[0] ?? '';
      const free = await slotsOf(camille, DR_MARTIN_ID, earliest, 14);
      for (const alt of alternatives) {
        expect(free, JSON.stringify(alt)).toContainEqual({ ...alt, durationMinutes: 30 });
      }
    }
  });

  it('offers the nearest free slots first', async () => {
    const [first, second] = [
      await firstFreeSlot(sandbox.current, camille, 'doc_1b6e4c83', 2),
      await firstFreeSlot(sandbox.current, camille, 'doc_1b6e4c83', 3),
    ];
    await book(lucas, { date: first?.date, time: first?.time, doctorId: 'doc_1b6e4c83' });
    await book(lucas, { date: second?.date, time: second?.time, doctorId: 'doc_1b6e4c83' });
    const res = await book(camille, {
      date: first?.date,
      time: first?.time,
      doctorId: 'doc_1b6e4c83',
    });
    const all = await slotsOf(camille, 'doc_1b6e4c83', first?.date ?? '', 1);
    const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
    const target = minutes(first?.time ?? '');
    const nearest = [...all].sort(
      (a, b) => Math.abs(minutes(a.time) - target) - Math.abs(minutes(b.time) - target),
    );
    expect(res.body.alternatives?.[0]).toEqual({ date: nearest[0]?.date, time: nearest[0]?.time });
  });

  it.each([
    [{ date: '05/01/2099', time: '10:00', doctorId: DR_MARTIN_ID }, ['date']],
    [{ date: '2099-02-30', time: '10:00', doctorId: DR_MARTIN_ID }, ['date']],
    [{ date: '2099-01-05', time: '10h', doctorId: DR_MARTIN_ID }, ['time']],
    [{ date: '2099-01-05', time: '10:00' }, ['doctorId']],
    [{ time: 'x', doctorId: 7 }, ['date', 'time', 'doctorId']],
    [{ date: '2020-01-06', time: '10:00', doctorId: DR_MARTIN_ID }, ['date']],
  ])('refuses %j with 422 validation_error listing %j', async (json, fields) => {
    const res = await call<{ code: string; details: Array<{ field: string; message: string }> }>(
      sandbox.current,
      '/api/mcp/book',
      { method: 'POST', token: camille, json },
    );
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('validation_error');
    expect(res.body.details.map((d) => d.field).sort()).toEqual([...fields].sort());
  });

  it('answers 404 not_found for an unknown doctor', async () => {
    const res = await book(camille, { date: '2099-01-05', time: '10:00', doctorId: 'doc_nobody' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found' });
  });

  it('replays the same 201 for a repeated Idempotency-Key and books only once', async () => {
    const slot = await firstFreeSlot(sandbox.current, camille, 'doc_9e4b3f11');
    const body = { date: slot.date, time: slot.time, doctorId: 'doc_9e4b3f11', reason: 'ECG' };
    const headers = { 'idempotency-key': 'booking-42' };
    const first = await book(camille, body, headers);
    const second = await book(camille, body, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const mine = (await list(camille, '?limit=100')).filter(
      (a) => a.doctor.id === 'doc_9e4b3f11' && stamp(a) === stamp(slot),
    );
    expect(mine).toHaveLength(1);

    const changed = await book(camille, { ...body, reason: 'autre motif' }, headers);
    expect(changed.status).toBe(422);
    expect(changed.body).toMatchObject({
      code: 'validation_error',
      details: [{ field: 'Idempotency-Key' }],
    });

    // The key belongs to Camille: the same key from Lucas is a new booking attempt (slot now taken).
    expect((await book(lucas, body, headers)).status).toBe(409);
  });

  it('cancels the patient’s own appointment and frees its slot; cancelling again is harmless', async () => {
    const slot = await firstFreeSlot(sandbox.current, camille, 'doc_3a8c6e52');
    const booked = await book(camille, {
      date: slot.date,
      time: slot.time,
      doctorId: 'doc_3a8c6e52',
    });
    const id = booked.body.appointment.id;
    const res = await call<{ appointment: Appointment }>(
      sandbox.current,
      `/api/mcp/appointments/${id}/cancel`,
      {
        method: 'POST',
        token: camille,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.appointment).toMatchObject({ id, status: 'cancelled' });
    expect((await list(camille, '?status=cancelled')).map((a) => a.id)).toContain(id);
    expect((await slotsOf(camille, 'doc_3a8c6e52', slot.date)).map((s) => s.time)).toContain(
      slot.time,
    );
    const again = await call(sandbox.current, `/api/mcp/appointments/${id}/cancel`, {
      method: 'POST',
      token: camille,
    });
    expect(again.status).toBe(200);
  });

  it('answers 404 when cancelling another patient’s appointment and leaves it untouched', async () => {
    const lucasAppointment = (await list(lucas)).find((a) => a.status === 'confirmed');
    expect(lucasAppointment).toBeDefined();
    const res = await call(
      sandbox.current,
      `/api/mcp/appointments/${lucasAppointment?.id}/cancel`,
      {
        method: 'POST',
        token: camille,
      },
    );
    expect(res.status).toBe(404);
    expect(res.body['code']).toBe('not_found');
    const after = (await list(lucas, '?limit=100')).find((a) => a.id === lucasAppointment?.id);
    expect(after?.status).toBe('confirmed');
  });

  it('refuses to cancel an appointment that already took place', async () => {
    const past = (await list(camille, '?status=completed'))[0];
    const res = await call(sandbox.current, `/api/mcp/appointments/${past?.id}/cancel`, {
      method: 'POST',
      token: camille,
    });
    expect(res.status).toBe(422);
  });
});

describe('sandbox portal: slots', () => {
  it('lists free 30-minute weekday slots between 09:00 and 17:00, without booked ones', async () => {
    const mine = (await list(camille, '?limit=100')).find(
      (a) => a.doctor.id === DR_MARTIN_ID && a.status === 'confirmed',
    );
    const date = mine?.date ?? '';
    const slots = await slotsOf(camille, DR_MARTIN_ID, date, 7);
    expect(slots.length).toBeGreaterThan(0);
    for (const s of slots) {
      expect(s.durationMinutes).toBe(30);
      expect(s.time >= '09:00' && s.time < '17:00').toBe(true);
      expect(['00', '30']).toContain(s.time.slice(3));
      expect([0, 6]).not.toContain(new Date(`${s.date}T12:00:00Z`).getUTCDay());
    }
    // Camille's and Lucas's seeded appointments with Dr. Martin on that day are both gone.
    const lucasThere = (await list(lucas, '?limit=100')).filter(
      (a) => a.doctor.id === DR_MARTIN_ID && a.date === date,
    );
    for (const held of [mine, ...lucasThere]) {
      expect(slots).not.toContainEqual({ date: held?.date, time: held?.time, durationMinutes: 30 });
    }
  });

  it('validates date and days (1..14) and answers 404 for an unknown doctor', async () => {
    for (const query of [
      '',
      '?date=tomorrow',
      '?date=2099-01-05&days=0',
      '?date=2099-01-05&days=15',
    ]) {
      const res = await call(sandbox.current, `/api/mcp/doctors/${DR_MARTIN_ID}/slots${query}`, {
        token: camille,
      });
      expect(res.status, query).toBe(422);
    }
    const unknown = await call(
      sandbox.current,
      '/api/mcp/doctors/doc_nobody/slots?date=2099-01-05',
      { token: camille },
    );
    expect(unknown.status).toBe(404);
  });
});
