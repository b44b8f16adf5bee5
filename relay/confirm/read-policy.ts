/**
 * Which reads the patient wants to approve each time. Set from the extension's popup (its
 * default is `ask`); until the extension says so — or with no extension, e.g. HOSPIAI_TOKEN —
 * reads run as the seed's design did. Writes are never governed by this: they always ask.
 *
 * When approving a read, the patient may allow the same read again without being asked: for
 * this conversation (this relay's MCP session: it ends with the process) or for one hour. A
 * grant covers the one tool the patient was asked about — "read your appointments" opens
 * nothing else, the medical records least of all — and is the patient's (the token's `sub`):
 * another patient's token is asked again. Withdrawing access (a `revoke` from the extension)
 * wipes every grant.
 */
import type { PolicyFrame, ReadGrant, ReadPolicy, ReadTool } from '../protocol/protocol';
import { READ_TOOLS } from '../protocol/protocol';

export const READ_GRANT_HOUR_MS = 60 * 60 * 1000;

export class ReadPolicyStore {
  #policy: Partial<Record<ReadTool, ReadPolicy>> = {};
  /** Per patient and tool: until when it runs unasked (Infinity: for this conversation). */
  #grants = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  set(frame: PolicyFrame): void {
    this.#policy = { ...frame.reads };
  }

  /** Whether this read must be approved now by `patient` (the token's subject). */
  requiresConfirmation(tool: string, patient: string | null = null): tool is ReadTool {
    if (!(READ_TOOLS as readonly string[]).includes(tool)) return false;
    if (this.#policy[tool as ReadTool] !== 'ask') return false;
    return !this.isGranted(patient, tool as ReadTool);
  }

  /** The patient allowed this read for this conversation or for one hour. */
  grant(grant: ReadGrant, patient: string | null, tool: ReadTool): void {
    const until =
      grant === 'conversation' ? Number.POSITIVE_INFINITY : this.now() + READ_GRANT_HOUR_MS;
    const key = grantKey(patient, tool);
    this.#grants.set(key, Math.max(until, this.#grants.get(key) ?? 0));
  }

  /** The patient withdrew access: every grant goes. */
  clearGrants(): void {
    this.#grants.clear();
  }

  private isGranted(patient: string | null, tool: ReadTool): boolean {
    const key = grantKey(patient, tool);
    const until = this.#grants.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.#grants.delete(key);
    return false;
  }
}

const grantKey = (patient: string | null, tool: ReadTool) => `${patient ?? ''}\n${tool}`;
