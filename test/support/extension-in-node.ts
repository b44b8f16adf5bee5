/**
 * The extension's side of the bridge as its background runs it — the pool of relay connections
 * and the no-terminal pairing watcher, the very modules — in Node over `ws` with the extension's
 * Origin, for tests that pair and deliver without a browser. What the browser keeps (the code in
 * `storage.session`, a candidate's key in IndexedDB, the pairing) is kept in memory here.
 */
import WebSocket from 'ws';
import type { Pairing, PairingVerification } from '../../extension/bridge/pairing-store';
import type { PendingCode } from '../../extension/bridge/pending-code';
import { PendingPairing } from '../../extension/bridge/pending-pairing';
import { RelayPool } from '../../extension/bridge/relay-pool';
import type { SocketFactory } from '../../relay/protocol/relay-connection';
import { EXTENSION_ORIGIN } from './bridge-test-client';
import { InMemoryCandidateKeys } from './candidate-keys';

export const extensionSocket: SocketFactory = (url) =>
  new WebSocket(url, { origin: EXTENSION_ORIGIN });

/** `storage.session`'s pending code, in memory; `peek` reads it without the watcher. */
export function memoryCodeStore(initial: PendingCode | null = null) {
  let value = initial;
  return {
    get: async () => value,
    set: async (next: PendingCode) => {
      value = next;
    },
    remove: async () => {
      value = null;
    },
    peek: () => value,
  };
}

export interface WatcherOptions {
  ports: number[];
  /** A code a sleeping worker left (resume() picks it up). */
  initial?: PendingCode | null;
  onPaired?(pairing: Pairing, port: number, verified: PairingVerification): Promise<void>;
  onChange?(): void;
  intervalMs?: number;
  /** PBKDF2 iterations, as low as the relay's in the test (the real cost by default). */
  stretchIterations?: number;
}

/** The no-terminal pairing watcher; stop it with `watcher.stopWatching()`. */
export function pairingWatcher(options: WatcherOptions) {
  const store = memoryCodeStore(options.initial ?? null);
  const keys = new InMemoryCandidateKeys();
  const watcher = new PendingPairing({
    ports: options.ports,
    createSocket: extensionSocket,
    store,
    candidateKeys: keys,
    onPaired: options.onPaired ?? (async () => {}),
    onChange: options.onChange ?? (() => {}),
    intervalMs: options.intervalMs ?? 100,
    stretchIterations: options.stretchIterations,
  });
  return { watcher, store, keys };
}

export interface PoolOptions {
  ports: number[];
  /** The portal origin the extension uses. */
  portal: string;
  /** A relay proved itself and serves our portal (deliver the token here). */
  onReady?(pool: RelayPool, port: number): void;
  /** Once paired, after the pairing is kept. */
  onPaired?(pairing: Pairing): Promise<void>;
  stretchIterations?: number;
}

/** The pool of relay connections, its pairing kept in memory; stop it with `pool.stop()`. */
export function extensionPool(options: PoolOptions) {
  let pairing: Pairing | null = null;
  const pool: RelayPool = new RelayPool({
    ports: options.ports,
    createSocket: extensionSocket,
    portal: options.portal,
    loadPairing: async () => pairing,
    savePairing: async (saved) => {
      pairing = saved;
      await options.onPaired?.(saved);
    },
    stretchIterations: options.stretchIterations,
    events: {
      onReady: (port) => options.onReady?.(pool, port),
      onFrame: () => {},
      onChange: () => {},
    },
  });
  return {
    pool,
    pairing: () => pairing,
    /** Keeps a pairing made elsewhere (the watcher) and reconnects with it. */
    async adopt(saved: Pairing) {
      pairing = saved;
      pool.stop();
      await pool.start();
    },
  };
}
