/**
 * Listens on a bridge port and counts every TCP connection made to it: the strictest way to
 * check that the extension opened nothing at all (not even a WebSocket handshake).
 */
import net from 'node:net';

export interface PortRecorder {
  readonly port: number;
  connections(): number;
  close(): Promise<void>;
}

export async function recordConnections(port: number): Promise<PortRecorder> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => resolve());
  });
  return {
    port,
    connections: () => count,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
