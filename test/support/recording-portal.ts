/**
 * A stand-in portal that records exactly what reaches it — method and raw request target, as
 * the bytes arrived — and answers from a table of handlers. For tests that check what a tool
 * call turns into on the wire (paths built from ids, oversized error bodies…).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export interface RecordedRequest {
  method: string;
  /** The raw request target (path and query), undecoded. */
  target: string;
}

export type PortalAnswer = { status: number; body: unknown; headers?: Record<string, string> };

export async function startRecordingPortal(
  answer: (req: IncomingMessage) => PortalAnswer | string,
) {
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? '', target: req.url ?? '' });
    req.resume();
    req.on('end', () => {
      const reply = answer(req);
      if (typeof reply === 'string') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(reply);
        return;
      }
      res
        .writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
        .end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  onTestFinished(close);
  return { url, requests, close };
}
