/**
 * A connection to every paired relay in the port range: each AI client starts its own relay,
 * and each must get the token. Ports with nothing on them are retried with capped, jittered
 * backoff, so a relay started (or restarted) later is found without the patient doing anything.
 * Nothing is opened before the extension is paired: a fresh profile sends no frame at all.
 * (Over 250 lines: the connections, their backoff and the frames they pass on share one table of
 * ports; a connection's handshake is relay-connection.ts.)
 */
import { normalizePairingCode } from '../../relay/protocol/handshake-crypto';
import type { ExtensionSessionFrame, RelaySessionFrame } from '../../relay/protocol/protocol';
import {
  type RelayCloseOutcome,
  RelayConnection,
  type RelayReady,
  type SocketFactory,
  type TypedCodeGuard,
} from '../../relay/protocol/relay-connection';
import { backoffDelay, RELAY_RECONNECT_BACKOFF } from './backoff';
import type { Pairing, PairingVerification } from './pairing-store';
import {
  type PairOutcome,
  pairFailureReason,
  type RelaySlotState,
  type RelayView,
} from './relay-views';
import { TypedCodeTries } from './typed-code-tries';

/** Chrome ≥ 116 keeps a service worker alive while its WebSocket traffic is under 30 s apart. */
export const KEEPALIVE_INTERVAL_MS = 20_000;
/** A session silent for this many keep-alive intervals is presumed dead and reconnected. */
const SILENT_INTERVALS_LIMIT = 3;

export interface RelayPoolEvents {
  /** A relay proved itself: deliver what it should hold (the token, if any). */
  onReady(port: number): void;
  onFrame(port: number, frame: RelaySessionFrame): void;
  /** Views changed (connection state, client name, token state). */
  onChange(): void;
}

export interface RelayPoolOptions {
  ports: number[];
  createSocket: SocketFactory;
  /**
   * The portal origin the extension uses: a relay whose proof states another portal gets no
   * token (a workspace config or an install setting pointing it elsewhere would otherwise get
   * the patient's token, which works on the real portal).
   */
  portal: string;
  loadPairing: () => Promise<Pairing | null>;
  savePairing: (pairing: Pairing, verified: PairingVerification) => Promise<void>;
  events: RelayPoolEvents;
  random?: () => number;
  handshakeTimeoutMs?: number;
  /** Default KEEPALIVE_INTERVAL_MS; tests shorten it. */
  keepaliveMs?: number;
  stretchIterations?: number;
  /** Wrong typed codes, counted across pools (the background replaces its pool often). */
  typedTries?: TypedCodeTries;
}

interface Slot {
  port: number;
  view: RelayView;
  connection: RelayConnection | null;
  attempt: number;
  retryTimer: ReturnType<typeof setTimeout> | null;
  pingTimer: ReturnType<typeof setInterval> | null;
  lastHeard: number;
  /** Pings that ask whether the frames sent before them were handled, by their `t`. */
  handledPings: Map<number, (handled: boolean) => void>;
}

const OUTCOME_STATE: Partial<Record<RelayCloseOutcome, RelaySlotState>> = {
  untrusted: 'untrusted',
  not_paired: 'not_paired',
  auth_failed: 'auth_failed',
  version_mismatch: 'version_mismatch',
};

export class RelayPool {
  private slots = new Map<number, Slot>();
  private pairing: Pairing | null = null;
  private running = false;
  private readonly keepaliveMs: number;
  private readonly typedTries: TypedCodeTries;
  /** Keep-alive pings carry the time (positive); pings that ask "handled?" count down from -1. */
  private lastHandledPing = 0;

  constructor(private readonly options: RelayPoolOptions) {
    this.keepaliveMs = options.keepaliveMs ?? KEEPALIVE_INTERVAL_MS;
    this.typedTries = options.typedTries ?? new TypedCodeTries();
    for (const port of options.ports) this.slots.set(port, newSlot(port));
  }

  /** Loads the pairing and connects to every port (no-op when not paired). */
  async start(): Promise<void> {
    this.pairing = await this.options.loadPairing();
    this.running = true;
    if (!this.pairing) return;
    for (const slot of this.slots.values()) if (!slot.connection) this.connect(slot);
  }

  /** Closes every connection and cancels every retry. */
  stop(): void {
    this.running = false;
    for (const slot of this.slots.values()) this.reset(slot);
    this.options.events.onChange();
  }

  /** Retries idle ports now (the popup opened, an alarm woke the service worker). */
  wake(): void {
    if (!this.running || !this.pairing) return;
    for (const slot of this.slots.values()) {
      if (slot.connection) continue;
      if (slot.retryTimer) clearTimeout(slot.retryTimer);
      slot.retryTimer = null;
      this.connect(slot);
    }
  }

