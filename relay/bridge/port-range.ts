/**
 * The ports a relay may take: HOSPIAI_MCP_PORTS (`47610-47619`, one port, or `0` for an
 * ephemeral port in tests), else the fixed default range the extension scans.
 */
import { type Translate, translator } from '../i18n/messages';
import { DEFAULT_PORT_RANGE } from '../protocol/protocol';

export interface PortRange {
  first: number;
  last: number;
}

/** The extension probes every port of the range; a wide range would make that slow. */
export const MAX_PORT_RANGE_SIZE = 100;

export class InvalidPortRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPortRangeError';
  }
}

/** Parses HOSPIAI_MCP_PORTS; what is wrong is said in `t`'s language. */
export function parsePortRange(
  value: string | undefined,
  t: Translate = translator('en'),
): PortRange {
  if (value === undefined || value.trim() === '') return { ...DEFAULT_PORT_RANGE };
  const invalid = (problem: string) =>
    new InvalidPortRangeError(
      t('PORTS_INVALID', {
        value: JSON.stringify(value),
        problem,
        example: `${DEFAULT_PORT_RANGE.first}-${DEFAULT_PORT_RANGE.last}`,
      }),
    );
  const match = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(value);
  if (!match?.[1]) throw invalid(t('PORTS_NOT_A_RANGE'));
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  if (first === 0 && last === 0) return { first: 0, last: 0 };
  if (first < 1 || last > 65_535) throw invalid(t('PORTS_OUT_OF_BOUNDS'));
  if (first > last) throw invalid(t('PORTS_BACKWARDS'));
  if (last - first + 1 > MAX_PORT_RANGE_SIZE) {
    throw invalid(t('PORTS_TOO_WIDE', { max: MAX_PORT_RANGE_SIZE }));
  }
  return { first, last };
}

export function portRangeFromEnv(env: NodeJS.ProcessEnv): PortRange {
  return parsePortRange(env.HOSPIAI_MCP_PORTS);
}
