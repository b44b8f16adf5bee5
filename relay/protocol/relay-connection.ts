/**
 * The extension's side of one bridge connection (one relay port): hello → challenge (the relay
 * proves itself first) → proof → ready, then session frames. A relay whose proof does not
 * verify gets nothing more — not our proof, not a token — and the connection ends as
 * `untrusted`, which the popup reports as "a program on port N is not your relay".
 *
 * Pair mode: the relay offers a proof per code it holds; the one made with our code (typed by
 * the patient, or made by us) is answered. With a code we made, the connection ends at
 * `awaiting_confirmation` with the check value the patient must compare before we come back in
 * `confirm` mode (see protocol.ts).
 *
 * The one client of the handshake: the extension runs it on the browser's WebSocket, `doctor`
 * and the tests on `ws` (the socket factory), so it lives with the contract, free of both APIs.
 */

import {
  type ClientStep,
  ExtensionHandshake,
  type PairingCandidate,
  type RelayCredentials,
  type RelayReady,
} from './extension-handshake';
import type { PairingKey } from './handshake-crypto';
import {
  CloseCode,
  type ExtensionSessionFrame,
  fitCloseReason,
  HANDSHAKE_TIMEOUT_MS,
  MAX_FRAME_BYTES,
  MAX_FRAMES_PER_SECOND,
  PAIRING_HANDSHAKE_TIMEOUT_MS,
  parseFrame,
  RelaySessionFrame,
} from './protocol';
import { createRateLimiter } from './rate-limiter';
import { closeOutcomeOf, type RelayCloseOutcome } from './relay-close-outcome';

export type {
  Pairing,
  PairingCandidate,
  PairingGuard,
  RelayCredentials,
  RelayReady,
  TypedCodeGuard,
} from './extension-handshake';
export type { RelayCloseOutcome };

/** A handler slot both the DOM's and `ws`'s event types fit (method-style, so bivariant). */
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** The subset of the WebSocket API used here (the browser's, or `ws` in Node). */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
}
export type SocketFactory = (url: string) => SocketLike;

export interface RelayConnectionEvents {
  onReady(ready: RelayReady): void;
  /** Pair mode with a code we made: both proofs verified; the connection then ends. */
  onAwaitingConfirmation?(candidate: PairingCandidate): void;
  onFrame(frame: RelaySessionFrame): void;
  onClosed(outcome: RelayCloseOutcome, detail: string): void;
}

export interface RelayConnectionOptions {
  port: number;
  credentials: RelayCredentials;
  createSocket: SocketFactory;
  events: RelayConnectionEvents;
  handshakeTimeoutMs?: number;
  /** Pair mode: PBKDF2 iterations (tests lower it together with the relay's). */
  stretchIterations?: number;
  /**
   * Pair mode: how the new K is held. By default as a non-extractable key from the moment it is
   * derived (the extension); test clients that look for K's bytes where they must not be keep
   * the bytes.
   */
  holdKey?: (key: Uint8Array) => Promise<PairingKey>;
}

type Phase =
  | { name: 'connecting' }
  | { name: 'hello_sent' }
  | { name: 'proving' }
  | { name: 'proof_sent' }
  | { name: 'ready' }
  | { name: 'closed' };

export class RelayConnection {
  private phase: Phase = { name: 'connecting' };
  private readonly socket: SocketLike;
  private readonly handshakeTimer: ReturnType<typeof setTimeout>;
  private opened = false;
  private readonly rateLimiter = createRateLimiter(MAX_FRAMES_PER_SECOND);
  /** Frames are handled in order even though verifying a proof is asynchronous. */
  private queue: Promise<void> = Promise.resolve();
  private readonly handshake: ExtensionHandshake;

  constructor(private readonly options: RelayConnectionOptions) {
    this.handshake = new ExtensionHandshake(options);
    this.socket = options.createSocket(`ws://127.0.0.1:${options.port}`);
    this.socket.onopen = () => {
      this.opened = true;
      this.sendHello();
    };
    this.socket.onmessage = (event) => {
      const { data } = event;
      this.queue = this.queue
        .then(() => this.receive(data))
        .catch(() => this.fail('protocol_error', 'unexpected error'));
    };
    // After the frames before it: the relay's last frame (ready, awaiting_confirmation) is often
    // followed at once by its close, while that frame's crypto is still being done.
    this.socket.onclose = (event) => {
      this.queue = this.queue.then(() => this.socketClosed(event.code, event.reason));
    };
    this.socket.onerror = () => {};
    this.handshakeTimer = setTimeout(
      () => this.fail('handshake_timeout', 'the relay did not complete the handshake in time'),
      options.handshakeTimeoutMs ??
        // A confirmation may wait at the relay for its quiet time (pairing-offers.ts).
        (options.credentials.mode === 'pair' || options.credentials.mode === 'confirm'
          ? PAIRING_HANDSHAKE_TIMEOUT_MS
          : HANDSHAKE_TIMEOUT_MS),
    );
  }

