/**
 * What nothing may write in clear: JWTs, bearer values, long base64/hex runs (secrets, keys),
 * pairing codes. Every line the relay logs passes through `redact` (logger.ts), and so does
 * whatever the extension writes to its console.
 */
const TOKEN_SHAPES: RegExp[] = [
  /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  /\b(Bearer\s+)[^\s"',;]+/gi,
  /\b[A-Za-z0-9_+/-]{32,}={0,2}/g,
  /\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b/g,
];

export function redact(text: string): string {
  let out = text;
  for (const shape of TOKEN_SHAPES) {
    out = out.replace(shape, (_match, bearer?: unknown) =>
      typeof bearer === 'string' && /^Bearer/i.test(bearer) ? `${bearer}[redacted]` : '[redacted]',
    );
  }
  return out;
}
