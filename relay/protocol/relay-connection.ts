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
  deriveCheckValue,
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
  AwaitingConfirmationFrame,
  ChallengeFrame,
  ChallengeVersion,
  CloseCode,
  type ExtensionSessionFrame,
  HANDSHAKE_TIMEOUT_MS,
  type HelloFrame,
  MAX_FRAME_BYTES,
  MAX_FRAMES_PER_SECOND,
  type McpClientInfo,
  PAIRING_HANDSHAKE_TIMEOUT_MS,
  PairChallengeFrame,
  type PairProofFrame,
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
  /** The pairing the patient confirmed (the check values matched): the relay keeps it. */
  | { mode: 'confirm'; pairing: Pairing }
  /** `code`: the normalised code the patient typed (the relay made it and showed it). */
  | { mode: 'pair'; codeMadeBy: 'relay'; code: string; typed?: TypedCodeGuard }
  /**
   * `code`: the normalised code we made and showed; a `guard` counts the relays' wrong proofs
   * as tries (see pending-pairing.ts).
   */
  | { mode: 'pair'; codeMadeBy: 'extension'; code: string; guard?: PairingGuard };

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
  /** It did not verify: spends a try of that port (the relay is told nothing about tries). */
  refuse(salt: string): void;
  match(salt: string): void;
}

export interface RelayReady {
  relayId: string;
  mcpClient: McpClientInfo | null;
  /** The pairing this connection proved; a new one (with its key K) in pair mode. */
  pairing: Pairing;
  /** The portal the relay serves, as its proof covered it. */
  portal: string;
}

