/**
 * Fault injection for tests: latency, forced error statuses, hangs. Reachable only in-process
 * and from CLI flags, never over HTTP.
 */
import { PortalError } from './errors';

type FailStatus = 429 | 500 | 502 | 503;

interface PendingFailure {
  pathPrefix: string;
  status: FailStatus;
  remaining: number;
  retryAfterSeconds?: number;
}

interface PendingDelay {
  pathPrefix: string;
  ms: number;
  remaining: number;
}

export class Faults {
  latencyMs: number;
  private failures: PendingFailure[] = [];
  private delays: PendingDelay[] = [];
  private lostAnswers: { pathPrefix: string; remaining: number }[] = [];

  constructor(private readonly initialLatencyMs = 0) {
    this.latencyMs = initialLatencyMs;
  }

  failNext(opts: {
    pathPrefix: string;
    status: FailStatus;
    count?: number;
    retryAfterSeconds?: number;
  }): void {
    this.failures.push({
      pathPrefix: opts.pathPrefix,
      status: opts.status,
      remaining: opts.count ?? 1,
      retryAfterSeconds: opts.retryAfterSeconds,
    });
  }

  delayNext(opts: { pathPrefix: string; ms: number; count?: number }): void {
    this.delays.push({ pathPrefix: opts.pathPrefix, ms: opts.ms, remaining: opts.count ?? 1 });
  }

  /** The next `count` requests to pathPrefix are handled, but their answer never arrives. */
  loseAnswerNext(opts: { pathPrefix: string; count?: number }): void {
    this.lostAnswers.push({ pathPrefix: opts.pathPrefix, remaining: opts.count ?? 1 });
  }

  /** Consumes a pending lost answer for this path. */
  takeLostAnswer(path: string): boolean {
    const lost = this.lostAnswers.find((l) => path.startsWith(l.pathPrefix));
    if (!lost) return false;
    lost.remaining -= 1;
    if (lost.remaining <= 0) this.lostAnswers = this.lostAnswers.filter((l) => l !== lost);
    return true;
  }

  reset(): void {
    this.failures = [];
    this.delays = [];
    this.lostAnswers = [];
    this.latencyMs = this.initialLatencyMs;
  }

  /** Consumes a pending delay for this path; 0 when none applies. */
  takeDelay(path: string): number {
    const delay = this.delays.find((d) => path.startsWith(d.pathPrefix));
    if (!delay) return 0;
    delay.remaining -= 1;
    if (delay.remaining <= 0) this.delays = this.delays.filter((d) => d !== delay);
    return delay.ms;
  }

  /** Consumes a pending failure for this path, as the error to answer with. */
  takeFailure(path: string): PortalError | undefined {
    const failure = this.failures.find((f) => path.startsWith(f.pathPrefix));
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining <= 0) this.failures = this.failures.filter((f) => f !== failure);
    if (failure.status === 429) {
      const retryAfter = String(failure.retryAfterSeconds ?? 1);
      return new PortalError(429, 'rate_limited', `Too many requests: retry in ${retryAfter} s`, {
        headers: { 'Retry-After': retryAfter },
      });
    }
    return new PortalError(failure.status, 'server_error', 'HospiAI is temporarily unavailable', {
      headers:
        failure.retryAfterSeconds === undefined
          ? {}
          : { 'Retry-After': String(failure.retryAfterSeconds) },
    });
  }
}
