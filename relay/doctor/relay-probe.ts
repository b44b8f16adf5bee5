/**
 * What listens on a bridge port? `doctor` connects as the paired extension would — with the
 * extension's own handshake client (protocol/relay-connection.ts) on a `ws` socket — and runs
 * the handshake: a program that cannot prove itself with the pairing key is not the user's
 * relay. The probe sends nothing but its own proof, and only after the relay has proven itself.
 */
import WebSocket from 'ws';
import { CHROME_EXTENSION_ID } from '../protocol/extension-identity';
import type { StatusFrame } from '../protocol/protocol';
import {
  type Pairing,
  type RelayCloseOutcome,
  RelayConnection,
  type SocketLike,
} from '../protocol/relay-connection';

/** What the program on the port did, as a sentence of doctor-text.ts ("it …"). */
export type ProbeReason =
  | {
      key:
        | 'probeUntrusted'
        | 'probeRefusedPairing'
        | 'probeVersionMismatch'
        | 'probeProtocolError'
        | 'probeNotARelay'
        | 'probeNoPairing';
    }
  | { key: 'probeRefusedExtension' | 'probeClosed'; message: string };

export type PortFinding =
  | { port: number; kind: 'free' }
  | { port: number; kind: 'relay'; mcpClient: string | null; token: StatusFrame['token'] | null }
  | { port: number; kind: 'unproven'; reason: ProbeReason }
  | { port: number; kind: 'other'; reason: ProbeReason };

export interface ProbeOptions {
  pairing: Pairing | null;
  timeoutMs?: number;
}

const UNPROVEN: Partial<Record<RelayCloseOutcome, ProbeReason>> = {
  untrusted: { key: 'probeUntrusted' },
  not_paired: { key: 'probeRefusedPairing' },
  auth_failed: { key: 'probeRefusedPairing' },
  version_mismatch: { key: 'probeVersionMismatch' },
  protocol_error: { key: 'probeProtocolError' },
};

export function probePort(port: number, options: ProbeOptions): Promise<PortFinding> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const pairing = options.pairing;
  return new Promise((resolve) => {
    let socketError: NodeJS.ErrnoException | null = null;
    let connection: RelayConnection | null = null;
    let ready: { mcpClient: string | null } | null = null;
    let settled = false;
    const finish = (finding: PortFinding) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      connection?.close();
      resolve(finding);
    };
    const timer = setTimeout(
      () => finish({ port, kind: 'other', reason: { key: 'probeNotARelay' } }),
      timeoutMs,
    );
    const createSocket = (url: string): SocketLike => {
      const socket = new WebSocket(url, {
        origin: `chrome-extension://${CHROME_EXTENSION_ID}`,
        handshakeTimeout: timeoutMs,
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        socketError = error;
      });
      return socket;
    };
    const absent = (): PortFinding =>
      !socketError || socketError.code === 'ECONNREFUSED'
        ? { port, kind: 'free' }
        : {
            port,
            kind: 'other',
            reason: { key: 'probeRefusedExtension', message: socketError.message },
          };

    if (!pairing) {
      // No pairing to prove anything with: only whether the port takes the extension at all.
      const socket = createSocket(`ws://127.0.0.1:${port}`);
      socket.onopen = () => {
        socket.close();
        finish({ port, kind: 'unproven', reason: { key: 'probeNoPairing' } });
      };
      socket.onclose = () => finish(absent());
      socket.onerror = () => {};
      return;
    }
    connection = new RelayConnection({
      port,
      // A probe, not a session: the extension's own connection (same pairing) stays as it is.
      credentials: { mode: 'probe', pairing },
      createSocket,
      handshakeTimeoutMs: timeoutMs,
      events: {
        onReady: (relay) => {
          ready = { mcpClient: relay.mcpClient?.name ?? null };
        },
        // The relay sends its status right after `ready`.
        onFrame: (frame) => {
          if (frame.type === 'status' && ready) {
            finish({ port, kind: 'relay', mcpClient: ready.mcpClient, token: frame.token });
          }
        },
        onClosed: (outcome, detail) => {
          if (ready) finish({ port, kind: 'relay', mcpClient: ready.mcpClient, token: null });
          else if (outcome === 'absent') finish(absent());
          else {
            const reason = UNPROVEN[outcome] ?? { key: 'probeClosed', message: detail };
            finish({ port, kind: 'unproven', reason });
          }
        },
      },
    });
  });
}
