/**
 * A deadline for each request's headers, counted from a connection's first moment (or, on a
 * kept-alive connection, from the next request's first byte) to the request being parsed.
 *
 * Node's own `headersTimeout` is not enough on its own: a connection that never sends a byte
 * has no deadline at all, and in Node 20–24 one such connection keeps the server's periodic
 * check from ending half-sent requests on the others (reproduced in
 * `test/integration/remote-flood.test.ts`). This one is a plain timer per socket.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const deadlines = new WeakMap<Socket, NodeJS.Timeout>();

function arm(socket: Socket, ms: number): void {
  disarm(socket);
  const timer = setTimeout(() => socket.destroy(), ms);
  timer.unref();
  deadlines.set(socket, timer);
}

function disarm(socket: Socket): void {
  clearTimeout(deadlines.get(socket));
  deadlines.delete(socket);
}

/** Every connection of `server` must deliver each request's headers within `ms`, or is closed. */
export function enforceHeaderDeadline(server: Server, ms: number): void {
  server.on('connection', (socket: Socket) => {
    arm(socket, ms);
    socket.once('close', () => disarm(socket));
  });
  server.on('request', (req, res) => {
    const { socket } = req;
    disarm(socket);
    // Kept alive, the connection may stay idle (Node's keepAliveTimeout), but a next request,
    // once begun, has the same deadline as the first.
    res.once('finish', () => {
      if (!socket.destroyed) socket.once('data', () => arm(socket, ms));
    });
  });
}
