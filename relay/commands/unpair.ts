/**
 * `hospiai-mcp unpair <pairingId> | --all`: forgets a paired extension (or all of them). Its
 * later connections are refused by every relay of this home; it must be paired again.
 */
import { listPairings, removeAllPairings, removePairing } from '../bridge/pairing-store';
import { langFromEnv } from '../i18n/messages';
import { formatDateTime, sayIn } from '../i18n/say';
import { PairingId } from '../protocol/protocol';
import type { Command } from './command';

const USAGE = 'Usage: hospiai-mcp unpair <pairingId> | --all';

export const unpair: Command = async ({ args, env, home, out, err }) => {
  const lang = langFromEnv(env);
  const say = sayIn(lang);
  const [target, ...rest] = args;
  if (target === undefined || rest.length > 0) {
    const pairings = await listPairings(home);
    const lines = pairings.map(
      (p) =>
        `  ${p.pairingId}  ${say('paired', 'appairée le')} ${formatDateTime(p.createdAt, lang)}`,
    );
    const heading =
      pairings.length > 0
        ? say('Pairings:', 'Appairages :')
        : say('No extension is paired.', 'Aucune extension n’est appairée.');
    err([USAGE, '', heading, ...lines, ''].join('\n'));
    return 2;
  }
  if (target === '--all') {
    const removed = await removeAllPairings(home);
    const plural = removed === 1 ? '' : 's';
    out(
      say(
        `Removed ${removed} pairing${plural}.\n`,
        `${removed} appairage${plural} supprimé${plural}.\n`,
      ),
    );
    return 0;
  }
  if (!PairingId.safeParse(target).success) {
    err(
      say(
        `"${target}" is not a pairing id (16 lowercase letters or digits).\n${USAGE}\n`,
        `« ${target} » n’est pas un identifiant d’appairage (16 lettres minuscules ou chiffres).\n${USAGE}\n`,
      ),
    );
    return 2;
  }
  if (!(await removePairing(home, target))) {
    err(
      say(
        `No pairing ${target}. Run \`hospiai-mcp unpair\` to list them.\n`,
        `Aucun appairage ${target}. Lancez \`hospiai-mcp unpair\` pour les lister.\n`,
      ),
    );
    return 1;
  }
  out(
    say(
      `Removed pairing ${target}. That extension must be paired again.\n`,
      `Appairage ${target} supprimé. Cette extension devra être appairée à nouveau.\n`,
    ),
  );
  return 0;
};
