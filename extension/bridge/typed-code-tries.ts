/**
 * Tries of the codes the patient types (from `hospiai-mcp pair`), counted per relay code (its
 * salt): five distinct wrong codes and that relay code is checked no more — the patient is told
 * to ask for a new one. The same typo typed twice counts once, and relays of one home, which
 * share one code, share its tries.
 */
import type { TypedCodeGuard } from '../../relay/protocol/relay-connection';
import { EXTENSION_CODE_TRIES } from './pending-code';

/** Relay codes remembered at most (a program on the port could present a new salt each time). */
const REMEMBERED_CODES = 32;

export class TypedCodeTries {
  private readonly wrongCodes = new Map<string, Set<string>>();

  constructor(private readonly tries: number = EXTENSION_CODE_TRIES) {}

  /** The tries left for the relay code `salt`. */
  left(salt: string): number {
    return Math.max(0, this.tries - (this.wrongCodes.get(salt)?.size ?? 0));
  }

  /** A guard for one pairing attempt; `onWrong` hears the tries left after each wrong code. */
  guard(onWrong: (triesLeft: number) => void): TypedCodeGuard {
    return {
      admit: (salt) => this.left(salt) > 0,
      wrong: (salt, code) => {
        const wrong = this.wrongCodes.get(salt) ?? new Set<string>();
        wrong.add(code);
        this.wrongCodes.delete(salt);
        this.wrongCodes.set(salt, wrong);
        while (this.wrongCodes.size > REMEMBERED_CODES) {
          const oldest = this.wrongCodes.keys().next().value;
          if (oldest === undefined) break;
          this.wrongCodes.delete(oldest);
        }
        onWrong(this.left(salt));
      },
    };
  }
}
