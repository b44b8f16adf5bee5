/**
 * One HTTP exchange with the portal over keep-alive connections. `node:http(s)` with an Agent
 * rather than global fetch: measured lighter in memory for a long-lived relay (TOOLCHAIN.md).
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpExchange {
  method: 'GET' | 'POST' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export class HttpTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'HttpTimeoutError';
  }
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export function createHttpTransport() {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };

  function send(exchange: HttpExchange): Promise<HttpAnswer> {
    const secure = exchange.url.protocol === 'https:';
    const request = secure ? https.request : http.request;
    return new Promise<HttpAnswer>((resolve, reject) => {
      const req = request(exchange.url, {
        method: exchange.method,
        headers: exchange.headers,
        agent: secure ? agents['https:'] : agents['http:'],
      });
      const timer = setTimeout(
        () => req.destroy(new HttpTimeoutError(exchange.timeoutMs)),
        exchange.timeoutMs,
      );
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) req.destroy(new Error('answer too large'));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end(exchange.body);
    });
  }

  return {
    send,
    close(): void {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

export type HttpTransport = ReturnType<typeof createHttpTransport>;
