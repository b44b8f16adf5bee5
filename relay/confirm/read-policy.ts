/**
 * Which reads the patient wants to approve each time. Set from the extension's popup (its
 * default is `ask`); until the extension says so — or with no extension, e.g. HOSPIAI_TOKEN —
 * reads run as the seed's design did. Writes are never governed by this: they always ask.
 */
import type { PolicyFrame, ReadPolicy, ReadTool } from '../protocol/protocol';
import { READ_TOOLS } from '../protocol/protocol';

export class ReadPolicyStore {
  #policy: Partial<Record<ReadTool, ReadPolicy>> = {};

  set(frame: PolicyFrame): void {
    this.#policy = { ...frame.reads };
  }

  requiresConfirmation(tool: string): tool is ReadTool {
    return (
      (READ_TOOLS as readonly string[]).includes(tool) && this.#policy[tool as ReadTool] === 'ask'
    );
  }
}
