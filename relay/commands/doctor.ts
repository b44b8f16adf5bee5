/**
 * `hospiai-mcp doctor`: walks the chain — configuration, home, pairing, bridge ports, portal,
 * token, AI clients — prints every finding, then the first broken link with its fix.
 * Exit code 1 when something is broken.
 */
import { CHECKS, type DoctorState, type Finding } from '../doctor/checks';
import { sayFor } from '../i18n/say';
import { forTerminal } from '../protocol/untrusted-text';
import type { Command } from './command';

const MARK: Record<Finding['status'], string> = { ok: '✓', warn: '!', broken: '✗', skip: '·' };

/** The checks' names in French (the JSON report keeps the English ids). */
const FRENCH_LABELS: Array<[RegExp, string]> = [
  [/^configuration$/, 'configuration'],
  [/^config home$/, 'dossier de configuration'],
  [/^pairing$/, 'appairage'],
  [/^bridge port (\d+)$/, 'port du pont $1'],
  [/^bridge ports$/, 'ports du pont'],
  [/^portal$/, 'portail'],
  [/^token \(HOSPIAI_TOKEN\)$/, 'jeton (HOSPIAI_TOKEN)'],
  [/^token scopes$/, 'autorisations du jeton'],
  [/^token$/, 'jeton'],
  [/^AI clients$/, 'assistants IA'],
  [/^AI client (.+)$/, 'assistant IA $1'],
];

export const doctor: Command = async ({ args, env, out, err }) => {
  const say = sayFor(env);
  const json = args.includes('--json');
  const unknown = args.find((arg) => arg !== '--json');
  if (unknown) {
    err(
      say(
        `Unknown argument: ${unknown}\nUsage: hospiai-mcp doctor [--json]`,
        `Argument inconnu : ${unknown}\nUsage : hospiai-mcp doctor [--json]`,
      ),
    );
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
  const label = (check: string) => {
    const french = FRENCH_LABELS.find(([pattern]) => pattern.test(check));
    return line(french ? say(check, check.replace(french[0], french[1])) : check);
  };
  for (const finding of findings) {
    out(`${MARK[finding.status]} ${label(finding.check)}: ${line(finding.detail)}`);
    if (finding.fix && finding.status === 'warn') out(`    → ${line(finding.fix)}`);
  }
  out(
    broken
      ? say(
          `\nFirst broken link: ${label(broken.check)} — ${line(broken.detail)}\nFix: ${line(broken.fix ?? 'see above')}`,
          `\nPremier maillon cassé : ${label(broken.check)} — ${line(broken.detail)}\nSolution : ${line(broken.fix ?? 'voir ci-dessus')}`,
        )
      : say('\nEvery link works.', '\nTous les maillons fonctionnent.'),
  );
  return broken ? 1 : 0;
};
