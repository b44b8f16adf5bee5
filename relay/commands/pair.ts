/**
 * `hospiai-mcp pair [--json]`: creates a one-time pairing code for the extension's popup and
 * shows it. This is the only place the code is ever shown; the home keeps its stretch only.
 */

import { createPendingPairing, PAIRING_CODE_TTL_MS } from '../bridge/pairing-store';
import { ensureHome } from '../home';
import { langFromEnv, translator } from '../i18n/messages';
import { formatTime, sayIn } from '../i18n/say';
import type { Command } from './command';

const USAGE = 'Usage: hospiai-mcp pair [--json]';

export const pair: Command = async ({ args, env, home, out, err }) => {
  const lang = langFromEnv(env);
  const say = sayIn(lang);
  const json = args.includes('--json');
  const unknown = args.filter((arg) => arg !== '--json');
  if (unknown.length > 0) {
    err(`${say('Unknown argument', 'Argument inconnu')}: ${unknown[0]}\n${USAGE}\n`);
    return 2;
  }
  await ensureHome(home, translator(lang));
  const { code, expiresAt, triesLeft } = await createPendingPairing(home);

  if (json) {
    out(`${JSON.stringify({ code, expiresAt, triesLeft })}\n`);
    return 0;
  }
  const minutes = Math.round(PAIRING_CODE_TTL_MS / 60_000);
  const until = formatTime(expiresAt, lang);
  out(
    [
      '',
      `  ${say('Pairing code:', 'Code d’appairage :')}  ${code}`,
      '',
      say(
        'Open the HospiAI extension’s window in your browser and type this code.',
        'Ouvrez la fenêtre de l’extension HospiAI dans votre navigateur et saisissez ce code.',
      ),
      say(
        `It is valid for ${minutes} minutes (until ${until}), works once, and allows ${triesLeft} tries.`,
        `Il est valable ${minutes} minutes (jusqu’à ${until}), une seule fois, avec ${triesLeft} essais.`,
      ),
      say(
        'Running `hospiai-mcp pair` again replaces it.',
        'Relancer `hospiai-mcp pair` le remplace.',
      ),
      '',
    ].join('\n'),
  );
  return 0;
};
