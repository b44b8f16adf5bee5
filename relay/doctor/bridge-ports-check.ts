/**
 * Link 4, bridge ports: who listens on each port of the range, probed as the paired extension
 * would (relay-probe.ts), and whether a port is left for a new AI assistant. Tells the token
 * link which relays proved themselves and which are this user's own but not paired yet.
 */
import { liveRelayOn } from '../bridge/relay-registry';
import type { RelayConfig } from '../config';
import { portsOf } from '../protocol/protocol';
import type { Pairing } from '../protocol/relay-connection';
import type { Finding } from './checks';
import type { Tell } from './doctor-text';
import { type PortFinding, type ProbeReason, probePort } from './relay-probe';

export type ProvenRelay = Extract<PortFinding, { kind: 'relay' }>;

export interface BridgePortsInput {
  config: Pick<RelayConfig, 'home' | 'ports'>;
  /** From the pairing link: the key relays prove themselves with (null: none to check). */
  pairing: Pairing | null;
}

export interface BridgePortsResult {
  findings: Finding[];
  /** Relays that proved they know the pairing key. */
  relays: ProvenRelay[];
  /** Ports where this user's own relay runs but cannot prove itself: it is not paired yet. */
  unpairedRelays: number[];
}

export async function checkBridgePorts(
  { config, pairing }: BridgePortsInput,
  tell: Tell,
): Promise<BridgePortsResult> {
  // Port 0 (tests): each relay takes a free port of the system's, there is no range to walk.
  if (config.ports.first === 0) return { findings: [], relays: [], unpairedRelays: [] };
  const probes = await Promise.all(
    portsOf(config.ports).map((port) => probePort(port, { pairing })),
  );
  // A relay that cannot prove itself may still be this user's own, not paired yet: its record
  // in the private home, with its process alive, says so (relay-registry.ts).
  const own = new Set<number>();
  for (const probe of probes) {
    if (
      probe.kind !== 'free' &&
      probe.kind !== 'relay' &&
      (await liveRelayOn(config.home, probe.port))
    ) {
      own.add(probe.port);
    }
  }
  return {
    findings: describePorts(probes, own, config.ports, tell),
    relays: probes.filter((probe): probe is ProvenRelay => probe.kind === 'relay'),
    unpairedRelays: [...own],
  };
}

/** One finding per taken port, then whether the range has room; `own`: this user's relays. */
export function describePorts(
  probes: PortFinding[],
  own: ReadonlySet<number>,
  range: RelayConfig['ports'],
  tell: Tell,
): Finding[] {
  const findings = probes
    .filter((probe) => probe.kind !== 'free')
    .map((probe) => describePort(probe, own.has(probe.port), tell));
  const free = probes.filter((probe) => probe.kind === 'free').length;
  const check = tell.check('bridgePorts');
  findings.push(
    free > 0
      ? { check, status: 'ok', detail: tell('portsFree', { free, total: probes.length }) }
      : {
          check,
          status: 'broken',
          detail: tell('portsFull', { first: range.first, last: range.last }),
          fix: tell('portsFullFix'),
        },
  );
  return findings;
}

function describePort(
  probe: Exclude<PortFinding, { kind: 'free' }>,
  own: boolean,
  tell: Tell,
): Finding {
  const { port } = probe;
  const check = tell.check('bridgePort', { port });
  if (probe.kind === 'relay') {
    const client = probe.mcpClient ?? tell('portClientNotConnected');
    const token = probe.token?.state ?? tell('portTokenUnknown');
    return { check, status: 'ok', detail: tell('portRelay', { client, token }) };
  }
  if (own) {
    return { check, status: 'warn', detail: tell('portOwnUnpaired'), fix: tell('pairFix') };
  }
  const reason = sayReason(probe.reason, tell);
  return probe.kind === 'unproven'
    ? {
        check,
        status: 'warn',
        detail: tell('portStranger', { port, reason }),
        fix: tell('portStrangerFix', { port }),
      }
    : {
        check,
        status: 'warn',
        detail: tell('portOther', { reason }),
        fix: tell('portOtherFix', { port }),
      };
}

function sayReason(reason: ProbeReason, tell: Tell): string {
  return 'message' in reason ? tell(reason.key, { message: reason.message }) : tell(reason.key);
}
