/**
 * `Idempotency-Key` for bookings: the same key from the same patient replays the first 201
 * instead of booking again; the same key with a different body is refused (422).
 */
import { validationError } from './errors';

interface Remembered {
  fingerprint: string;
  status: number;
  body: unknown;
}

export class IdempotencyStore {
  private readonly entries = new Map<string, Remembered>();

  /** The remembered response for this key, if any; throws when the body differs. */
  replay(patientId: string, key: string, fingerprint: string): Remembered | undefined {
    const entry = this.entries.get(`${patientId}\n${key}`);
    if (entry && entry.fingerprint !== fingerprint) {
      throw validationError(
        [{ field: 'Idempotency-Key', message: 'already used with a different request body' }],
        'This Idempotency-Key was already used for a different booking',
      );
    }
    return entry;
  }

  remember(
    patientId: string,
    key: string,
    fingerprint: string,
    status: number,
    body: unknown,
  ): void {
    this.entries.set(`${patientId}\n${key}`, { fingerprint, status, body });
  }
}
