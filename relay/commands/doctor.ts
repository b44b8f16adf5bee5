/**
 * `hospiai-mcp doctor`: walks the chain — configuration, home, pairing, bridge ports, portal,
 * token, AI clients (doctor/run-doctor.ts) — prints every finding, then the first broken link
 * with its fix. Exit code 1 when something is broken.
 */
import type { Finding } from '../doctor/checks';
import { tellIn } from '../doctor/doctor-text';
import { runDoctor } from '../doctor/run-doctor';
import { langFromEnv } from '../i18n/messages';
import { forTerminal } from '../protocol/untrusted-text';
import type { Command } from './command';

const MARK: Record<Finding['status'], string> = { ok: '✓', warn: '!', broken: '✗', skip: '·' };

export const doctor: Command = async ({ args, env, out, err }) => {
  const lang = langFromEnv(env);
  const tell = tellIn(lang);
  const json = args.includes('--json');
  const unknown = args.find((arg) => arg !== '--json');
  if (unknown) {
    err(tell('unknownArgument', { argument: unknown }));
    return 2;
  }
  const findings = await runDoctor(env, lang);
  const broken = findings.find((f) => f.status === 'broken');

  if (json) {
    out(JSON.stringify({ ok: !broken, findings }, null, 2));
    return broken ? 1 : 0;
  }
  // Findings quote what AI clients and relays call themselves: one terminal line each.
  const line = (text: string) => forTerminal(text, 600);
  const label = (check: string) => line(tell.label(check));
  for (const finding of findings) {
    out(`${MARK[finding.status]} ${label(finding.check)}: ${line(finding.detail)}`);
    if (finding.fix && finding.status === 'warn') out(`    → ${line(finding.fix)}`);
  }
  out(
    broken
      ? tell('firstBroken', {
          check: label(broken.check),
          detail: line(broken.detail),
          fix: line(broken.fix ?? tell('seeAbove')),
        })
      : tell('everyLinkWorks'),
  );
  return broken ? 1 : 0;
};
