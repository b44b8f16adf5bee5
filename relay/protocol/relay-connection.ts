/**
 * The extension's side of one bridge connection (one relay port): hello → challenge (the relay
 * proves itself first) → proof → ready, then session frames. A relay whose proof does not
 * verify gets nothing more — not our proof, not a token — and the connection ends as
 * `untrusted`, which the popup reports as "a program on port N is not your relay".
 *
 * The one client of the handshake: the extension runs it on the browser's WebSocket, `doctor`
 * and the tests on `ws` (the socket factory), so it lives with the contract, free of both APIs.
 */
import {
  derivePairingKey,
  fromBase64Url,
  type HandshakeContext,
  importPairingKey,
  type PairingKey,
  randomNonce,
  signProof,
  stretchPairingCode,
  verifyProof,
} from './handshake-crypto';
import {
  ChallengeFrame,
  CloseCode,
  type ExtensionSessionFrame,
  HANDSHAKE_TIMEOUT_MS,
  type HelloFrame,
  MAX_FRAME_BYTES,
  MAX_FRAMES_PER_SECOND,
  type McpClientInfo,
  PAIRING_HANDSHAKE_TIMEOUT_MS,
  PROTOCOL_VERSION,
  parseFrame,
  ReadyFrame,
  RelaySessionFrame,
} from './protocol';
import { createRateLimiter } from './rate-limiter';
import { closeOutcomeOf, type RelayCloseOutcome } from './relay-close-outcome';

export type { RelayCloseOutcome };

/** The pairing secret shared by the extension and the relays of a home. */
export interface Pairing {
  pairingId: string;
  /** A non-extractable CryptoKey in the extension; raw bytes in the relay's tools and tests. */
  key: PairingKey;
}

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

export type RelayCredentials =
  | { mode: 'auth'; pairing: Pairing }
  /** Like auth, but the relay answers `ready` and `status` and closes: `doctor` uses it so that
   * the extension's own session with the relay is left as it is. */
  | { mode: 'probe'; pairing: Pairing }
  /**
   * `code` is the normalised pairing code (typed by the patient, or made by the extension: then
   * a `guard` counts the relays' wrong proofs as tries, see pending-pairing.ts).
   */
  | { mode: 'pair'; code: string; guard?: PairingGuard; typed?: TypedCodeGuard };

/**
 * Tries of a code the patient typed (the relay made it). A wrong typed code never reaches the
 * relay (its proof simply does not verify), so the extension counts them itself, per relay code
 * (salt), to tell the patient how many are left and to stop checking after the last one.
 */
export interface TypedCodeGuard {
  /** May this relay code be checked against a typed code? No once its tries are spent. */
  admit(salt: string): boolean;
  /** The typed `code` did not verify against the relay code `salt`. */
  wrong(salt: string, code: string): void;
}

/** Tries of a code the extension made, judged per salt (the code the relay stretched). */
export interface PairingGuard {
  /** May the relay's proof for this salt be checked? No: the connection ends, nothing sent. */
  admit(salt: string): boolean;
  /** It did not verify: spends a try; returns the tries left, which the relay is told. */
  refuse(salt: string): number;
  match(salt: string): void;
}

export interface RelayReady {
  relayId: string;
  mcpClient: McpClientInfo | null;
  /** The pairing this connection proved; a new one (with its key K) in pair mode. */
  pairing: Pairing;
}

export interface RelayConnectionEvents {
  onReady(ready: RelayReady): void;
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
  | { name: 'hello_sent'; nonce: string }
  | { name: 'proving' }
  | { name: 'proof_sent'; stretched: Uint8Array | null; ctx: HandshakeContext }
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

  constructor(private readonly options: RelayConnectionOptions) {
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
    this.socket.onclose = (event) => this.socketClosed(event.code, event.reason);
    this.socket.onerror = () => {};
    this.handshakeTimer = setTimeout(
      () => this.fail('handshake_timeout', 'the relay did not complete the handshake in time'),
      options.handshakeTimeoutMs ??
        (options.credentials.mode === 'pair' ? PAIRING_HANDSHAKE_TIMEOUT_MS : HANDSHAKE_TIMEOUT_MS),
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
    const nonce = randomNonce();
    const { credentials } = this.options;
    const hello: HelloFrame =
      credentials.mode !== 'pair'
        ? {
            type: 'hello',
            v: PROTOCOL_VERSION,
            mode: credentials.mode,
            nonce,
            pairingId: credentials.pairing.pairingId,
          }
        : { type: 'hello', v: PROTOCOL_VERSION, mode: 'pair', nonce };
    this.phase = { name: 'hello_sent', nonce };
    this.socket.send(JSON.stringify(hello));
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
        return this.receiveChallenge(data, this.phase.nonce);
      case 'proof_sent':
        return this.receiveReady(data, this.phase);
      case 'ready':
        return this.receiveSessionFrame(data);
      default:
        // A frame while we are still computing our proof: the relay is not following the protocol.
        return this.fail('protocol_error', 'frame out of turn');
    }
  }

