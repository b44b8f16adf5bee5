/**
 * Pairing with no terminal, the extension's side: it makes a code (pending-code.ts) and shows
 * it; the patient gives it to the relay through their AI client; meanwhile the extension knocks
 * on every port of the range in pair mode, and completes the usual handshake with whichever
 * relay proves it knows the code — the relay still proves itself first, and a program that
 * cannot is told nothing but that its code is not ours. The code lives in `storage.session`
 * (memory; content scripts cannot read it), so a sleeping service worker resumes the watch.
 */

import {
  type PairingGuard,
  RelayConnection,
  type SocketFactory,
} from '../../relay/protocol/relay-connection';
import { storedValue } from '../storage/stored-value';
import type { Pairing } from './pairing-store';
import {
  admitSalt,
  matchSalt,
  newPendingCode,
  PendingCode,
  type PendingCodeStatus,
  pendingCodeStatus,
  refuseSalt,
  triesLeft,
  triesLeftOn,
} from './pending-code';

/** How often free ports are knocked on while a code waits (a relay answers in milliseconds). */
export const PENDING_WATCH_INTERVAL_MS = 1_000;

export interface PendingPairingView {
  code: string;
  expiresAt: string;
  triesLeft: number;
  /** A relay was given another code (the patient mistyped it, or a stranger on the range). */
  refused: boolean;
  status: PendingCodeStatus;
}

export interface PendingCodeStore {
  get(): Promise<PendingCode | null>;
  set(value: PendingCode): Promise<void>;
  remove(): Promise<void>;
}

export const pendingCodeStore: PendingCodeStore = storedValue(
  'session:pendingPairingCode',
  PendingCode.nullable(),
  null,
);

export interface PendingPairingOptions {
  ports: number[];
  createSocket: SocketFactory;
  store: PendingCodeStore;
  /** A relay proved it knows the code and the handshake completed: keep this pairing. */
  onPaired(pairing: Pairing, port: number): Promise<void>;
  /** The view changed (tries, status). */
  onChange(): void;
  intervalMs?: number;
  handshakeTimeoutMs?: number;
  stretchIterations?: number;
  now?: () => number;
}

export class PendingPairing {
  private pending: PendingCode | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly inFlight = new Map<number, RelayConnection>();
  private paired = false;
  private readonly now: () => number;

  constructor(private readonly options: PendingPairingOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Picks up a code left by a worker that went to sleep. */
  async resume(): Promise<void> {
    this.pending = await this.options.store.get();
    if (this.pending && pendingCodeStatus(this.pending, this.now()) === 'waiting') this.watch();
  }

  /** A new code (any previous one is void), and the watch for a relay that knows it. */
  async start(): Promise<PendingPairingView> {
    this.stopWatching();
    this.paired = false;
    this.pending = newPendingCode(this.now());
    await this.options.store.set(this.pending);
    this.watch();
    this.options.onChange();
    return this.view() as PendingPairingView;
  }

  /** The patient closed the code (or pairing succeeded): it is void at once. */
  async cancel(): Promise<void> {
    this.stopWatching();
    this.pending = null;
    await this.options.store.remove();
    this.options.onChange();
  }

  view(): PendingPairingView | null {
    if (!this.pending) return null;
    return {
      code: this.pending.code,
      expiresAt: this.pending.expiresAt,
      triesLeft: triesLeft(this.pending),
      refused: this.pending.lastRefusedPort !== null,
      status: pendingCodeStatus(this.pending, this.now()),
    };
  }

  /** Closes every connection and stops knocking; the code stays (resume() picks it up). */
  stopWatching(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const connection of this.inFlight.values()) connection.close();
    this.inFlight.clear();
  }

  private watch(): void {
    if (this.timer) return;
    this.knock();
    this.timer = setInterval(
      () => this.knock(),
      this.options.intervalMs ?? PENDING_WATCH_INTERVAL_MS,
    );
  }

  private knock(): void {
    const pending = this.pending;
    if (!pending || this.paired) {
      this.stopWatching();
      return;
    }
    // Only expiry ends the watch: a port whose tries are spent is simply not judged again.
    if (pendingCodeStatus(pending, this.now()) === 'expired') {
      this.stopWatching();
      this.options.onChange();
      return;
    }
    for (const port of this.options.ports) {
      if (!this.inFlight.has(port)) this.attempt(port, pending.code);
    }
  }

  private attempt(port: number, code: string): void {
    let admitted: string | null = null;
    const guard: PairingGuard = {
      admit: (salt) => {
        if (!this.pending) return false;
        const { admitted: ok, next } = admitSalt(this.pending, salt, port, this.now());
        if (ok) admitted = salt;
        this.update(next);
        return ok;
      },
      refuse: (salt) => {
        if (!this.pending) return 0;
        this.update(refuseSalt(this.pending, salt, port));
        this.options.onChange();
        return triesLeftOn(this.pending, port);
      },
      match: (salt) => {
        if (this.pending) this.update(matchSalt(this.pending, salt));
      },
    };
    const connection: RelayConnection = new RelayConnection({
      port,
      credentials: { mode: 'pair', code: code.replace('-', ''), guard },
      createSocket: this.options.createSocket,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs,
      stretchIterations: this.options.stretchIterations,
      events: {
        onReady: (ready) => {
          this.inFlight.delete(port);
          connection.close();
          void this.complete(ready.pairing, port);
        },
        onFrame: () => {},
        onClosed: () => {
          if (this.inFlight.get(port) === connection) this.inFlight.delete(port);
          // A salt admitted but never judged (the connection ended first) may be checked again.
          if (admitted && this.pending?.salts[admitted] === 'checking') {
            const { [admitted]: _dropped, ...salts } = this.pending.salts;
            this.update({ ...this.pending, salts });
          }
        },
      },
    });
    this.inFlight.set(port, connection);
  }

  private async complete(pairing: Pairing, port: number): Promise<void> {
    if (this.paired) return;
    this.paired = true;
    this.stopWatching();
    this.pending = null;
    await this.options.store.remove();
    await this.options.onPaired(pairing, port);
    this.options.onChange();
  }

  private update(next: PendingCode): void {
    if (next === this.pending) return;
    this.pending = next;
    void this.options.store.set(next);
  }
}