/** Pair mode with a code we made: what the patient must confirm before we pair. */
export interface PairingCandidate {
  /** The new pairing, kept by neither side until the patient confirms. */
  pairing: Pairing;
  /** The value both sides show (`482 913`). */
  checkValue: string;
  /** What the AI client calls itself — its word, never an identity. */
  mcpClient: McpClientInfo | null;
  expiresAt: string;
  portal: string;
}

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
  | { name: 'hello_sent'; nonce: string }
  | { name: 'proving' }
  | { name: 'proof_sent'; stretched: Uint8Array | null; ctx: HandshakeContext }
  | { name: 'ready' }
  | { name: 'awaiting' }
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
    // After the frames before it: the relay's last frame (ready, awaiting_confirmation) is often
    // followed at once by its close, while that frame's crypto is still being done.
    this.socket.onclose = (event) => {
      this.queue = this.queue.then(() => this.socketClosed(event.code, event.reason));
    };
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
      credentials.mode === 'pair'
        ? {
            type: 'hello',
            v: PROTOCOL_VERSION,
            mode: 'pair',
            nonce,
            codeMadeBy: credentials.codeMadeBy,
          }
        : {
            type: 'hello',
            v: PROTOCOL_VERSION,
            mode: credentials.mode,
            nonce,
            pairingId: credentials.pairing.pairingId,
          };
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
    const version = parseFrame(ChallengeVersion, data);
    if (!version.ok) return this.fail('untrusted', `no valid challenge: ${version.error}`);
    if (version.frame.v !== PROTOCOL_VERSION) {
      return this.fail(
        'version_mismatch',
        `relay speaks protocol v${version.frame.v}`,
        CloseCode.versionMismatch,
      );
    }
    this.phase = { name: 'proving' };
    const { credentials } = this.options;
    if (credentials.mode === 'pair') return this.answerPairChallenge(data, extensionNonce);

    const parsed = parseFrame(ChallengeFrame, data);
    if (!parsed.ok) return this.fail('untrusted', `no valid challenge: ${parsed.error}`);
    const challenge = parsed.frame;
    const ctx: HandshakeContext = {
      mode: credentials.mode,
      port: this.options.port,
      portal: challenge.portal,
      extensionNonce,
      relayNonce: challenge.nonce,
      pairingId: credentials.pairing.pairingId,
    };
    const { key } = credentials.pairing;
    if (!(await verifyProof('relay', key, ctx, challenge.proof))) {
      // The one rule that matters most: an unproven relay gets nothing more from us.
      return this.fail('untrusted', 'the relay could not prove it knows the pairing secret');
    }
    if (this.isClosed()) return;
    const proof = await signProof('ext', key, ctx);
    if (this.isClosed()) return;
    this.phase = { name: 'proof_sent', stretched: null, ctx };
    this.socket.send(JSON.stringify({ type: 'proof', proof }));
  }

  /** Pair mode: find the relay's offer made with our code; answer it, or refuse them all. */
  private async answerPairChallenge(data: string, extensionNonce: string): Promise<void> {
    const credentials = this.options.credentials;
    if (credentials.mode !== 'pair') return;
    const parsed = parseFrame(PairChallengeFrame, data);
    if (!parsed.ok) return this.fail('untrusted', `no valid pairing challenge: ${parsed.error}`);
    const challenge = parsed.frame;
    const base: HandshakeContext = {
      mode: 'pair',
      port: this.options.port,
      portal: challenge.portal,
      extensionNonce,
      relayNonce: challenge.nonce,
      codeMadeBy: credentials.codeMadeBy,
    };
    const admit = (salt: string) =>
      credentials.codeMadeBy === 'extension'
        ? (credentials.guard?.admit(salt) ?? true)
        : (credentials.typed?.admit(salt) ?? true);
    const judged: string[] = [];
    let found: { salt: string; stretched: Uint8Array } | null = null;
    for (const offer of challenge.offers) {
      if (judged.includes(offer.salt) || !admit(offer.salt)) continue;
      judged.push(offer.salt);
      const stretched = await stretchPairingCode(
        credentials.code,
        fromBase64Url(offer.salt),
        this.options.stretchIterations,
      );
      if (this.isClosed()) return;
      if (await verifyProof('relay', stretched, { ...base, salt: offer.salt }, offer.proof)) {
        found = { salt: offer.salt, stretched };
        break;
      }
    }
    if (!found) return this.refuseOffers(judged);
    if (credentials.codeMadeBy === 'extension') credentials.guard?.match(found.salt);
    const checkNonce = credentials.codeMadeBy === 'extension' ? randomNonce() : undefined;
    const ctx: HandshakeContext = { ...base, salt: found.salt, checkNonce };
    const proof = await signProof('ext', found.stretched, ctx);
    if (this.isClosed()) return;
    this.phase = { name: 'proof_sent', stretched: found.stretched, ctx };
    const answer: PairProofFrame = { type: 'proof', salt: found.salt, proof, checkNonce };
    this.socket.send(JSON.stringify(answer));
  }

  /**
   * None of the relay's offers is our code (or none could be judged). An unproven relay learns
   * only that: with a code we made, `pair_refused`, and each wrong offer spends a try.
   */
  private refuseOffers(judged: string[]): void {
    const credentials = this.options.credentials;
    if (credentials.mode !== 'pair') return;
    if (judged.length === 0) {
      if (credentials.codeMadeBy === 'extension') {
        this.fail('no_pending_code', 'these codes were already judged', CloseCode.normal);
      } else this.fail('pairing_locked', 'too many wrong codes typed', CloseCode.normal);
      return;
    }
    if (credentials.codeMadeBy === 'extension') {
      for (const salt of judged) credentials.guard?.refuse(salt);
      this.socket.send(JSON.stringify({ type: 'pair_refused', reason: 'code_mismatch' }));
      this.fail('code_mismatch', 'the relay has another code', CloseCode.codeMismatch);
      return;
    }
    for (const salt of judged) credentials.typed?.wrong(salt, credentials.code);
    this.fail('untrusted', 'the relay could not prove it knows the typed code');
  }

  private async receiveReady(
    data: string,
    phase: Extract<Phase, { name: 'proof_sent' }>,
  ): Promise<void> {
    const { credentials } = this.options;
    if (credentials.mode === 'pair' && credentials.codeMadeBy === 'extension') {
      return this.receiveAwaiting(data, phase);
    }
    const parsed = parseFrame(ReadyFrame, data);
    if (!parsed.ok) return this.fail('protocol_error', `expected ready: ${parsed.error}`);
    const ready = parsed.frame;
    let pairing: Pairing;
    if (credentials.mode !== 'pair') {
      if (ready.pairingId !== credentials.pairing.pairingId) {
        return this.fail('protocol_error', 'ready for another pairing');
      }
      pairing = credentials.pairing;
    } else {
      const key = await this.newKey(phase);
      if (!key) return;
      pairing = { pairingId: ready.pairingId, key };
    }
    if (this.isClosed()) return;
    clearTimeout(this.handshakeTimer);
    this.phase = { name: 'ready' };
    this.options.events.onReady({
      relayId: ready.relayId,
      mcpClient: ready.mcpClient,
      pairing,
      portal: phase.ctx.portal,
    });
  }

  /** A code we made: the relay holds the new key; we compute the check value and stop here. */
  private async receiveAwaiting(
    data: string,
    phase: Extract<Phase, { name: 'proof_sent' }>,
  ): Promise<void> {
    const parsed = parseFrame(AwaitingConfirmationFrame, data);
    if (!parsed.ok) return this.fail('protocol_error', `expected awaiting: ${parsed.error}`);
    const { ctx, stretched } = phase;
    if (!stretched || !ctx.checkNonce) return this.fail('protocol_error', 'pairing state lost');
    const raw = await derivePairingKey(stretched, ctx.extensionNonce, ctx.relayNonce);
    const checkValue = await deriveCheckValue(raw, {
      extensionNonce: ctx.extensionNonce,
      relayNonce: ctx.relayNonce,
      checkNonce: ctx.checkNonce,
    });
    const key = await (this.options.holdKey ?? importPairingKey)(raw);
    if (this.isClosed()) return;
    clearTimeout(this.handshakeTimer);
    this.phase = { name: 'awaiting' };
    this.options.events.onAwaitingConfirmation?.({
      pairing: { pairingId: parsed.frame.pairingId, key },
      checkValue,
      mcpClient: parsed.frame.mcpClient,
      expiresAt: parsed.frame.expiresAt,
      portal: ctx.portal,
    });
    this.finish('awaiting_confirmation', 'the patient compares the check values', CloseCode.normal);
  }

  private async newKey(phase: Extract<Phase, { name: 'proof_sent' }>): Promise<PairingKey | null> {
    if (!phase.stretched) {
      this.fail('protocol_error', 'pairing state lost');
      return null;
    }
    const key = await derivePairingKey(
      phase.stretched,
      phase.ctx.extensionNonce,
      phase.ctx.relayNonce,
    );
    return (this.options.holdKey ?? importPairingKey)(key);
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
