/**
 * The pairing secret `{pairingId, K}` in the extension's own IndexedDB, K as a non-extractable
 * HMAC CryptoKey. Only the extension's pages and worker share its origin's IndexedDB — a
 * content script's `indexedDB` is the portal page's — and even they can sign and verify with K
 * but never read its bytes. (`storage.local`, where it used to be, is readable by content
 * scripts, so a compromised portal renderer could have taken it.)
 */
import { importPairingKey } from '../../relay/protocol/handshake-crypto';
import { PairingId } from '../../relay/protocol/protocol';

/** What the patient checked when this pairing was made (shown in the popup beside it). */
export type PairingVerification =
  /** They typed a code the relay showed (its terminal, or the AI client's form). */
  | { by: 'typed_code' }
  /** They confirmed that the check value matched what their assistant showed. */
  | { by: 'check_value'; checkValue: string };

export interface StoredPairingKey {
  pairingId: string;
  key: CryptoKey;
  pairedAt: string;
  /** Absent for pairings made before it was kept. */
  verified?: PairingVerification;
}

const DB_NAME = 'hospiai-pairing';
const STORE = 'pairing';
const RECORD = 'current';
/** The key of a relay that proved our code, while the patient compares the check values. */
const CANDIDATE = 'candidate';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDb(): Promise<IDBDatabase> {
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  return request(open);
}

async function withStore<T>(
  mode: IDBTransactionMode,
  run: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDb();
  try {
    const tx = db.transaction(STORE, mode);
    const result = await request(run(tx.objectStore(STORE)));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    return result;
  } finally {
    db.close();
  }
}

function isSecretKey(key: unknown): key is CryptoKey {
  return (
    typeof key === 'object' &&
    key !== null &&
    (key as CryptoKey).type === 'secret' &&
    (key as CryptoKey).extractable === false
  );
}

function isPairingKey(value: unknown): value is StoredPairingKey {
  if (typeof value !== 'object' || value === null) return false;
  const { pairingId, key, pairedAt } = value as Record<string, unknown>;
  return PairingId.safeParse(pairingId).success && typeof pairedAt === 'string' && isSecretKey(key);
}

async function nonExtractable(key: CryptoKey | Uint8Array): Promise<CryptoKey> {
  const held = key instanceof Uint8Array ? await importPairingKey(key) : key;
  if (held.extractable) throw new Error('a pairing key must be stored non-extractable');
  return held;
}

export const pairingKeyStore = {
  async get(): Promise<StoredPairingKey | null> {
    const value: unknown = await withStore('readonly', (store) => store.get(RECORD));
    return isPairingKey(value) ? value : null;
  },
  /** Raw bytes are imported as a non-extractable key before anything is written. */
  async set(
    pairing: { pairingId: string; key: CryptoKey | Uint8Array },
    now = new Date(),
    verified?: PairingVerification,
  ) {
    const record: StoredPairingKey = {
      pairingId: PairingId.parse(pairing.pairingId),
      key: await nonExtractable(pairing.key),
      pairedAt: now.toISOString(),
      ...(verified ? { verified } : {}),
    };
    await withStore('readwrite', (store) => store.put(record, RECORD));
  },
  async remove(): Promise<void> {
    await withStore('readwrite', (store) => store.delete(RECORD));
  },
  /** A candidate's key, until the patient confirms the check value (or not). */
  async setCandidate(pairing: { pairingId: string; key: CryptoKey | Uint8Array }) {
    const record = {
      pairingId: PairingId.parse(pairing.pairingId),
      key: await nonExtractable(pairing.key),
    };
    await withStore('readwrite', (store) => store.put(record, CANDIDATE));
  },
  async candidate(pairingId: string): Promise<{ pairingId: string; key: CryptoKey } | null> {
    const value: unknown = await withStore('readonly', (store) => store.get(CANDIDATE));
    if (typeof value !== 'object' || value === null) return null;
    const record = value as { pairingId?: unknown; key?: unknown };
    return record.pairingId === pairingId && isSecretKey(record.key)
      ? { pairingId, key: record.key }
      : null;
  },
  async removeCandidate(): Promise<void> {
    await withStore('readwrite', (store) => store.delete(CANDIDATE));
  },
};