  /**
   * Resolves once every port's current attempt has ended (a relay ready, or nothing there), or
   * after `timeoutMs`: for a step that must reach every relay that is running.
   */
  async settled(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const pending = () =>
      [...this.slots.values()].some(
        (slot) => slot.connection !== null && slot.view.state !== 'connected',
      );
    while (pending() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  get isPaired(): boolean {
    return this.pairing !== null;
  }

  views(): RelayView[] {
    return [...this.slots.values()].map((slot) => ({ ...slot.view }));
  }

  /** Sends a frame to one relay, if it has proved itself and serves our portal. */
  send(port: number, frame: ExtensionSessionFrame): boolean {
    const slot = this.slots.get(port);
    return (slot?.view.state === 'connected' && slot.connection?.send(frame)) || false;
  }

  /** Sends a frame to every relay that has proved itself and serves our portal. */
  broadcast(frame: ExtensionSessionFrame): number {
    let reached = 0;
    for (const slot of this.slots.values()) if (this.send(slot.port, frame)) reached += 1;
    return reached;
  }

  /**
   * Sends a frame to every relay that has proved itself and serves our portal, and resolves once
   * each of them has handled it — or after `timeoutMs`. A relay handles its frames one after
   * the other, in the order they arrive, so its pong to a ping sent right after the frame says
   * the frame is done (a withdrawal applied: no call of its assistant is served with the token
   * any more). A relay whose connection closes before it answers has not handled it.
   */
  async broadcastHandled(
    frame: ExtensionSessionFrame,
    timeoutMs: number,
  ): Promise<{ sent: number; handled: number }> {
    const reached = [...this.slots.values()].filter((slot) => this.send(slot.port, frame));
    const answers = await Promise.all(reached.map((slot) => this.handledBy(slot, timeoutMs)));
    return { sent: reached.length, handled: answers.filter(Boolean).length };
  }

  /** The ports of the relays that proved themselves and serve our portal. */
  connectedPorts(): number[] {
    return [...this.slots.values()].filter((s) => s.view.state === 'connected').map((s) => s.port);
  }

  /**
   * Pairs with the relays of this user using the code printed by `hospiai-mcp pair`: ports are
   * tried in order until one relay proves it knows the code; the new secret then serves all.
   */
  async pair(typedCode: string): Promise<PairOutcome> {
    const code = normalizePairingCode(typedCode);
    if (!code) return { ok: false, reason: 'invalid_code', port: null };
    let failure: Exclude<PairOutcome, { ok: true }> | null = null;
    const triesLeft: number[] = [];
    const typed = this.typedTries.guard((left) => triesLeft.push(left));
    for (const port of this.slots.keys()) {
      const attempt = await this.pairOnPort(port, code, typed);
      if ('pairing' in attempt) {
        await this.options.savePairing(attempt.pairing, { by: 'typed_code' });
        this.stop();
        await this.start();
        return { ok: true, port };
      }
      // The most telling failure wins: a mismatch beats "nothing there".
      if (attempt.outcome !== 'absent' && (!failure || failure.reason === 'no_pending_code')) {
        failure = { ok: false, reason: pairFailureReason(attempt.outcome), port };
      }
    }
    if (failure?.reason === 'code_mismatch' && triesLeft.length > 0) {
      return { ...failure, triesLeft: Math.min(...triesLeft) };
    }
    return failure ?? { ok: false, reason: 'no_relay', port: null };
  }

  private pairOnPort(
    port: number,
    code: string,
    typed: TypedCodeGuard,
  ): Promise<{ pairing: Pairing } | { outcome: RelayCloseOutcome }> {
    return new Promise((resolve) => {
      const connection: RelayConnection = new RelayConnection({
        port,
        credentials: { mode: 'pair', codeMadeBy: 'relay', code, typed },
        createSocket: this.options.createSocket,
        handshakeTimeoutMs: this.options.handshakeTimeoutMs,
        stretchIterations: this.options.stretchIterations,
        events: {
          onReady: (ready) => {
            resolve({ pairing: ready.pairing });
            connection.close();
          },
          onFrame: () => {},
          onClosed: (outcome) => resolve({ outcome }),
        },
      });
    });
  }

  private connect(slot: Slot): void {
    const pairing = this.pairing;
    if (!pairing || !this.running) return;
    slot.retryTimer = null;
    // A port keeps what it last showed (nothing, or a program that is not our relay) while it
    // is tried again: the popup does not flicker between a problem and none on every retry.
    const { state } = slot.view;
    this.setView(slot, { state: state === 'connected' ? 'connecting' : state });
    const connection: RelayConnection = new RelayConnection({
      port: slot.port,
      credentials: { mode: 'auth', pairing },
      createSocket: this.options.createSocket,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs,
      events: {
        onReady: (ready) => this.ready(slot, connection, ready),
        onFrame: (frame) => this.frame(slot, frame),
        onClosed: (outcome) => this.closed(slot, connection, outcome),
      },
    });
    slot.connection = connection;
  }

  private ready(slot: Slot, connection: RelayConnection, ready: RelayReady): void {
    if (slot.connection !== connection) return;
    slot.attempt = 0;
    slot.lastHeard = Date.now();
    slot.pingTimer = setInterval(() => this.keepAlive(slot), this.keepaliveMs);
    if (ready.portal !== this.options.portal) {
      // Our relay, for another portal: it is told why it gets nothing, and the patient is shown.
      this.setView(slot, {
        state: 'wrong_portal',
        relayId: ready.relayId,
        client: ready.mcpClient,
        relayPortal: ready.portal,
      });
      connection.send({ type: 'revoke', reason: 'wrong_portal' });
      return;
    }
    this.setView(slot, {
      state: 'connected',
      relayId: ready.relayId,
      client: ready.mcpClient,
      relayPortal: undefined,
    });
    this.options.events.onReady(slot.port);
  }

  private frame(slot: Slot, frame: RelaySessionFrame): void {
    slot.lastHeard = Date.now();
    if (frame.type === 'pong') slot.handledPings.get(frame.t)?.(true);
    if (frame.type === 'status') {
      this.setView(slot, {
        client: frame.mcpClient,
        relayToken: frame.token.state,
        relaySource: frame.relaySource,
      });
    }
    this.options.events.onFrame(slot.port, frame);
  }

  /** Whether the relay answers, in time, a ping sent after what was sent to it so far. */
  private handledBy(slot: Slot, timeoutMs: number): Promise<boolean> {
    this.lastHandledPing -= 1;
    const t = this.lastHandledPing;
    return new Promise((resolve) => {
      const settle = (handled: boolean) => {
        clearTimeout(timer);
        slot.handledPings.delete(t);
        resolve(handled);
      };
      const timer = setTimeout(() => settle(false), timeoutMs);
      slot.handledPings.set(t, settle);
      if (!slot.connection?.send({ type: 'ping', t })) settle(false);
    });
  }

  private keepAlive(slot: Slot): void {
    if (Date.now() - slot.lastHeard > SILENT_INTERVALS_LIMIT * this.keepaliveMs) {
      slot.connection?.close();
      return;
    }
    slot.connection?.send({ type: 'ping', t: Date.now() });
  }

  private closed(slot: Slot, connection: RelayConnection, outcome: RelayCloseOutcome): void {
    if (slot.connection !== connection) return;
    slot.connection = null;
    unanswered(slot);
    if (slot.pingTimer) clearInterval(slot.pingTimer);
    slot.pingTimer = null;
    this.setView(slot, {
      state: OUTCOME_STATE[outcome] ?? 'absent',
      relayId: null,
      client: null,
      relayToken: null,
    });
    if (!this.running) return;
    const delay = backoffDelay(slot.attempt, RELAY_RECONNECT_BACKOFF, this.options.random);
    slot.attempt += 1;
    slot.retryTimer = setTimeout(() => this.connect(slot), delay);
  }

  private reset(slot: Slot): void {
    if (slot.retryTimer) clearTimeout(slot.retryTimer);
    if (slot.pingTimer) clearInterval(slot.pingTimer);
    const connection = slot.connection;
    unanswered(slot);
    Object.assign(slot, newSlot(slot.port));
    connection?.close();
  }

  private setView(slot: Slot, change: Partial<RelayView>): void {
    const next = { ...slot.view, ...change };
    const changed = (Object.keys(change) as (keyof RelayView)[]).some(
      (key) => JSON.stringify(next[key]) !== JSON.stringify(slot.view[key]),
    );
    slot.view = next;
    if (changed) this.options.events.onChange();
  }
}

function newSlot(port: number): Slot {
  return {
    port,
    view: { port, state: 'absent', relayId: null, client: null, relayToken: null },
    connection: null,
    attempt: 0,
    retryTimer: null,
    pingTimer: null,
    lastHeard: 0,
    handledPings: new Map(),
  };
}

/** The connection is gone: what was waiting for its relay's answer will not get it. */
function unanswered(slot: Slot): void {
  for (const settle of [...slot.handledPings.values()]) settle(false);
}
