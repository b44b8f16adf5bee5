/**
 * The state store on Redis, for replicas that share their grants (`serve --state-store
 * redis://host:6379/0`, or `rediss://` for TLS). The official client (`@redis/client`: the
 * `redis` package without its modules); `SET … PX NX` for `add`, `GETDEL` for `take` — single
 * use holds across replicas because Redis runs each command alone. Every key carries this
 * server's prefix, so one Redis may serve several deployments. A store that cannot be reached
 * fails the request that needed it (answered as a server error), never silently passes it.
 */
import { createClient } from '@redis/client';
import type { StateStore } from './state-store';

export async function createRedisStateStore(options: {
  url: string;
  /** Put before every key (one deployment's keys apart from another's). */
  prefix: string;
  onError: (error: Error) => void;
}): Promise<StateStore> {
  let started = false;
  let down = false;
  const client = createClient({
    url: options.url,
    socket: {
      connectTimeout: 5_000,
      // At start, three tries and the start fails (said plainly); once running, reconnects back
      // off up to 2 s for as long as it takes, and the requests meanwhile fail fast.
      reconnectStrategy: (retries, cause) =>
        started ? Math.min(retries * 100, 2_000) : retries >= 3 ? cause : 200,
    },
    disableOfflineQueue: true,
  });
  // One line when Redis goes away, one when it is back: not one per reconnect attempt.
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    options.onError(error);
  });
  client.on('ready', () => {
    down = false;
  });
  await client.connect();
  started = true;
  const k = (key: string) => `${options.prefix}${key}`;
  const ms = (ttlMs: number) => Math.max(1, Math.ceil(ttlMs));
  return {
    get: (key) => answered(client.get(k(key))),
    async set(key, value, ttlMs) {
      await answered(client.set(k(key), value, { expiration: { type: 'PX', value: ms(ttlMs) } }));
    },
    async add(key, value, ttlMs) {
      const answer = await answered(
        client.set(k(key), value, {
          expiration: { type: 'PX', value: ms(ttlMs) },
          condition: 'NX',
        }),
      );
      return answer === 'OK';
    },
    take: (key) => answered(client.getDel(k(key))),
    async delete(key) {
      await answered(client.del(k(key)));
    },
    async ping() {
      await answered(client.ping());
    },
    async close() {
      await client.close().catch(() => client.destroy());
    },
  };
}

/** How long a request waits for Redis before it fails (answered 503: the client tries again). */
export const STATE_STORE_TIMEOUT_MS = 2_000;

/**
 * A command's answer, or an error once STATE_STORE_TIMEOUT_MS have passed: a Redis that stops
 * answering (paused, overloaded, cut off without a reset) must not hold every request. The
 * client's own command timeouts only cancel commands not yet sent.
 */
function answered<T>(command: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the state store did not answer within ${STATE_STORE_TIMEOUT_MS} ms`)),
      STATE_STORE_TIMEOUT_MS,
    );
  });
  return Promise.race([command, late]).finally(() => clearTimeout(timer));
}
