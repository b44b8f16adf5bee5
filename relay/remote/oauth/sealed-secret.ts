/**
 * The patient's portal token as this server keeps it for a grant: AES-256-GCM under a key that
 * lives only in memory — this process's own, or, for replicas sharing a state store, the one
 * they are all given (HOSPIAI_MCP_SEAL_KEY) — so no heap dump, log line or stored record of a
 * grant (Redis included) holds it in clear. Opened only to call the portal.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';

/** A sealed secret as stored: base64url parts. */
export const SealedRecord = z.object({
  iv: z.string().max(64),
  data: z.string().max(20_000),
  tag: z.string().max(64),
});
export type Sealed = z.infer<typeof SealedRecord>;

export function createSealer(key: Buffer = randomBytes(32)) {
  if (key.length !== 32) throw new Error('a sealing key is 32 bytes');
  return {
    seal(secret: string): Sealed {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return {
        iv: iv.toString('base64url'),
        data: data.toString('base64url'),
        tag: cipher.getAuthTag().toString('base64url'),
      };
    },
    open(sealed: Sealed): string {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(sealed.data, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}

export type Sealer = ReturnType<typeof createSealer>;

/**
 * The sealer of a server: under a key derived (HKDF-SHA-256) from the secret the replicas share
 * (HOSPIAI_MCP_SEAL_KEY), or, with none, a random key of this process.
 */
export function sealerFor(sharedSecret: string | null): Sealer {
  return createSealer(
    sharedSecret
      ? Buffer.from(hkdfSync('sha256', sharedSecret, '', 'hospiai-mcp seal', 32))
      : undefined,
  );
}
