/**
 * Link 7: what the doctor says of the command an AI client's configuration names. "Configured"
 * means "starts"; an unpinned package name is never started. Said in the patient's language.
 */
import { describe, expect, it } from 'vitest';
import { type ConfiguredEntry, describeCommand } from '../../../relay/doctor/ai-clients-check';
import { tellIn } from '../../../relay/doctor/doctor-text';

const client = { id: 'cursor', name: 'Cursor' } as const;
const file = '/home/p/.cursor/mcp.json';
const pinned = { command: 'npx', args: ['-y', 'hospiai-mcp@1.2.3'], env: {} };
const entry = (over: Partial<ConfiguredEntry>): ConfiguredEntry => ({
  client,
  file,
  launch: pinned,
  outcome: { ok: true, server: 'hospiai 1.2.3' },
  ...over,
});

describe('doctor: an AI client’s configured command', () => {
  it('is ok only when the command started and answered MCP initialize', () => {
    expect(describeCommand(entry({}), tellIn('en'))).toEqual({
      check: 'AI client Cursor',
      status: 'ok',
      detail: '“npx -y hospiai-mcp@1.2.3” starts and answers MCP initialize (hospiai 1.2.3)',
    });
  });

  it('is broken, with the setup command that fixes it, when the entry names no command', () => {
    expect(describeCommand(entry({ launch: null, outcome: null }), tellIn('en'))).toEqual({
      check: 'AI client Cursor',
      status: 'broken',
      detail: `${file} mentions hospiai but names no command`,
      fix: 'Run `hospiai-mcp setup cursor --force` with the relay you installed: it writes a command that starts.',
    });
  });

  it('is broken when the command times out, exits or cannot be spawned', () => {
    const tell = tellIn('en');
    const detail = (outcome: ConfiguredEntry['outcome']) =>
      describeCommand(entry({ outcome }), tell).detail;
    expect(detail({ ok: false, reason: 'timeout', seconds: 20 })).toMatch(
      /does not start: no answer to MCP initialize within 20 s$/,
    );
    expect(detail({ ok: false, reason: 'exited', code: 3 })).toMatch(
      /does not start: it exited \(code 3\) before answering$/,
    );
    expect(detail({ ok: false, reason: 'error', message: 'spawn npx ENOENT' })).toMatch(
      /does not start: spawn npx ENOENT$/,
    );
  });

  it('speaks French, which this check once did not', () => {
    const tell = tellIn('fr');
    const unpinned = { command: 'npx', args: ['-y', 'hospiai-mcp'], env: {} };
    const findings = [
      describeCommand(entry({ launch: unpinned, outcome: null }), tell),
      describeCommand(entry({ outcome: { ok: false, reason: 'exited', code: 3 } }), tell),
      describeCommand(entry({ launch: null, outcome: null }), tell),
      describeCommand(entry({}), tell),
    ];
    expect(findings.map((finding) => finding.detail)).toEqual([
      `${file} lance « npx -y hospiai-mcp » : un nom de paquet sans version exacte, non démarré (ce serait le code de quiconque possède ce nom sur le registre)`,
      '« npx -y hospiai-mcp@1.2.3 » ne démarre pas : la commande s’est arrêtée (code 3) avant de répondre',
      `${file} mentionne hospiai mais ne nomme aucune commande`,
      '« npx -y hospiai-mcp@1.2.3 » démarre et répond à l’initialisation MCP (hospiai 1.2.3)',
    ]);
    expect(findings[0]!.fix).toBe(
      'Lancez `hospiai-mcp setup cursor --force` avec le relais que vous avez installé : il écrit une commande qui démarre.',
    );
  });

  it('never calls an unpinned package ok, whatever it did', () => {
    const unpinned = { command: 'npx', args: ['-y', 'hospiai-mcp@latest'], env: {} };
    expect(describeCommand(entry({ launch: unpinned }), tellIn('en'))).toMatchObject({
      status: 'broken',
      detail: expect.stringContaining('without an exact version'),
    });
  });
});
