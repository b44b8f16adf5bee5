/**
 * `hospiai-mcp pair [--json]`: creates a one-time pairing code for the extension's popup and
 * shows it. This is the only place the code is ever shown; the home keeps its stretch only.
 */

import { createPendingPairing, PAIRING_CODE_TTL_MS } from '../bridge/pairing-store';
import { ensureHome } from '../home';
import type { Command } from './command';

const USAGE = 'Usage: hospiai-mcp pair [--json]';

export const pair: Command = async ({ args, home, out, err }) => {
  const json = args.includes('--json');
  const unknown = args.filter((arg) => arg !== '--json');
  if (unknown.length > 0) {
    err(`Unknown argument: ${unknown[0]}\n${USAGE}\n`);
    return 2;
  }
  await ensureHome(home);
  const { code, expiresAt, triesLeft } = await createPendingPairing(home);

  if (json) {
    out(`${JSON.stringify({ code, expiresAt, triesLeft })}\n`);
    return 0;
  }
  const minutes = Math.round(PAIRING_CODE_TTL_MS / 60_000);
  const until = new Date(expiresAt).toLocaleTimeString();
  out(
    [
      '',
      `  Pairing code:  ${code}`,
      '',
      `Open the HospiAI extension's popup and type this code.`,
      `It is valid for ${minutes} minutes (until ${until}), works once, and allows ${triesLeft} tries.`,
      'Running `hospiai-mcp pair` again replaces it.',
      '',
    ].join('\n'),
  );
  return 0;
};
