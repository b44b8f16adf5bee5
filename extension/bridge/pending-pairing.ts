/**
 * Pairing with no terminal, the extension's side: it makes a code (pending-code.ts) and shows
 * it; the patient gives it to the relay through their AI client (the chat, or the `.mcpb`
 * install settings); meanwhile the extension knocks on every port of the range in pair mode.
 * A relay that proves it knows the code — the relay still proves itself first, and a program
 * that cannot is told nothing but that its code is not ours — becomes a candidate: both sides
 * derived a check value from the new key, the relay shows it in the AI client, this shows it in
 * the extension's window, and only the patient's "it matches" there pairs (`confirm`), with
 * that very relay. The code may have passed through the model, so a program that learnt it can
 * answer too: it gets another value, and if two programs answer, the code is void.
 *
 * The code lives in `storage.session` and a candidate's key in the extension's IndexedDB (non-
 * extractable), both out of content scripts' reach, so a sleeping service worker resumes.
 * (Over 250 lines: the code, the knocking on every port and the candidate waiting for the
 * patient's check are one flow with one state.)
 */

import {
  type PairingGuard,
  type PairingCandidate as RelayCandidate,
  RelayConnection,
  type SocketFactory,
} from '../../relay/protocol/relay-connection';
import { storedValue } from '../storage/stored-value';
import { pairingKeyStore } from './pairing-key-store';
import type { Pairing, PairingVerification } from './pairing-store';
import {
  addCandidate,
  admitSalt,
  endCode,
  isListening,
  matchSalt,
  newPendingCode,
  type PairingCandidate,
  PendingCode,
  type PendingCodeStatus,
  pendingCodeStatus,
  refuseSalt,
} from './pending-code';

/** How often free ports are knocked on while a code waits (a relay answers in milliseconds). */
export const PENDING_WATCH_INTERVAL_MS = 1_000;

export interface PendingPairingView {
  code: string;
  expiresAt: string;
  status: PendingCodeStatus;
  /** The port that last presented another code (the patient mistyped it, or a stranger). */
  refusedPort: number | null;
  /** The relay whose check value the patient compares, while status is `check`. */
  candidate: { checkValue: string; client: string | null; port: number } | null;
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

/** Where a candidate's key waits while the patient compares (IndexedDB, non-extractable). */
export interface CandidateKeyStore {
  setCandidate(pairing: Pairing): Promise<void>;
  candidate(pairingId: string): Promise<Pairing | null>;
  removeCandidate(): Promise<void>;
}

export interface PendingPairingOptions {
  ports: number[];
  createSocket: SocketFactory;
  store: PendingCodeStore;
  /** Default: the extension's key store. */
  candidateKeys?: CandidateKeyStore;
  /** The patient confirmed and the relay kept the pairing: keep it too. */
  onPaired(pairing: Pairing, port: number, verified: PairingVerification): Promise<void>;
  /** The view changed (a candidate, a refusal, the status). */
  onChange(): void;
  intervalMs?: number;
  handshakeTimeoutMs?: number;
  stretchIterations?: number;
  now?: () => number;
}

export type ConfirmOutcome = 'paired' | 'failed' | 'not_waiting';

export class PendingPairing {
  private pending: PendingCode | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly inFlight = new Map<number, RelayConnection>();
  private readonly now: () => number;
  private readonly candidateKeys: CandidateKeyStore;

  constructor(private readonly options: PendingPairingOptions) {
    this.now = options.now ?? Date.now;
    this.candidateKeys = options.candidateKeys ?? pairingKeyStore;
  }

  /** Picks up a code left by a worker that went to sleep. */
  async resume(): Promise<void> {
    this.pending = await this.options.store.get();
    if (this.pending && isListening(this.pending, this.now())) this.watch();
  }

  /** A new code (any previous one, and its candidate, is void), and the watch for its relay. */
  async start(): Promise<PendingPairingView> {
    this.stopWatching();
    this.pending = newPendingCode(this.now());
    await this.candidateKeys.removeCandidate();
    await this.options.store.set(this.pending);
    this.watch();
    this.options.onChange();
    return this.view() as PendingPairingView;
  }

  /** The patient closed the code (or pairing succeeded): it is void at once. */
  async cancel(): Promise<void> {
    this.stopWatching();
    this.pending = null;
    await this.candidateKeys.removeCandidate();
    await this.options.store.remove();
    this.options.onChange();
  }

  view(): PendingPairingView | null {
    const pending = this.pending;
    if (!pending) return null;
    const status = pendingCodeStatus(pending, this.now());
    const candidate = status === 'check' ? (pending.candidates[0] ?? null) : null;
    return {
      code: pending.code,
      expiresAt: pending.expiresAt,
      status,
      refusedPort: pending.lastRefusedPort,
      candidate: candidate
        ? { checkValue: candidate.checkValue, client: candidate.client, port: candidate.port }
        : null,
    };
  }

