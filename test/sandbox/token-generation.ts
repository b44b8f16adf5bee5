/** Generating a token from the dashboard: one validation for the JSON route and the page form. */
import { z } from 'zod';
import { KNOWN_SCOPES } from '../../relay/protocol/protocol';
import type { Patient } from './seed-data';
import type { TokenRecord, TokenService } from './token-service';
import { parseOr422 } from './validation';

export const DEFAULT_EXPIRY_DAYS = 90;

export const GenerateTokenInput = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z
    .array(z.enum(KNOWN_SCOPES))
    .min(1)
    .transform((scopes) => [...new Set(scopes)]),
  expiresInDays: z.coerce.number().int().min(1).max(365).default(DEFAULT_EXPIRY_DAYS),
});

/** The page form sends strings: one checkbox is a string, an empty number field is ''. */
export function fromForm(form: Record<string, string | string[]>): unknown {
  const scopes = form['scopes'];
  const days = form['expiresInDays'];
  return {
    name: form['name'],
    scopes: scopes === undefined ? [] : [scopes].flat(),
    expiresInDays: days === '' ? undefined : days,
  };
}

export async function generateToken(
  tokens: TokenService,
  patient: Patient,
  input: unknown,
  lifetimeOverrideSeconds: number | undefined,
): Promise<{ token: string; record: TokenRecord }> {
  const { name, scopes, expiresInDays } = parseOr422(GenerateTokenInput, input);
  return tokens.issue({
    patient,
    name,
    scopes,
    expiresInSeconds: lifetimeOverrideSeconds ?? expiresInDays * 86_400,
  });
}

/** What the dashboard lists: never the secret. */
export const tokenListing = (r: TokenRecord) => ({
  id: r.id,
  name: r.name,
  scopes: r.scopes,
  createdAt: r.createdAt,
  expiresAt: r.expiresAt,
  lastUsedAt: r.lastUsedAt,
});
