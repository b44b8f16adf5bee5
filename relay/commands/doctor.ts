/**
 * `hospiai-mcp doctor`: walks the chain — configuration, home, pairing, bridge ports, portal,
 * token, AI clients — prints every finding, then the first broken link with its fix.
 * Exit code 1 when something is broken.
 */
import { CHECKS, type DoctorState, type Finding } from '../doctor/checks';
import { forTerminal } from '../protocol/untrusted-text';
import type { Command } from './command';

const MARK: Record<Finding['status'], string> = { ok: '✓', warn: '!', broken: '✗', skip: '·' };

export const doctor: Command = async ({ args, env, out, err }) => {
  const json = args.includes('--json');
  const unknown = args.find((arg) => arg !== '--json');
  if (unknown) {
    err(`Unknown argument: ${unknown}\nUsage: hospiai-mcp doctor [--json]`);
    return 2;
  }
  const state: DoctorState = { env };
  const findings: Finding[] = [];
  for (const check of CHECKS) findings.push(...(await check(state)));
  const broken = findings.find((f) => f.status === 'broken');

  if (json) {
    out(JSON.stringify({ ok: !broken, findings }, null, 2));
    return broken ? 1 : 0;
  }
  // Findings quote what AI clients and relays call themselves: one terminal line each.
  const line = (text: string) => forTerminal(text, 600);
  for (const finding of findings) {
    out(`${MARK[finding.status]} ${line(finding.check)}: ${line(finding.detail)}`);
    if (finding.fix && finding.status === 'warn') out(`    → ${line(finding.fix)}`);
  }
  out(
    broken
      ? `\nFirst broken link: ${line(broken.check)} — ${line(broken.detail)}\nFix: ${line(broken.fix ?? 'see above')}`
      : '\nEvery link works.',
  );
  return broken ? 1 : 0;
};
