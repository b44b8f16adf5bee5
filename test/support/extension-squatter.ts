/**
 * A program squatting on a given bridge port: it speaks the protocol and answers hello with a
 * well-formed challenge, but its proof is made with a key it made up, since it knows neither
 * the pairing code nor the pairing secret. It records every frame it receives.
 */
import { type RawData, WebSocketServer } from 'ws';
import {
  type HandshakeContext,
  randomBytes,
  randomNonce,
  signProof,
} from '../../relay/protocol/handshake-crypto';
import { HelloFrame, PROTOCOL_VERSION } from '../../relay/protocol/protocol';

export interface Squatter {
  port: number;
  received: unknown[];
  connections(): number;
  close(): Promise<void>;
}

export async function startSquatter(port: number): Promise<Squatter> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', () => resolve());
    wss.once('error', reject);
  });
  const received: unknown[] = [];
  let connections = 0;
  wss.on('connection', (ws) => {
    connections += 1;
    ws.on('message', async (data: RawData) => {
      const frame: unknown = JSON.parse(data.toString());
      received.push(frame);
      const hello = HelloFrame.safeParse(frame);
      if (!hello.success) return;
      const ctx: HandshakeContext = {
        mode: hello.data.mode,
        port,
        extensionNonce: hello.data.nonce,
        relayNonce: randomNonce(),
        ...(hello.data.mode === 'auth' ? { pairingId: hello.data.pairingId } : {}),
      };
      ws.send(
        JSON.stringify({
          type: 'challenge',
          v: PROTOCOL_VERSION,
          nonce: ctx.relayNonce,
          proof: await signProof('relay', randomBytes(32), ctx),
          ...(hello.data.mode === 'pair' ? { salt: randomNonce().slice(0, 22) } : {}),
        }),
      );
    });
  });
  return {
    port,
    received,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
