/** Everything one sandbox instance holds in memory; each instance starts from a fresh seed. */
import type { IncomingMessage } from 'node:http';
import { AppointmentBook } from './appointment-book';
import { parisNow } from './calendar';
import { readCookie } from './http-io';
import { IdempotencyStore } from './idempotency';
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
}

export async function createPortalState(options: {
  tokenLifetimeSeconds?: number;
}): Promise<PortalState> {
  const clock = () => parisNow();
  const today = clock().date;
  return {
    tokens: await TokenService.create(),
    sessions: new SessionStore(),
    appointments: new AppointmentBook(
      seedAppointments(today),
      new Map(DOCTORS.map((d) => [d.id, d])),
      clock,
    ),
    records: seedRecords(today),
    idempotency: new IdempotencyStore(),
    ownOrigins: new Set(),
    tokenLifetimeSeconds: options.tokenLifetimeSeconds,
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
