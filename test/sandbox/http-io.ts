/** Small request/response helpers over node:http (the sandbox uses no framework on purpose). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PortalError } from './errors';

const MAX_BODY_BYTES = 64 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new PortalError(413, 'payload_too_large', 'Request body too large');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function isJsonRequest(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().includes('application/json');
}

/** Malformed JSON is a 400 with the documented `validation_error` code. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new PortalError(400, 'validation_error', 'Malformed JSON body', {
      body: { details: [{ field: 'body', message: 'not valid JSON' }] },
    });
  }
}

/** A urlencoded form as an object; repeated fields (checkboxes) become arrays. */
export function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const previous = out[key];
    if (previous === undefined) out[key] = value;
    else out[key] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

/** A JSON or urlencoded body, whichever the request sent. */
export async function readFormOrJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  return isJsonRequest(req) ? parseJson(text) : parseForm(text);
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Whether the client asked for JSON rather than a page (fetch from scripts, not forms). */
export function wantsJson(req: IncomingMessage): boolean {
  return isJsonRequest(req) || (req.headers.accept ?? '').includes('application/json');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    // The pages need no script from elsewhere; a strict policy keeps the sandbox honest.
    'Content-Security-Policy':
      "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'",
    ...headers,
  });
  res.end(html);
}

export function redirect(
  res: ServerResponse,
  location: string,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(303, { Location: location, 'Content-Length': 0, ...headers });
  res.end();
}

export function sendError(res: ServerResponse, error: PortalError): void {
  sendJson(res, error.status, error.toJson(), error.extra.headers);
}
