/**
 * A program squatting on a given bridge port: it speaks the protocol and answers hello with a
 * well-formed challenge, but its proof is made with a key it made up, since it knows neither
 * the pairing code nor the pairing secret. It records every frame it receives.
 */
import { type RawData, WebSocketServer } from 'ws';
import { forgedChallenge } from './bridge-test-client';

export interface Squatter {
  port: number;
  received: unknown[];
  connections(): number;
  /** Connections that have ended (the extension judged the program and left, or gave up). */
  ended(): number;
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
  let ended = 0;
  wss.on('connection', (ws) => {
    connections += 1;
    ws.on('close', () => {
      ended += 1;
    });
    ws.on('message', async (data: RawData) => {
      const frame: unknown = JSON.parse(data.toString());
      received.push(frame);
      const challenge = await forgedChallenge(frame, port);
      if (challenge) ws.send(JSON.stringify(challenge));
    });
  });
  return {
    port,
    received,
    connections: () => connections,
    ended: () => ended,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
