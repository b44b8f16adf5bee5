/**
 * The patient's portal token as this server keeps it for a grant: AES-256-GCM under a key that
 * lives only in this process's memory, so no heap dump, log line or stored record of a grant
 * holds it in clear. Opened only to call the portal.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface Sealed {
  iv: Buffer;
  data: Buffer;
  tag: Buffer;
}

export function createSealer(key: Buffer = randomBytes(32)) {
  return {
    seal(secret: string): Sealed {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return { iv, data, tag: cipher.getAuthTag() };
    },
    open(sealed: Sealed): string {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.data), decipher.final()]).toString('utf8');
    },
  };
}

export type Sealer = ReturnType<typeof createSealer>;
