/** Everything one sandbox instance holds in memory; each instance starts from a fresh seed. */
import type { IncomingMessage } from 'node:http';
import { AppointmentBook } from './appointment-book';
import { parisNow } from './calendar';
import { readCookie } from './http-io';
import { IdempotencyStore } from './idempotency';
import { loadPatients } from './load-patients';
import {
  DOCTORS,
  type MedicalRecord,
  PATIENTS,
  type Patient,
  seedAppointments,
  seedRecords,
} from './seed-data';
import { SESSION_COOKIE, type Session, SessionStore } from './session-store';
import { TokenService } from './token-service';

export interface PortalState {
  tokens: TokenService;
  sessions: SessionStore;
  appointments: AppointmentBook;
  records: ReadonlyMap<string, MedicalRecord[]>;
  idempotency: IdempotencyStore;
  /** `http://127.0.0.1:PORT` and `http://localhost:PORT`, known once listening. */
  ownOrigins: Set<string>;
  tokenLifetimeSeconds: number | undefined;
  /** Synthetic patients of load tests, by id (no dashboard login). */
  extraPatients: ReadonlyMap<string, Patient>;
}

export async function createPortalState(options: {
  tokenLifetimeSeconds?: number;
  extraPatients?: number;
}): Promise<PortalState> {
  const clock = () => parisNow();
  const today = clock().date;
  const extra = loadPatients(options.extraPatients ?? 0, today);
  return {
    tokens: await TokenService.create(),
    sessions: new SessionStore(),
    appointments: new AppointmentBook(
      [...seedAppointments(today), ...extra.appointments],
      new Map(DOCTORS.map((d) => [d.id, d])),
      clock,
    ),
    records: new Map([...seedRecords(today), ...extra.records]),
    idempotency: new IdempotencyStore(),
    ownOrigins: new Set(),
    tokenLifetimeSeconds: options.tokenLifetimeSeconds,
    extraPatients: new Map(extra.patients.map((p) => [p.id, p])),
  };
}

export const patientById = (id: string): Patient | undefined => PATIENTS.find((p) => p.id === id);

export const patientByEmail = (email: string): Patient | undefined =>
  PATIENTS.find((p) => p.email === email.trim().toLowerCase());

export function checkCredentials(email: unknown, password: unknown): Patient | undefined {
  if (typeof email !== 'string' || typeof password !== 'string') return undefined;
  const patient = patientByEmail(email);
  return patient && patient.password === password ? patient : undefined;
}

/** The logged-in patient of this request, if its session cookie is valid. */
export function sessionOf(
  state: PortalState,
  req: IncomingMessage,
): { session: Session; patient: Patient } | undefined {
  const session = state.sessions.get(readCookie(req, SESSION_COOKIE));
  const patient = session && patientById(session.patientId);
  return session && patient ? { session, patient } : undefined;
}
