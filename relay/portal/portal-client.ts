/**
 * Calls the HospiAI MCP API with a bearer token: timeouts on every call, GETs retried on
 * 429/5xx/network faults (honouring Retry-After), writes retried only when they carry an
 * Idempotency-Key, and every failure turned into a RelayError with an actionable sentence.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { ErrorCode, RelayError } from '../errors';
import type { Translate } from '../i18n/messages';
import type { Logger } from '../logger';
import { cleanText } from '../protocol/untrusted-text';
import { summariseAlternatives, summariseDetails } from './error-summary';
import { createHttpTransport, HttpTimeoutError, type HttpTransport } from './http-transport';
import { type PortalPath, UnsafePathError } from './portal-path';
import { PortalErrorBody } from './portal-schemas';

export interface PortalClientOptions {
  /** Portal base URL, e.g. https://hospi-ai-v8rf.vercel.app (no /api/mcp). */
  baseUrl: string;
  t: Translate;
  logger: Logger;
  timeoutMs?: number;
  /** Attempts after the first one, for calls that may be retried. */
  maxRetries?: number;
  /** First backoff step; doubles per attempt, with jitter. */
  retryBaseMs?: number;
  /** A Retry-After longer than this is not waited for: the caller gets RATE_LIMITED at once. */
  maxRetryAfterMs?: number;
  transport?: HttpTransport;
}

export interface PortalCall<S extends z.ZodType> {
  method: 'GET' | 'POST';
  /** Path under /api/mcp, built by portalPath (e.g. portalPath`/appointments`). */
  path: PortalPath;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  token: string;
  /** Makes a write safe to retry: the portal applies it once. */
  idempotencyKey?: string;
  schema: S;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export class PortalClient {
  readonly baseUrl: string;
  /** The path every call's URL must keep before `/api/mcp` (the base's, without a final `/`). */
  readonly #basePath: string;
  readonly #transport: HttpTransport;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #retryBaseMs: number;
  readonly #maxRetryAfterMs: number;

  constructor(private readonly options: PortalClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#basePath = new URL(this.baseUrl).pathname.replace(/\/+$/, '');
    this.#transport = options.transport ?? createHttpTransport();
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxRetries = options.maxRetries ?? 2;
    this.#retryBaseMs = options.retryBaseMs ?? 250;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
  }

  async call<S extends z.ZodType>(call: PortalCall<S>): Promise<z.infer<S>> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) query.set(key, String(value));
    }
    const search = String(query);
    // One parse a call: the query is already encoded, and the URL is not changed afterwards.
    const url = new URL(`${this.baseUrl}/api/mcp${call.path}${search ? `?${search}` : ''}`);
    // URL resolution must not have moved the request elsewhere (dot segments, encodings).
    if (url.pathname !== `${this.#basePath}/api/mcp${call.path}`) {
      throw new UnsafePathError('the path does not survive URL resolution unchanged');
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${call.token}`,
      accept: 'application/json',
      'user-agent': 'hospiai-mcp',
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
    const retryable = call.method === 'GET' || Boolean(call.idempotencyKey);
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);

    for (let attempt = 0; ; attempt++) {
      const canRetry = retryable && attempt < this.#maxRetries;
      let answer: Awaited<ReturnType<HttpTransport['send']>>;
      try {
        answer = await this.#transport.send({
          method: call.method,
          url,
          headers,
          body,
          timeoutMs: this.#timeoutMs,
        });
      } catch (error) {
        this.options.logger.warn('portal unreachable', {
          path: call.path,
          attempt,
          error: error instanceof HttpTimeoutError ? 'timeout' : (error as Error).message,
        });
        if (canRetry) {
          await sleep(this.#backoff(attempt));
          continue;
        }
        throw new RelayError(
          ErrorCode.PORTAL_UNREACHABLE,
          this.options.t('PORTAL_UNREACHABLE', { url: this.baseUrl }),
          { timeout: error instanceof HttpTimeoutError },
        );
      }

      if (answer.status >= 200 && answer.status < 300) return this.#parse(call, answer.body);

      if (canRetry && RETRYABLE_STATUS.has(answer.status)) {
        const wait =
          answer.status === 429 ? retryAfterMs(answer.headers['retry-after']) : undefined;
        if (wait === undefined || wait <= this.#maxRetryAfterMs) {
          this.options.logger.info('portal asked to retry', {
            path: call.path,
            status: answer.status,
            attempt,
          });
          await sleep(wait ?? this.#backoff(attempt));
          continue;
        }
      }
      throw this.#toError(answer.status, answer.headers, answer.body);
    }
  }

  close(): void {
    this.#transport.close();
  }

  #backoff(attempt: number): number {
    const base = this.#retryBaseMs * 2 ** attempt;
    return base / 2 + Math.random() * (base / 2);
  }

  #parse<S extends z.ZodType>(call: PortalCall<S>, text: string): z.infer<S> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = call.schema.safeParse(json);
    if (!parsed.success) {
      this.options.logger.error('portal answered an unexpected shape', { path: call.path });
      throw new RelayError(ErrorCode.PORTAL_ERROR, this.options.t('PORTAL_ERROR'));
    }
    return parsed.data;
  }

  #toError(
    status: number,
    headers: Record<string, string | string[] | undefined>,
    text: string,
  ): RelayError {
    const { t } = this.options;
    let body: PortalErrorBody = {};
    try {
      body = PortalErrorBody.parse(JSON.parse(text));
    } catch {
      // A non-JSON error (a proxy's HTML page…) is judged by its status alone.
    }
    switch (status) {
      case 401:
        if (body.code === 'token_expired')
          return new RelayError(ErrorCode.TOKEN_EXPIRED, t('TOKEN_EXPIRED'));
        if (body.code === 'token_revoked')
          return new RelayError(ErrorCode.TOKEN_REVOKED, t('TOKEN_REVOKED'));
        return new RelayError(ErrorCode.TOKEN_INVALID, t('TOKEN_INVALID'));
      case 403: {
        const named = /scope="([^"]+)"/.exec(String(headers['www-authenticate'] ?? ''))?.[1];
        const scope = named ? cleanText(named, 64) : 'unknown';
        return new RelayError(ErrorCode.INSUFFICIENT_SCOPE, t('INSUFFICIENT_SCOPE', { scope }), {
          requiredScope: scope,
        });
      }
      case 404:
        return new RelayError(ErrorCode.NOT_FOUND, t('NOT_FOUND', { what: 'item' }));
      case 409: {
        const alternatives = summariseAlternatives(body.alternatives);
        return new RelayError(
          ErrorCode.SLOT_UNAVAILABLE,
          t('SLOT_UNAVAILABLE', {
            alternatives: alternatives.map((a) => `${a.date} ${a.time}`).join(', '),
          }),
          { alternatives },
        );
      }
      case 400:
      case 422: {
        // Summarised, never passed through: the body is the portal's, its size is not ours.
        const summary = summariseDetails(body);
        return new RelayError(
          ErrorCode.INVALID_REQUEST,
          t('INVALID_REQUEST', { details: summary.text }),
          { details: summary.fields },
        );
      }
      case 429: {
        const seconds = Math.ceil((retryAfterMs(headers['retry-after']) ?? 30_000) / 1000);
        return new RelayError(ErrorCode.RATE_LIMITED, t('RATE_LIMITED', { seconds }), {
          retryAfterSeconds: seconds,
        });
      }
      default:
        return new RelayError(ErrorCode.PORTAL_ERROR, t('PORTAL_ERROR'), { status });
    }
  }
}

/** Retry-After as seconds or an HTTP date → ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