  /**
   * "It matches": the patient saw the same check value in their assistant. Completes the
   * pairing with that relay (`confirm` mode: it proves the key again, and keeps it).
   */
  async confirm(): Promise<ConfirmOutcome> {
    const pending = this.pending;
    if (!pending || pendingCodeStatus(pending, this.now()) !== 'check') return 'not_waiting';
    const [candidate] = pending.candidates;
    const pairing = candidate ? await this.candidateKeys.candidate(candidate.pairingId) : null;
    if (!candidate || !pairing) return this.fail();
    this.stopWatching();
    const ready = await this.confirmWith(candidate.port, pairing);
    if (!ready) return this.fail();
    await this.candidateKeys.removeCandidate();
    this.pending = null;
    await this.options.store.remove();
    await this.options.onPaired(ready, candidate.port, {
      by: 'check_value',
      checkValue: candidate.checkValue,
    });
    this.options.onChange();
    return 'paired';
  }

  /** "It does not match": nothing pairs, and this code is void (a new one is needed). */
  async decline(): Promise<void> {
    if (!this.pending) return;
    this.stopWatching();
    await this.candidateKeys.removeCandidate();
    this.update(endCode(this.pending, 'declined'));
    this.options.onChange();
  }

  /** Closes every connection and stops knocking; the code stays (resume() picks it up). */
  stopWatching(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const connection of this.inFlight.values()) connection.close();
    this.inFlight.clear();
  }

  private async fail(): Promise<ConfirmOutcome> {
    await this.candidateKeys.removeCandidate();
    if (this.pending) this.update(endCode(this.pending, 'confirm_failed'));
    this.options.onChange();
    return 'failed';
  }

  private confirmWith(port: number, pairing: Pairing): Promise<Pairing | null> {
    return new Promise((resolve) => {
      const connection: RelayConnection = new RelayConnection({
        port,
        credentials: { mode: 'confirm', pairing },
        createSocket: this.options.createSocket,
        handshakeTimeoutMs: this.options.handshakeTimeoutMs,
        events: {
          onReady: (ready) => {
            resolve(ready.pairing);
            connection.close();
          },
          onFrame: () => {},
          onClosed: () => resolve(null),
        },
      });
    });
  }

  private watch(): void {
    if (this.timer) return;
    this.knock();
    this.timer = setInterval(
      () => this.knock(),
      this.options.intervalMs ?? PENDING_WATCH_INTERVAL_MS,
    );
  }

  /**
   * Every port but a candidate's: while the patient compares, a second program answering the
   * same code must be heard, so that the code can be voided.
   */
  private knock(): void {
    const pending = this.pending;
    if (!pending || !isListening(pending, this.now())) {
      this.stopWatching();
      this.options.onChange();
      return;
    }
    const candidatePorts = new Set(pending.candidates.map((candidate) => candidate.port));
    for (const port of this.options.ports) {
      if (!this.inFlight.has(port) && !candidatePorts.has(port)) this.attempt(port, pending.code);
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
        if (!this.pending) return;
        this.update(refuseSalt(this.pending, salt, port));
        this.options.onChange();
      },
      match: (salt) => {
        if (this.pending) this.update(matchSalt(this.pending, salt));
      },
    };
    const connection: RelayConnection = new RelayConnection({
      port,
      credentials: { mode: 'pair', codeMadeBy: 'extension', code: code.replace('-', ''), guard },
      createSocket: this.options.createSocket,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs,
      stretchIterations: this.options.stretchIterations,
      events: {
        onReady: () => connection.close(),
        onAwaitingConfirmation: (candidate) => void this.candidate(port, candidate),
        onFrame: () => {},
        onClosed: (outcome) => {
          if (this.inFlight.get(port) === connection) this.inFlight.delete(port);
          // That relay heard another program prove our code: the code is void there and here.
          if (outcome === 'code_answered_twice') void this.answeredTwice();
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

  /** A relay proved the code: the first is compared by the patient; a second voids the code. */
  private async candidate(port: number, found: RelayCandidate): Promise<void> {
    if (!this.pending || !isListening(this.pending, this.now())) return;
    const candidate: PairingCandidate = {
      port,
      pairingId: found.pairing.pairingId,
      checkValue: found.checkValue,
      client: found.mcpClient?.title ?? found.mcpClient?.name ?? null,
      expiresAt: found.expiresAt,
    };
    const next = addCandidate(this.pending, candidate);
    this.update(next);
    if (next.candidates.length === 1) {
      await this.candidateKeys.setCandidate(found.pairing);
    } else {
      // Two programs answered one code: whichever is the patient's, neither may pair.
      this.stopWatching();
      await this.candidateKeys.removeCandidate();
    }
    this.options.onChange();
  }

  /** Two programs answered one code at a relay: as with two candidates here, nothing pairs. */
  private async answeredTwice(): Promise<void> {
    if (!this.pending || !isListening(this.pending, this.now())) return;
    this.update(endCode(this.pending, 'conflict'));
    this.stopWatching();
    await this.candidateKeys.removeCandidate();
    this.options.onChange();
  }

  private update(next: PendingCode): void {
    if (next === this.pending) return;
    this.pending = next;
    void this.options.store.set(next);
  }
}
