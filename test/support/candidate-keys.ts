/**
 * Where the extension keeps a candidate's pairing key while the patient compares the check
 * values — in memory here, for tests that run the extension's pairing watcher in Node (the
 * extension itself keeps it in its IndexedDB, non-extractable).
 */
import type { CandidateKeyStore } from '../../extension/bridge/pending-pairing';
import type { Pairing } from '../../relay/protocol/relay-connection';

export class InMemoryCandidateKeys implements CandidateKeyStore {
  #held: Pairing | null = null;

  async setCandidate(pairing: Pairing): Promise<void> {
    this.#held = pairing;
  }

  async candidate(pairingId: string): Promise<Pairing | null> {
    return this.#held?.pairingId === pairingId ? this.#held : null;
  }

  async removeCandidate(): Promise<void> {
    this.#held = null;
  }

  size(): number {
    return this.#held ? 1 : 0;
  }
}
