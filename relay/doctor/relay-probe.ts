/**
 * What listens on a bridge port? `doctor` connects as the paired extension would and runs the
 * handshake: a program that cannot prove itself with the pairing key is not the user's relay.
 * The probe sends nothing but its own proof, and only after the relay has proven itself.
 */
import WebSocket from 'ws';
import { CHROME_EXTENSION_ID } from '../protocol/extension-identity';
import {
  type HandshakeContext,
  randomNonce,
  signProof,
  verifyProof,
} from '../protocol/handshake-crypto';
import {
  ChallengeFrame,
  PROTOCOL_VERSION,
  parseFrame,
  ReadyFrame,
  RelaySessionFrame,
  type StatusFrame,
} from '../protocol/protocol';

export type PortFinding =
  | { port: number; kind: 'free' }
  | { port: number; kind: 'relay'; mcpClient: string | null; token: StatusFrame['token'] | null }
  | { port: number; kind: 'unproven'; detail: string }
  | { port: number; kind: 'other'; detail: string };

export interface ProbeOptions {
  pairing: { pairingId: string; key: Uint8Array } | null;
  timeoutMs?: number;
}

export function probePort(port: number, options: ProbeOptions): Promise<PortFinding> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`, {
      origin: `chrome-extension://${CHROME_EXTENSION_ID}`,
      handshakeTimeout: timeoutMs,
    });
    let settled = false;
    const finish = (finding: PortFinding) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.terminate();
      resolve(finding);
    };
    const timer = setTimeout(
      () => finish({ port, kind: 'other', detail: 'answers, but not as a HospiAI relay' }),
      timeoutMs,
    );
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') finish({ port, kind: 'free' });
      else finish({ port, kind: 'other', detail: `refused the extension (${error.message})` });
    });
    socket.on('open', () => {
      if (!options.pairing) {
        finish({
          port,
          kind: 'unproven',
          detail: 'accepts the extension, but no pairing to check it with',
        });
        return;
      }
      void handshake(socket, port, options.pairing).then(finish);
    });
  });
}

async function handshake(
  socket: WebSocket,
  port: number,
  pairing: { pairingId: string; key: Uint8Array },
): Promise<PortFinding> {
  const frames = frameQueue(socket);
  const extensionNonce = randomNonce();
  socket.send(
    JSON.stringify({
      type: 'hello',
      v: PROTOCOL_VERSION,
      // A probe, not a session: the relay answers and closes, the extension's
      // connection (same pairing) stays as it is.
      mode: 'probe',
      nonce: extensionNonce,
      pairingId: pairing.pairingId,
    }),
  );
  const challenge = parseFrame(ChallengeFrame, await frames.next());
  if (!challenge.ok)
    return { port, kind: 'unproven', detail: 'did not answer the challenge as a relay would' };
  const ctx: HandshakeContext = {
    mode: 'probe',
    port,
    extensionNonce,
    relayNonce: challenge.frame.nonce,
    pairingId: pairing.pairingId,
  };
  if (!(await verifyProof('relay', pairing.key, ctx, challenge.frame.proof))) {
    return { port, kind: 'unproven', detail: 'could not prove it knows your pairing key' };
  }
  socket.send(JSON.stringify({ type: 'proof', proof: await signProof('ext', pairing.key, ctx) }));
  const ready = parseFrame(ReadyFrame, await frames.next());
  if (!ready.ok) return { port, kind: 'unproven', detail: 'refused the pairing' };
  const status = parseFrame(RelaySessionFrame, await frames.next());
  return {
    port,
    kind: 'relay',
    mcpClient: ready.frame.mcpClient?.name ?? null,
    token: status.ok && status.frame.type === 'status' ? status.frame.token : null,
  };
}

/** The socket's text frames in order; '' once it closed. */
function frameQueue(socket: WebSocket) {
  const queue: string[] = [];
  const waiting: Array<(data: string) => void> = [];
  socket.on('message', (data) => {
    const text = data.toString();
    const waiter = waiting.shift();
    if (waiter) waiter(text);
    else queue.push(text);
  });
  socket.on('close', () => {
    for (const waiter of waiting.splice(0)) waiter('');
  });
  return {
    next: () =>
      new Promise<string>((resolve) => {
        const queued = queue.shift();
        if (queued !== undefined) resolve(queued);
        else waiting.push(resolve);
      }),
  };
}
