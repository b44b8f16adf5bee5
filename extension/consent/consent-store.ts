/**
 * The patient's consent: which scopes they allowed, when and where. Nothing is provisioned,
 * captured or sent without a `granted` record; withdrawing keeps the record (as `withdrawn`)
 * so the extension does not ask again uninvited.
 */
import { z } from 'zod';
import { IsoDateTime, KNOWN_SCOPES, Scope } from '../../relay/protocol/protocol';
import { storedValue } from '../storage/stored-value';

export const ConsentScopes = z.array(Scope).min(1).max(10);

export const ConsentRecord = z
  .object({
    status: z.enum(['granted', 'withdrawn']),
    scopes: z.array(Scope).max(10),
    at: IsoDateTime,
    /** Where the patient said it: the dashboard banner, the popup, or a token-capture offer. */
    via: z.enum(['dashboard', 'popup', 'capture']),
    /**
     * Whose consent it is (the portal's patient id): it never covers another patient logging
     * into the same browser. Null when given in the popup before any portal page said who, and
     * only until the first token it lets the extension make: then that token's patient's.
     */
    patientId: z.string().min(1).max(200).nullable(),
  })
  .strict();
export type ConsentRecord = z.infer<typeof ConsentRecord>;

export const consentStore = storedValue('local:consent', ConsentRecord.nullable(), null);

/** Pre-ticked in the consent form: reading only; booking is an explicit extra choice. */
export const DEFAULT_CONSENT_SCOPES: readonly string[] = ['read:data'];

/** Scopes offered in the consent form, in display order. */
export const OFFERED_SCOPES: readonly string[] = KNOWN_SCOPES;

/** Granted — and, when `patientId` is given, granted by that patient (or by an unknown one). */
export function hasConsent(
  record: ConsentRecord | null,
  patientId?: string | null,
): record is ConsentRecord {
  if (record?.status !== 'granted' || record.scopes.length === 0) return false;
  return !patientId || record.patientId === null || record.patientId === patientId;
}

export function grantConsent(
  scopes: readonly string[],
  via: ConsentRecord['via'],
  patientId: string | null,
  now: Date = new Date(),
): ConsentRecord {
  const chosen = OFFERED_SCOPES.filter((scope) => scopes.includes(scope));
  // Scopes the portal may add later are kept only if they came with a captured token.
  const extra = via === 'capture' ? scopes.filter((scope) => !OFFERED_SCOPES.includes(scope)) : [];
  return {
    status: 'granted',
    scopes: [...chosen, ...extra],
    at: now.toISOString(),
    via,
    patientId,
  };
}

/** A consent with no patient id, made that patient's; any other record is left as it is. */
export function bindConsent(record: ConsentRecord | null, patientId: string): ConsentRecord | null {
  return record?.status === 'granted' && record.patientId === null
    ? { ...record, patientId }
    : record;
}

export function withdrawConsent(
  record: ConsentRecord | null,
  via: ConsentRecord['via'],
  now: Date = new Date(),
): ConsentRecord {
  return {
    status: 'withdrawn',
    scopes: record?.scopes ?? [],
    at: now.toISOString(),
    via,
    patientId: record?.patientId ?? null,
  };
}
