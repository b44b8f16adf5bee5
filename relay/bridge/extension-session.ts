/**
 * One extension connection: awaiting hello → challenged → ready. The relay proves itself
 * first (its challenge carries an HMAC keyed by the pairing key, or one per code it offers),
 * then checks the extension's proof; only a ready session may deliver a token. A pairing with a
 * code the extension made ends instead with `awaiting_confirmation`: the patient compares the
 * check value, and the extension comes back in `confirm` mode (pairing-offers.ts). Every frame
 * is parsed against the schema of the current state, and anything else ends the connection.
 */
import { z } from 'zod';
import type { Logger } from '../logger';
import {
  deriveCheckValue,
  derivePairingKey,
  type HandshakeContext,
  randomNonce,
  signProof,
  verifyProof,
} from '../protocol/handshake-crypto';
import {
  type AwaitingConfirmationFrame,
  type ChallengeFrame,
  CloseCode,
  type CodeMadeBy,
  ExtensionSessionFrame,
  HANDSHAKE_TIMEOUT_MS,
  HelloFrame,
  MAX_FRAMES_PER_SECOND,
  PAIRING_HANDSHAKE_TIMEOUT_MS,
  type PairChallengeFrame,
  PairProofFrame,
  PairRefusedFrame,
  PROTOCOL_VERSION,
  ProofFrame,
  parseFrame,
  type ReadyFrame,
  type RelaySessionFrame,
  type StatusFrame,
} from '../protocol/protocol';
import { createRateLimiter, type RateLimiter } from '../protocol/rate-limiter';
import type { PairingOffers } from './pairing-offers';
import { findPairingKey } from './pairing-store';

/** What the session needs from its socket; the bridge adapts a `ws` WebSocket to it. */
export interface SessionTransport {
  send(text: string): void;
  close(code: CloseCode, reason: string): void;
}

/**
 * What the relay does with each session frame of the extension, by type: the one place a new
 * frame type is handled (`ping` is answered by the session itself).
 */
export type ExtensionFrameHandlers = {
  [K in Exclude<ExtensionSessionFrame['type'], 'ping'>]?: (
    frame: Extract<ExtensionSessionFrame, { type: K }>,
  ) => void;
};

export interface SessionCallbacks {
  getStatus: () => Omit<StatusFrame, 'type'>;
  onReady?: (session: ExtensionSession) => void;
  frames: ExtensionFrameHandlers;
}

export interface SessionOptions extends SessionCallbacks {
  transport: SessionTransport;
  /** The home's pairings and the codes this relay offers (pairing-offers.ts). */
  offers: PairingOffers;
  /** The portal this relay serves (an origin): stated in every challenge, covered by its proof. */
  portal: string;
  /** The connection's `Origin`, already checked at the upgrade; a pairing pins it. */
  origin: string;
  relayId: string;
  /** The port this relay listens on, bound into every proof. */
  port: number;
  logger: Logger;
  handshakeTimeoutMs?: number;
  /** The deadline of a pairing handshake, from its hello (PAIRING_HANDSHAKE_TIMEOUT_MS). */
  pairingTimeoutMs?: number;
  /** The connection asked to pair while a code is pending: it gets the pairing deadline. */
  onPairingDeadline?(timeoutMs: number): void;
  maxFramesPerSecond?: number;
}

type Phase =
  | { name: 'awaitingHello' }
  | {
      name: 'challenged';
      mode: 'pair';
      ctx: HandshakeContext;
      codeMadeBy: CodeMadeBy;
      salts: string[];
    }
  | {
      name: 'challenged';
      mode: 'auth' | 'probe' | 'confirm';
      ctx: HandshakeContext;
      key: Uint8Array;
      pairingId: string;
    }
  | { name: 'ready'; pairingId: string }
  | { name: 'closed' };

export type SessionState = Phase['name'];

/** What a pair-mode extension answers our challenge with. */
const PairAnswerFrame = z.discriminatedUnion('type', [PairProofFrame, PairRefusedFrame]);

/** Only `type` and `v` are read first, so that a newer extension gets a clear version error. */
const VersionProbe = z.object({ type: z.literal('hello'), v: z.number() });

/** Close reasons must fit in a control frame (123 bytes). */
const closeReason = (text: string) => text.slice(0, 120);

