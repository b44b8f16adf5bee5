/**
 * One extension connection: awaiting hello → challenged → ready. The handshake's steps are
 * relay-handshake.ts (the relay proves itself first; only a ready session may deliver a token);
 * this is the connection around them: its deadlines, frames handled in order and rate-limited,
 * every frame parsed against the schema of the current state, anything else ending it — and,
 * once ready, the session frames dispatched to their handlers.
 * (Over 250 lines: the connection's states, deadlines and frame gate read as one machine; its
 * handshake steps are relay-handshake.ts.)
 */
import type { z } from 'zod';
import type { Logger } from '../logger';
import {
  type AwaitingConfirmationFrame,
  type ChallengeFrame,
  CloseCode,
  ExtensionSessionFrame,
  fitCloseReason,
  HANDSHAKE_TIMEOUT_MS,
  HelloFrame,
  HelloVersion,
  MAX_FRAMES_PER_SECOND,
  PAIRING_HANDSHAKE_TIMEOUT_MS,
  type PairChallengeFrame,
  PROTOCOL_VERSION,
  parseFrame,
  type ReadyFrame,
  type RelaySessionFrame,
  type StatusFrame,
} from '../protocol/protocol';
import { createRateLimiter, type RateLimiter } from '../protocol/rate-limiter';
import type { PairingOffers } from './pairing-offers';
import { type HandshakeStep, RelayHandshake } from './relay-handshake';

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
    from: FrameSender,
  ) => void;
};

/** Which paired extension sent a frame: the pairing its session authenticated with. */
export interface FrameSender {
  pairingId: string;
}

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
  /** The clock that refills the frame rate, in ms (default performance.now; tests freeze it). */
  now?: () => number;
}

type Phase =
  | { name: 'awaitingHello' }
  | { name: 'challenged' }
  | { name: 'ready'; pairingId: string }
  | { name: 'closed' };

export type SessionState = Phase['name'];

export class ExtensionSession {
  private phase: Phase = { name: 'awaitingHello' };
  /** Frames are handled one at a time, in order, even when a step awaits crypto or disk. */
  private queue: Promise<void> = Promise.resolve();
  private handshakeTimer: NodeJS.Timeout;
  private readonly rateLimiter: RateLimiter;
  private readonly log: Logger;
  private readonly handshake: RelayHandshake;

  constructor(private readonly options: SessionOptions) {
    this.log = options.logger;
    this.handshake = new RelayHandshake(options);
    this.rateLimiter = createRateLimiter(
      options.maxFramesPerSecond ?? MAX_FRAMES_PER_SECOND,
      options.now,
    );
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
    this.options.transport.close(code, fitCloseReason(reason));
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
        return this.handleProof(data);
      case 'ready':
        return this.handleSessionFrame(data);
      case 'closed':
        return;
    }
  }

  private async handleHello(data: string): Promise<void> {
    const version = parseFrame(HelloVersion, data);
    if (version.ok && version.frame.v !== PROTOCOL_VERSION) {
      const extension = version.frame.v;
      this.log.warn('connection closed: protocol version mismatch', { extension });
      this.close(
        CloseCode.versionMismatch,
        `relay speaks protocol v${PROTOCOL_VERSION}, extension v${extension}: update the older one`,
      );
      return;
    }
    const hello = this.parseOrClose(HelloFrame, data, 'hello');
    if (!hello) return;
    const step = await this.handshake.hello(hello);
    if (!this.isClosed()) this.take(step);
  }

  private async handleProof(data: string): Promise<void> {
    const frame = this.parseOrClose(this.handshake.answerSchema, data, 'proof');
    if (!frame) return;
    const step = await this.handshake.answer(frame, () => !this.isClosed());
    if (!this.isClosed()) this.take(step);
  }

  /** Does what the handshake decided. */
  private take(step: HandshakeStep): void {
    switch (step.kind) {
      case 'challenge':
        if (step.pairing) {
          // The extension stretches the code before it can answer (a slow machine gets the time),
          // or its confirmation waits for the candidate's quiet time (pairing-offers.ts).
          const timeoutMs = this.options.pairingTimeoutMs ?? PAIRING_HANDSHAKE_TIMEOUT_MS;
          clearTimeout(this.handshakeTimer);
          this.handshakeTimer = this.startDeadline(timeoutMs);
          this.options.onPairingDeadline?.(timeoutMs);
        }
        this.phase = { name: 'challenged' };
        this.sendHandshake(step.frame);
        return;
      case 'ready':
        this.becomeReady(step.pairingId);
        return;
      case 'probe':
        this.answerProbe(step.pairingId);
        return;
      case 'awaiting':
        this.awaitConfirmation(step.pairingId, step.expiresAt);
        return;
      case 'close':
        this.close(step.code, step.reason);
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
    const handle = this.options.frames[frame.type] as
      | ((f: typeof frame, from: FrameSender) => void)
      | undefined;
    const pairingId = this.pairingId;
    if (pairingId === null) return;
    try {
      handle?.(frame, { pairingId });
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
