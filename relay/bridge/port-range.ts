/**
 * The ports a relay may take: HOSPIAI_MCP_PORTS (`47610-47619`, one port, or `0` for an
 * ephemeral port in tests), else the fixed default range the extension scans.
 */
import { DEFAULT_PORT_RANGE } from '../protocol/protocol';

export interface PortRange {
  first: number;
  last: number;
}

/** The extension probes every port of the range; a wide range would make that slow. */
export const MAX_PORT_RANGE_SIZE = 100;

export class InvalidPortRangeError extends Error {
  constructor(value: string, problem: string) {
    super(
      `HOSPIAI_MCP_PORTS=${JSON.stringify(value)} ${problem}. Use a port range such as ` +
        `"${DEFAULT_PORT_RANGE.first}-${DEFAULT_PORT_RANGE.last}", a single port, or unset it.`,
    );
    this.name = 'InvalidPortRangeError';
  }
}

export function parsePortRange(value: string | undefined): PortRange {
  if (value === undefined || value.trim() === '') return { ...DEFAULT_PORT_RANGE };
  const match = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(value);
  if (!match?.[1]) throw new InvalidPortRangeError(value, 'is not a port or a range');
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  if (first === 0 && last === 0) return { first: 0, last: 0 };
  if (first < 1 || last > 65_535) {
    throw new InvalidPortRangeError(value, 'has a port outside 1–65535');
  }
  if (first > last) throw new InvalidPortRangeError(value, 'ends before it starts');
  if (last - first + 1 > MAX_PORT_RANGE_SIZE) {
    throw new InvalidPortRangeError(value, `spans more than ${MAX_PORT_RANGE_SIZE} ports`);
  }
  return { first, last };
}

export function portRangeFromEnv(env: NodeJS.ProcessEnv): PortRange {
  return parsePortRange(env.HOSPIAI_MCP_PORTS);
}