export class ExtensionSession {
  private phase: Phase = { name: 'awaitingHello' };
  /** Frames are handled one at a time, in order, even when a step awaits crypto or disk. */
  private queue: Promise<void> = Promise.resolve();
  private handshakeTimer: NodeJS.Timeout;
  private readonly rateLimiter: RateLimiter;
  private readonly log: Logger;

  constructor(private readonly options: SessionOptions) {
    this.log = options.logger;
    this.rateLimiter = createRateLimiter(options.maxFramesPerSecond ?? MAX_FRAMES_PER_SECOND);
    this.handshakeTimer = this.startDeadline(options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS);
  }

  private startDeadline(timeoutMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.log.info('connection closed: handshake not completed in time', { timeoutMs });
      this.close(CloseCode.handshakeTimeout, 'handshake not completed in time');
    }, timeoutMs);
    timer.unref();
    return timer;
  }

  get state(): SessionState {
    return this.phase.name;
  }

  /** The pairing this session proved, once ready. */
  get pairingId(): string | null {
    return this.phase.name === 'ready' ? this.phase.pairingId : null;
  }

  /** A frame from the extension. */
  receive(data: string, isBinary = false): void {
    if (this.phase.name === 'closed') return;
    if (!this.rateLimiter.take()) {
      this.log.warn('connection closed: too many frames');
      this.close(CloseCode.rateLimited, 'too many frames');
      return;
    }
    if (isBinary) {
      this.close(CloseCode.protocolError, 'binary frames are not part of the protocol');
      return;
    }
    this.queue = this.queue
      .then(() => this.handle(data))
      .catch((error: unknown) => {
        this.log.error('connection closed: relay error during the handshake', { error });
        this.close(CloseCode.internalError, 'relay error');
      });
  }

  /** Sends a session frame; false unless the session is ready. */
  send(frame: RelaySessionFrame): boolean {
    if (this.phase.name !== 'ready') return false;
    this.options.transport.send(JSON.stringify(frame));
    return true;
  }

  close(code: CloseCode, reason: string): void {
    if (this.phase.name === 'closed') return;
    this.phase = { name: 'closed' };
    clearTimeout(this.handshakeTimer);
    this.options.transport.close(code, closeReason(reason));
  }

  /** The socket went away (either side closed it). */
  transportClosed(): void {
    this.phase = { name: 'closed' };
    clearTimeout(this.handshakeTimer);
  }

  private async handle(data: string): Promise<void> {
    switch (this.phase.name) {
      case 'awaitingHello':
        return this.handleHello(data);
      case 'challenged':
        return this.handleProof(data, this.phase);
      case 'ready':
        return this.handleSessionFrame(data);
      case 'closed':
        return;
    }
  }

  private async handleHello(data: string): Promise<void> {
    const probe = parseLoose(data);
    if (probe && probe.v !== PROTOCOL_VERSION) {
      this.log.warn('connection closed: protocol version mismatch', { extension: probe.v });
      this.close(
        CloseCode.versionMismatch,
        `relay speaks protocol v${PROTOCOL_VERSION}, extension v${probe.v}: update the older one`,
      );
      return;
    }
    const hello = this.parseOrClose(HelloFrame, data, 'hello');
    if (!hello) return;
    const base = {
      port: this.options.port,
      portal: this.options.portal,
      extensionNonce: hello.nonce,
      relayNonce: randomNonce(),
    };
    if (hello.mode === 'pair') return this.challengePairing(hello.codeMadeBy, base);

    const key =
      hello.mode === 'confirm'
        ? this.options.offers.candidateKey(hello.pairingId, this.options.origin)
        : await findPairingKey(this.options.offers.home, hello.pairingId, this.options.origin);
    if (this.isClosed()) return;
    if (!key) {
      this.log.info('connection refused: unknown pairing', {
        pairingId: hello.pairingId,
        mode: hello.mode,
      });
      this.close(
        CloseCode.notPaired,
        hello.mode === 'confirm'
          ? 'no pairing waits for confirmation: show a new code'
          : 'not paired with this relay: pair again',
      );
      return;
    }
    const ctx: HandshakeContext = { mode: hello.mode, ...base, pairingId: hello.pairingId };
    const proof = await signProof('relay', key, ctx);
    if (this.isClosed()) return;
    this.phase = { name: 'challenged', mode: hello.mode, ctx, key, pairingId: hello.pairingId };
    this.sendHandshake({
      type: 'challenge',
      v: PROTOCOL_VERSION,
      nonce: base.relayNonce,
      portal: base.portal,
      proof,
    });
  }

  /** Pair mode: a proof per code we hold of the kind the extension holds, ours first. */
  private async challengePairing(
    codeMadeBy: CodeMadeBy,
    base: Omit<HandshakeContext, 'mode'>,
  ): Promise<void> {
    const offers = await this.options.offers.offers(codeMadeBy);
    if (this.isClosed()) return;
    if (offers === 'locked') {
      this.log.warn('pairing refused: too many wrong codes, the code is now void');
      this.close(CloseCode.pairingLocked, 'too many wrong codes: run hospiai-mcp pair again');
      return;
    }
    if (offers.length === 0) {
      this.log.info('pairing refused: no pending pairing code', { codeMadeBy });
      this.close(CloseCode.noPendingCode, 'no pairing code is waiting: run hospiai-mcp pair');
      return;
    }
    // The extension stretches the code before it can answer: a slow machine gets the time.
    const pairingTimeoutMs = this.options.pairingTimeoutMs ?? PAIRING_HANDSHAKE_TIMEOUT_MS;
    clearTimeout(this.handshakeTimer);
    this.handshakeTimer = this.startDeadline(pairingTimeoutMs);
    this.options.onPairingDeadline?.(pairingTimeoutMs);
    const ctx: HandshakeContext = { mode: 'pair', ...base, codeMadeBy };
    const signed = await Promise.all(
      offers.map(async ({ salt, stretched }) => ({
        salt,
        proof: await signProof('relay', stretched, { ...ctx, salt }),
      })),
    );
    if (this.isClosed()) return;
    this.phase = {
      name: 'challenged',
      mode: 'pair',
      ctx,
      codeMadeBy,
      salts: signed.map((offer) => offer.salt),
    };
    this.sendHandshake({
      type: 'challenge',
      v: PROTOCOL_VERSION,
      nonce: base.relayNonce,
      portal: base.portal,
      offers: signed,
    });
  }

  private async handleProof(
    data: string,
    phase: Extract<Phase, { name: 'challenged' }>,
  ): Promise<void> {
    if (phase.mode === 'pair') return this.handlePairAnswer(data, phase);
    const frame = this.parseOrClose(ProofFrame, data, 'proof');
    if (!frame) return;
    const valid = await verifyProof('ext', phase.key, phase.ctx, frame.proof);
    if (this.isClosed()) return;
    if (!valid) {
      this.log.warn('connection refused: wrong proof', { pairingId: phase.pairingId });
      this.close(CloseCode.authFailed, 'authentication failed');
      return;
    }
    if (phase.mode === 'probe') return this.answerProbe(phase.pairingId);
    if (phase.mode === 'confirm') {
      if (!(await this.options.offers.confirm(phase.pairingId))) {
        this.close(CloseCode.notPaired, 'the pairing to confirm expired: show a new code');
        return;
      }
      this.log.info('pairing confirmed by the patient', { pairingId: phase.pairingId });
    }
    this.becomeReady(phase.pairingId);
  }

  private async handlePairAnswer(
    data: string,
    phase: Extract<Phase, { name: 'challenged'; mode: 'pair' }>,
  ): Promise<void> {
    const frame = this.parseOrClose(PairAnswerFrame, data, 'proof');
    if (!frame) return;
    if (frame.type === 'pair_refused') {
      // Whoever sent it proved nothing: it ends this connection and changes nothing else.
      this.log.info('pairing refused by the peer: its code differs');
      if (phase.codeMadeBy === 'extension') this.options.offers.noteRefused();
      this.close(CloseCode.codeMismatch, 'the extension’s code differs');
      return;
    }
    if (!phase.salts.includes(frame.salt)) {
      this.close(CloseCode.protocolError, 'a proof for a code that was not offered');
      return;
    }
    const byExtension = phase.codeMadeBy === 'extension';
    if (byExtension && !frame.checkNonce) {
      this.close(CloseCode.protocolError, 'a code the extension made needs a check nonce');
      return;
    }
    const ctx: HandshakeContext = { ...phase.ctx, salt: frame.salt, checkNonce: frame.checkNonce };
    const attempt = await this.options.offers.attempt({
      codeMadeBy: phase.codeMadeBy,
      salt: frame.salt,
      origin: this.options.origin,
      verify: (stretched) => verifyProof('ext', stretched, ctx, frame.proof),
      deriveKey: (stretched) => derivePairingKey(stretched, ctx.extensionNonce, ctx.relayNonce),
      checkValue: (key) =>
        deriveCheckValue(key, {
          extensionNonce: ctx.extensionNonce,
          relayNonce: ctx.relayNonce,
          checkNonce: frame.checkNonce ?? '',
        }),
    });
    if (this.isClosed()) return;
    switch (attempt.outcome) {
      case 'paired':
        this.log.info('pairing succeeded', { pairingId: attempt.pairingId });
        this.becomeReady(attempt.pairingId);
        return;
      case 'awaiting':
        this.log.info('pairing waits for the patient to compare the check values', {
          pairingId: attempt.pairingId,
        });
        this.awaitConfirmation(attempt.pairingId, attempt.expiresAt);
        return;
      case 'wrongProof':
        this.log.warn('pairing failed: wrong code', { triesLeft: attempt.triesLeft });
        this.close(CloseCode.authFailed, `wrong pairing code (${attempt.triesLeft} tries left)`);
        return;
      case 'locked':
        this.log.warn('pairing refused: too many wrong codes, the code is now void');
        this.close(CloseCode.pairingLocked, 'too many wrong codes: run hospiai-mcp pair again');
        return;
      case 'noPendingCode':
        this.log.info('pairing failed: the code expired or was used meanwhile');
        this.close(CloseCode.noPendingCode, 'the pairing code expired or was already used');
        return;
    }
  }

  /** Both proofs of a code the extension made verified: the patient now compares the values. */
  private awaitConfirmation(pairingId: string, expiresAt: string): void {
    clearTimeout(this.handshakeTimer);
    this.sendHandshake({
      type: 'awaiting_confirmation',
      pairingId,
      mcpClient: this.options.getStatus().mcpClient,
      expiresAt,
    });
    this.close(CloseCode.awaitingConfirmation, 'compare the check values, then confirm');
  }

  private becomeReady(pairingId: string): void {
    clearTimeout(this.handshakeTimer);
    this.phase = { name: 'ready', pairingId };
    this.sendReadyAndStatus(pairingId);
    this.options.onReady?.(this);
  }

  /** `ready` (who this relay is, for which MCP client), then the relay's status. */
  private sendReadyAndStatus(pairingId: string): void {
    const status = this.options.getStatus();
    this.sendHandshake({
      type: 'ready',
      relayId: this.options.relayId,
      pairingId,
      mcpClient: status.mcpClient,
    });
    this.options.transport.send(JSON.stringify({ type: 'status', ...status }));
  }

  /** What doctor needs to know, then goodbye: never a session, never counted, never greeted. */
  private answerProbe(pairingId: string): void {
    clearTimeout(this.handshakeTimer);
    this.sendReadyAndStatus(pairingId);
    this.log.info('probe answered', { pairingId });
    this.close(CloseCode.normal, 'probe answered');
  }

  private handleSessionFrame(data: string): void {
    const frame = this.parseOrClose(ExtensionSessionFrame, data, 'session');
    if (!frame) return;
    if (frame.type === 'ping') {
      this.send({ type: 'pong', t: frame.t });
      return;
    }
    const handle = this.options.frames[frame.type] as ((f: typeof frame) => void) | undefined;
    try {
      handle?.(frame);
    } catch (error) {
      // A failing consumer must not take the connection (or the relay) down with it.
      this.log.error('session frame handler failed', { frame: frame.type, error });
    }
  }

  private parseOrClose<S extends z.ZodType>(
    schema: S,
    data: string,
    expected: string,
  ): z.infer<S> | null {
    const parsed = parseFrame(schema, data);
    if (parsed.ok) return parsed.frame;
    // The frame itself is never logged: it may be a token sent too early.
    this.log.warn('connection closed: unexpected frame', { expected, state: this.phase.name });
    this.close(CloseCode.protocolError, `expected a ${expected} frame: ${parsed.error}`);
    return null;
  }

  private sendHandshake(
    frame: ChallengeFrame | PairChallengeFrame | ReadyFrame | AwaitingConfirmationFrame,
  ): void {
    this.options.transport.send(JSON.stringify(frame));
  }

  private isClosed(): boolean {
    return this.phase.name === 'closed';
  }
}

function parseLoose(data: string): z.infer<typeof VersionProbe> | null {
  try {
    const parsed = VersionProbe.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
