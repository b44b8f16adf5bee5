/**
 * Link 4: what the doctor says of each bridge port from what the probe found there — the
 * user's relay, the user's relay not paired yet, a stranger, another program — and whether
 * the range leaves room for a new AI assistant.
 */
import { describe, expect, it } from 'vitest';
import { describePorts } from '../../../relay/doctor/bridge-ports-check';
import { tellIn } from '../../../relay/doctor/doctor-text';
import type { PortFinding } from '../../../relay/doctor/relay-probe';

const range = { first: 47311, last: 47314 };
const probes: PortFinding[] = [
  { port: 47311, kind: 'relay', mcpClient: null, token: null },
  { port: 47312, kind: 'unproven', reason: { key: 'probeUntrusted' } },
  { port: 47313, kind: 'other', reason: { key: 'probeRefusedExtension', message: 'HTTP 403' } },
  { port: 47314, kind: 'free' },
];

describe('doctor: bridge ports', () => {
  it('names each taken port and counts the free ones', () => {
    const findings = describePorts(probes, new Set(), range, tellIn('en'));
    expect(findings).toEqual([
      {
        check: 'bridge port 47311',
        status: 'ok',
        detail: 'your relay, serving an AI assistant that has not connected yet (token: unknown)',
      },
      {
        check: 'bridge port 47312',
        status: 'warn',
        detail:
          'a program on port 47312 is not your relay: it could not prove it knows your pairing key',
        fix: expect.stringContaining('lsof -i :47312'),
      },
      {
        check: 'bridge port 47313',
        status: 'warn',
        detail: 'in use by another program: it refused the extension (HTTP 403)',
        fix: expect.stringContaining('HOSPIAI_MCP_PORTS'),
      },
      { check: 'bridge ports', status: 'ok', detail: '1 of 4 free for new AI assistants' },
    ]);
  });

  it('calls a port this user’s own relay holds “not paired yet”, with how to pair', () => {
    const [, unpaired] = describePorts(probes, new Set([47312]), range, tellIn('en'));
    expect(unpaired).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/^your relay, not paired yet/),
      fix: expect.stringContaining('Show a code'),
    });
  });

  it('is broken when no port of the range is free', () => {
    const taken = probes.filter((probe) => probe.kind !== 'free');
    const findings = describePorts(taken, new Set(), { first: 47311, last: 47313 }, tellIn('en'));
    expect(findings.at(-1)).toMatchObject({
      check: 'bridge ports',
      status: 'broken',
      detail: 'every port of 47311-47313 is taken',
    });
  });

  it('says what the program did in French too, not in English inside a French sentence', () => {
    const findings = describePorts(probes, new Set(), range, tellIn('fr'));
    expect(findings.map((finding) => finding.detail)).toEqual([
      'votre relais, au service de un assistant IA pas encore connecté (jeton : inconnu)',
      'un programme sur le port 47312 n’est pas votre relais (il n’a pas pu prouver qu’il connaît votre clé d’appairage)',
      'utilisé par un autre programme (il a refusé l’extension (HTTP 403))',
      '1 sur 4 libres pour de nouveaux assistants IA',
    ]);
  });
});
