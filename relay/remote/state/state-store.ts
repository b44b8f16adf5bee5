/**
 * Where the remote mode keeps what outlives one request and must be the same on every replica a
 * client may reach: the OAuth grants and their tokens, the clients registered (RFC 7591), the
 * spent states of input-required questions. A small key–value contract with expiry and the two
 * atomic steps single use needs (`add`: set only if absent; `take`: read and delete at once),
 * kept by this process (`createMemoryStateStore`, one replica) or by Redis
 * (redis-state-store.ts, `serve --state-store redis://…`, many). Values are strings: each owner
 * parses what it reads back with its zod schema, as everything stored is.
 */

import type { z } from 'zod';
import { parseFrame } from '../../protocol/protocol';

export interface StateStore {
  /** The value under `key`, or null (absent or expired). */
  get(key: string): Promise<string | null>;
  /** Sets `key` for `ttlMs`. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets `key` for `ttlMs` only if it is absent: true when this call set it. */
  add(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** The value under `key`, deleted in the same step (so only one caller ever gets it), or null. */
  take(key: string): Promise<string | null>;
  delete(key: string): Promise<void>;
  /** Resolves when the store answers now (`/readyz`); rejects when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One process's store: a Map whose entries expire (read as absent, swept every minute). */
export function createMemoryStateStore(options: { now?: () => number } = {}): StateStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: string; until: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return null;
    if (entry.until > now()) return entry;
    entries.delete(key);
    return null;
  };
  const sweeper = setInterval(() => {
    const at = now();
    for (const [key, entry] of entries) if (entry.until <= at) entries.delete(key);
  }, 60_000);
  sweeper.unref();
  return {
    get: async (key) => live(key)?.value ?? null,
    async set(key, value, ttlMs) {
      entries.set(key, { value, until: now() + Math.max(1, ttlMs) });
    },
    async add(key, value, ttlMs) {
      if (live(key)) return false;
      entries.set(key, { value, until: now() + Math.max(1, ttlMs) });
      return true;
    },
    async take(key) {
      const entry = live(key);
      entries.delete(key);
      return entry?.value ?? null;
    },
    async delete(key) {
      entries.delete(key);
    },
    async ping() {},
    async close() {
      clearInterval(sweeper);
    },
  };
}

/** A stored value read back through its schema: null when absent or not what was stored. */
export function parseStored<S extends z.ZodType>(
  schema: S,
  text: string | null,
): z.infer<S> | null {
  if (text === null) return null;
  const parsed = parseFrame(schema, text);
  return parsed.ok ? parsed.frame : null;
}