  get port(): number {
    return this.options.port;
  }

  get isReady(): boolean {
    return this.phase.name === 'ready';
  }

  /** Sends a session frame; refused (false) unless the relay has proved itself. */
  send(frame: ExtensionSessionFrame): boolean {
    if (this.phase.name !== 'ready') return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  close(): void {
    this.finish('closed', 'closed by the extension', CloseCode.normal);
  }

  private sendHello(): void {
    this.phase = { name: 'hello_sent' };
    this.socket.send(JSON.stringify(this.handshake.hello()));
  }

  private async receive(data: unknown): Promise<void> {
    if (this.phase.name === 'closed') return;
    if (typeof data !== 'string') return this.fail('protocol_error', 'binary frame');
    if (data.length > MAX_FRAME_BYTES)
      return this.fail('protocol_error', 'frame too large', CloseCode.frameTooLarge);
    if (!this.rateLimiter.take())
      return this.fail('protocol_error', 'too many frames', CloseCode.rateLimited);

    switch (this.phase.name) {
      case 'hello_sent':
        this.phase = { name: 'proving' };
        return this.take(await this.handshake.challenge(data, () => !this.isClosed()));
      case 'proof_sent':
        return this.take(await this.handshake.final(data));
      case 'ready':
        return this.receiveSessionFrame(data);
      default:
        // A frame while we are still computing our proof: the relay is not following the protocol.
        return this.fail('protocol_error', 'frame out of turn');
    }
  }

  /** Does what the handshake decided. */
  private take(step: ClientStep): void {
    if (this.isClosed()) return;
    switch (step.kind) {
      case 'send':
        this.phase = { name: 'proof_sent' };
        this.socket.send(JSON.stringify(step.frame));
        return;
      case 'ready':
        clearTimeout(this.handshakeTimer);
        this.phase = { name: 'ready' };
        this.options.events.onReady(step.ready);
        return;
      case 'awaiting':
        clearTimeout(this.handshakeTimer);
        this.options.events.onAwaitingConfirmation?.(step.candidate);
        this.finish(
          'awaiting_confirmation',
          'the patient compares the check values',
          CloseCode.normal,
        );
        return;
      case 'fail':
        if (step.send) this.socket.send(JSON.stringify(step.send));
        this.fail(step.outcome, step.detail, step.code);
        return;
    }
  }

  private receiveSessionFrame(data: string): void {
    const parsed = parseFrame(RelaySessionFrame, data);
    // An unknown frame from a proven relay is most likely a newer relay: ignore, do not drop.
    if (parsed.ok) this.options.events.onFrame(parsed.frame);
  }

  private socketClosed(code: number, reason: string): void {
    if (this.isClosed()) return;
    const outcome = closeOutcomeOf(code, { opened: this.opened, ready: this.isReady });
    this.finish(outcome, reason || `closed (${code})`);
  }

  private fail(
    outcome: RelayCloseOutcome,
    detail: string,
    code: number = CloseCode.protocolError,
  ): void {
    this.finish(outcome, detail, code);
  }

  private finish(outcome: RelayCloseOutcome, detail: string, code?: number): void {
    if (this.isClosed()) return;
    this.phase = { name: 'closed' };
    clearTimeout(this.handshakeTimer);
    this.socket.onopen = null;
    this.socket.onmessage = null;
    this.socket.onclose = null;
    if (code !== undefined) {
      // Browsers only let a client send 1000 or 3000–4999.
      const sendable = code === CloseCode.normal || (code >= 3000 && code <= 4999);
      try {
        this.socket.close(sendable ? code : CloseCode.protocolError, fitCloseReason(detail));
      } catch {
        // Closing a socket that never opened may throw in some engines; it is gone either way.
      }
    }
    this.options.events.onClosed(outcome, detail);
  }

  private isClosed(): boolean {
    return this.phase.name === 'closed';
  }
}
