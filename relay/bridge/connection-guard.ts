/**
 * Every TCP connection to the bridge is unauthenticated until its handshake succeeds, and an
 * unauthenticated connection costs the relay a file descriptor: so it gets a short time to send
 * its HTTP upgrade, a hard deadline to authenticate (a forced close, not a close frame that a
 * peer may ignore for 30 s), and only a few may exist at once. Authenticated connections are
 * not counted: a flood cannot push the patient's extension off a connection it already has.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../logger';

export interface ConnectionGuardOptions {
  /** Unauthenticated connections held at once; more are dropped on arrival. */
  maxUnauthenticated: number;
  /** From TCP accept to a complete HTTP upgrade request (idle sockets, slow headers). */
  upgradeTimeoutMs: number;
  /** From TCP accept to an authenticated session; then the socket is destroyed. */
  authenticateTimeoutMs: number;
  logger: Logger;
}

export const GUARD_DEFAULTS = {
  maxUnauthenticated: 16,
  upgradeTimeoutMs: 2_000,
} as const;

interface Pending {
  /** The upgrade timer and the authentication deadline. */
  timers: NodeJS.Timeout[];
  upgraded: boolean;
}

const unrefd = (timer: NodeJS.Timeout) => {
  timer.unref();
  return timer;
};

export interface ConnectionGuard {
  /** The socket sent a complete upgrade request: only the authentication deadline is left. */
  upgraded(socket: Socket): void;
  /**
   * The socket's session may take `timeoutMs` more to authenticate (a pairing handshake, whose
   * extension stretches the code first): its deadline moves, and it is still counted.
   */
  extendDeadline(socket: Socket, timeoutMs: number): void;
  /** The socket's session proved itself: no deadline, no longer counted. */
  authenticated(socket: Socket): void;
  unauthenticatedCount(): number;
}

export function guardConnections(server: Server, options: ConnectionGuardOptions): ConnectionGuard {
  const pending = new Map<Socket, Pending>();
  let droppedSinceLog = 0;

  const drop = (socket: Socket, why: string) => {
    options.logger.info('connection dropped', { why });
    socket.destroy();
  };

  server.on('connection', (socket: Socket) => {
    if (pending.size >= options.maxUnauthenticated) {
      // Logged once per burst, not once per socket: a flood must not flood stderr too.
      if (droppedSinceLog++ === 0) {
        options.logger.warn('connections dropped: too many unauthenticated connections', {
          max: options.maxUnauthenticated,
        });
      }
      socket.destroy();
      return;
    }
    droppedSinceLog = 0;
    const entry: Pending = { upgraded: false, timers: [] };
    entry.timers.push(
      unrefd(
        setTimeout(() => {
          if (!entry.upgraded) drop(socket, 'no upgrade request in time');
        }, options.upgradeTimeoutMs),
      ),
      unrefd(
        setTimeout(() => drop(socket, 'not authenticated in time'), options.authenticateTimeoutMs),
      ),
    );
    pending.set(socket, entry);
    socket.once('close', () => {
      for (const timer of entry.timers) clearTimeout(timer);
      pending.delete(socket);
    });
  });

  return {
    upgraded(socket) {
      const entry = pending.get(socket);
      if (entry) entry.upgraded = true;
    },
    extendDeadline(socket, timeoutMs) {
      const entry = pending.get(socket);
      if (!entry) return;
      for (const timer of entry.timers) clearTimeout(timer);
      entry.timers = [
        unrefd(setTimeout(() => drop(socket, 'not authenticated in time'), timeoutMs)),
      ];
    },
    authenticated(socket) {
      const entry = pending.get(socket);
      if (!entry) return;
      for (const timer of entry.timers) clearTimeout(timer);
      pending.delete(socket);
    },
    unauthenticatedCount: () => pending.size,
  };
}
