/**
 * A TCP peer that behaves as badly as it likes: says nothing, sends half a request, upgrades
 * and then ignores every close frame. It records when the other side closed the socket.
 */
import net from 'node:net';
import { onTestFinished } from 'vitest';
import { EXTENSION_ORIGIN } from './bridge-test-client';

export interface RawSocket {
  socket: net.Socket;
  /** Everything received, as text. */
  received(): string;
  /** Resolves with the ms from connect to the socket's close (by the server). */
  closed: Promise<number>;
  isClosed(): boolean;
}

export async function openRawSocket(port: number): Promise<RawSocket> {
  const socket = net.connect({ host: '127.0.0.1', port });
  let text = '';
  let isClosed = false;
  socket.on('data', (chunk) => {
    text += chunk.toString('latin1');
  });
  socket.on('error', () => {});
  onTestFinished(() => {
    socket.destroy();
  });
  const started = Date.now();
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => {
      isClosed = true;
      resolve(Date.now() - started);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return { socket, received: () => text, closed, isClosed: () => isClosed };
}

/** A complete, acceptable WebSocket upgrade request, as the extension sends it. */
export function upgradeRequest(port: number): string {
  return [
    'GET / HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    `Origin: ${EXTENSION_ORIGIN}`,
    '',
    '',
  ].join('\r\n');
}

export const waitMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
