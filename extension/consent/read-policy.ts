/**
 * Which reads the patient wants to approve each time (the relay asks before running them).
 * `ask` is the default for every read tool; the patient may allow some or all to run without
 * asking, at consent time or later in the popup. Writes always ask: they are not in here.
 */
import type { z } from 'zod';
import {
  type PolicyFrame,
  PolicyFrame as PolicyFrameSchema,
  READ_TOOLS,
  type ReadPolicy,
  type ReadTool,
} from '../../relay/protocol/protocol';
import { storedValue } from '../storage/stored-value';

const ReadPolicies = PolicyFrameSchema.shape.reads;
export type ReadPolicies = Record<ReadTool, ReadPolicy>;

export const readPolicyStore = storedValue(
  'local:readPolicy',
  ReadPolicies as z.ZodType<Partial<ReadPolicies>>,
  {},
);

/** Every read tool with its policy; what the patient never chose is `ask`. */
export function effectiveReadPolicy(stored: Partial<ReadPolicies>): ReadPolicies {
  return Object.fromEntries(
    READ_TOOLS.map((tool) => [tool, stored[tool] ?? 'ask']),
  ) as ReadPolicies;
}

/** The same policy for every read tool. */
export function uniformReadPolicy(policy: ReadPolicy): ReadPolicies {
  return Object.fromEntries(READ_TOOLS.map((tool) => [tool, policy])) as ReadPolicies;
}

export function policyFrameOf(policy: ReadPolicies): PolicyFrame {
  return { type: 'policy', reads: { ...policy } };
}
