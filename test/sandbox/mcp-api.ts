/**
 * The bearer API the relay calls (HOSPIAI-API.md §2), base `/api/mcp`. The patient is always
 * the token's `sub`; no route takes a patient id.
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { isCalendarDate, isClockTime } from './calendar';
import { bearerError, insufficientScope, validationError } from './errors';
import { parseJson, readBody, sendJson } from './http-io';
import { type PortalState, patientById } from './portal-state';
import type { RequestContext, Router } from './router';
import { APPOINTMENT_STATUSES, DOCTORS, type Patient, RECORD_TYPES } from './seed-data';
import type { TokenRecord } from './token-service';
import { parseOr422 } from './validation';

export const MCP_BASE = '/api/mcp';

const calendarDate = z.string().refine(isCalendarDate, 'expected a date as YYYY-MM-DD');

const AppointmentsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  status: z.enum(APPOINTMENT_STATUSES).optional(),
});
const RecordsQuery = z.object({ type: z.enum(RECORD_TYPES).optional() });
const DoctorsQuery = z.object({ q: z.string().optional(), specialty: z.string().optional() });
const SlotsQuery = z.object({
  date: calendarDate,
  days: z.coerce.number().int().min(1).max(14).default(1),
});
const BookBody = z.object({
  date: calendarDate,
  time: z.string().refine(isClockTime, 'expected a time as HH:MM'),
  doctorId: z.string().min(1),
  reason: z.string().trim().max(500).default('Consultation'),
});
const IdempotencyKey = z.string().min(1).max(255);

const query = (url: URL) => Object.fromEntries(url.searchParams);

/** Accent- and case-insensitive text for searches ("helene" finds "Hélène"). */
const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

interface Bearer {
  patient: Patient;
  record: TokenRecord;
  scopes: string[];
}

async function authenticate(
  state: PortalState,
  req: IncomingMessage,
  scope?: string,
): Promise<Bearer> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match?.[1]) throw bearerError('invalid_token', 'Missing bearer token');
  const { record, scopes } = await state.tokens.verify(match[1]);
  const patient = patientById(record.patientId) ?? state.extraPatients.get(record.patientId);
  if (!patient) throw bearerError('invalid_token', 'Token invalide');
  state.tokens.touch(record);
  if (scope && !scopes.includes(scope)) throw insufficientScope(scope);
  return { patient, record, scopes };
}

export function registerMcpApi(router: Router, state: PortalState): void {
  const on = (method: string, path: string, handler: (ctx: RequestContext) => Promise<void>) =>
    router.on(method, `${MCP_BASE}${path}`, handler);

  on('POST', '/validate', async ({ req, res }) => {
    const { patient, record, scopes } = await authenticate(state, req);
    sendJson(res, 200, {
      valid: true,
      user: {
        id: patient.id,
        email: patient.email,
        firstname: patient.firstname,
        surname: patient.surname,
      },
      token: {
        id: record.id,
        name: record.name,
        scopes: record.scopes,
        expiresAt: record.expiresAt,
      },
      scopes,
    });
  });

  on('GET', '/appointments', async ({ req, res, url }) => {
    const { patient } = await authenticate(state, req, 'read:data');
    const filter = parseOr422(AppointmentsQuery, query(url));
    sendJson(res, 200, { appointments: state.appointments.list(patient.id, filter) });
  });

  on('POST', '/book', async ({ req, res }) => {
    const { patient } = await authenticate(state, req, 'book:appointments');
    const body = parseOr422(BookBody, parseJson(await readBody(req)));
    const key = req.headers['idempotency-key'];
    if (key !== undefined && !IdempotencyKey.safeParse(key).success) {
      throw validationError([
        { field: 'Idempotency-Key', message: 'expected 1 to 255 characters' },
      ]);
    }
    const fingerprint = JSON.stringify([body.date, body.time, body.doctorId, body.reason]);
    if (typeof key === 'string') {
      const previous = state.idempotency.replay(patient.id, key, fingerprint);
      if (previous) {
        sendJson(res, previous.status, previous.body, { 'Idempotent-Replayed': 'true' });
        return;
      }
    }
    const answer = { appointment: state.appointments.book(patient.id, body) };
    if (typeof key === 'string')
      state.idempotency.remember(patient.id, key, fingerprint, 201, answer);
    sendJson(res, 201, answer);
  });

  on('POST', '/appointments/:id/cancel', async ({ req, res, params }) => {
    const { patient } = await authenticate(state, req, 'book:appointments');
    sendJson(res, 200, { appointment: state.appointments.cancel(patient.id, params['id'] ?? '') });
  });

  on('GET', '/records', async ({ req, res, url }) => {
    const { patient } = await authenticate(state, req, 'read:data');
    const { type } = parseOr422(RecordsQuery, query(url));
    const records = (state.records.get(patient.id) ?? [])
      .filter((r) => !type || r.type === type)
      .sort((a, b) => b.date.localeCompare(a.date));
    sendJson(res, 200, { records });
  });

  on('GET', '/doctors', async ({ req, res, url }) => {
    await authenticate(state, req, 'read:data');
    const { q, specialty } = parseOr422(DoctorsQuery, query(url));
    const doctors = DOCTORS.filter(
      (d) =>
        (!q || fold(d.name).includes(fold(q.trim()))) &&
        (!specialty || fold(d.specialty).includes(fold(specialty.trim()))),
    ).map(({ id, name, specialty: s, hospital, city }) => ({
      id,
      name,
      specialty: s,
      hospital,
      city,
    }));
    sendJson(res, 200, { doctors });
  });

  on('GET', '/doctors/:id/slots', async ({ req, res, url, params }) => {
    await authenticate(state, req, 'read:data');
    const { date, days } = parseOr422(SlotsQuery, query(url));
    sendJson(res, 200, { slots: state.appointments.freeSlots(params['id'] ?? '', date, days) });
  });
}