  private async receiveChallenge(data: string, extensionNonce: string): Promise<void> {
    const parsed = parseFrame(ChallengeFrame, data);
    if (!parsed.ok) return this.fail('untrusted', `no valid challenge: ${parsed.error}`);
    const challenge = parsed.frame;
    if (challenge.v !== PROTOCOL_VERSION) {
      return this.fail(
        'version_mismatch',
        `relay speaks protocol v${challenge.v}`,
        CloseCode.versionMismatch,
      );
    }
    this.phase = { name: 'proving' };
    const { credentials } = this.options;
    const ctx: HandshakeContext =
      credentials.mode !== 'pair'
        ? {
            mode: credentials.mode,
            port: this.options.port,
            extensionNonce,
            relayNonce: challenge.nonce,
            pairingId: credentials.pairing.pairingId,
          }
        : { mode: 'pair', port: this.options.port, extensionNonce, relayNonce: challenge.nonce };

    let key: PairingKey;
    let stretched: Uint8Array | null = null;
    if (credentials.mode !== 'pair') {
      key = credentials.pairing.key;
    } else {
      if (!challenge.salt) return this.fail('untrusted', 'pairing challenge without salt');
      if (credentials.guard && !credentials.guard.admit(challenge.salt)) {
        return this.fail('no_pending_code', 'this code was already judged', CloseCode.normal);
      }
      if (credentials.typed && !credentials.typed.admit(challenge.salt)) {
        return this.fail('pairing_locked', 'too many wrong codes typed', CloseCode.normal);
      }
      stretched = await stretchPairingCode(
        credentials.code,
        fromBase64Url(challenge.salt),
        this.options.stretchIterations,
      );
      key = stretched;
    }
    if (this.isClosed()) return;
    if (!(await verifyProof('relay', key, ctx, challenge.proof))) {
      // The one rule that matters most: an unproven relay gets nothing more from us — with a
      // code we made, only that it is not ours and how many tries it has left.
      if (credentials.mode === 'pair' && credentials.guard && challenge.salt) {
        const triesLeft = credentials.guard.refuse(challenge.salt);
        this.socket.send(
          JSON.stringify({ type: 'pair_refused', reason: 'code_mismatch', triesLeft }),
        );
        return this.fail('code_mismatch', 'the relay has another code', CloseCode.codeMismatch);
      }
      if (credentials.mode === 'pair' && challenge.salt)
        credentials.typed?.wrong(challenge.salt, credentials.code);
      return this.fail('untrusted', 'the relay could not prove it knows the pairing secret');
    }
    if (credentials.mode === 'pair' && challenge.salt) credentials.guard?.match(challenge.salt);
    if (this.isClosed()) return;
    const proof = await signProof('ext', key, ctx);
    if (this.isClosed()) return;
    this.phase = { name: 'proof_sent', stretched, ctx };
    this.socket.send(JSON.stringify({ type: 'proof', proof }));
  }

  private async receiveReady(
    data: string,
    phase: Extract<Phase, { name: 'proof_sent' }>,
  ): Promise<void> {
    const parsed = parseFrame(ReadyFrame, data);
    if (!parsed.ok) return this.fail('protocol_error', `expected ready: ${parsed.error}`);
    const ready = parsed.frame;
    const { credentials } = this.options;
    let pairing: Pairing;
    if (credentials.mode !== 'pair') {
      if (ready.pairingId !== credentials.pairing.pairingId) {
        return this.fail('protocol_error', 'ready for another pairing');
      }
      pairing = credentials.pairing;
    } else {
      if (!phase.stretched) return this.fail('protocol_error', 'pairing state lost');
      const key = await derivePairingKey(
        phase.stretched,
        phase.ctx.extensionNonce,
        phase.ctx.relayNonce,
      );
      const holdKey = this.options.holdKey ?? importPairingKey;
      pairing = { pairingId: ready.pairingId, key: await holdKey(key) };
    }
    if (this.isClosed()) return;
    clearTimeout(this.handshakeTimer);
    this.phase = { name: 'ready' };
    this.options.events.onReady({ relayId: ready.relayId, mcpClient: ready.mcpClient, pairing });
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
        this.socket.close(sendable ? code : CloseCode.protocolError, detail.slice(0, 120));
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
