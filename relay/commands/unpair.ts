/**
 * `hospiai-mcp unpair <pairingId> | --all`: forgets a paired extension (or all of them). Its
 * later connections are refused by every relay of this home; it must be paired again.
 */
import { listPairings, removeAllPairings, removePairing } from '../bridge/pairing-store';
import { PairingId } from '../protocol/protocol';
import type { Command } from './command';

const USAGE = 'Usage: hospiai-mcp unpair <pairingId> | --all';

export const unpair: Command = async ({ args, home, out, err }) => {
  const [target, ...rest] = args;
  if (target === undefined || rest.length > 0) {
    const pairings = await listPairings(home);
    const lines = pairings.map((p) => `  ${p.pairingId}  paired ${p.createdAt}`);
    err(
      [USAGE, '', pairings.length > 0 ? 'Pairings:' : 'No extension is paired.', ...lines, ''].join(
        '\n',
      ),
    );
    return 2;
  }
  if (target === '--all') {
    const removed = await removeAllPairings(home);
    out(`Removed ${removed} pairing${removed === 1 ? '' : 's'}.\n`);
    return 0;
  }
  if (!PairingId.safeParse(target).success) {
    err(`"${target}" is not a pairing id (16 lowercase letters or digits).\n${USAGE}\n`);
    return 2;
  }
  if (!(await removePairing(home, target))) {
    err(`No pairing ${target}. Run \`hospiai-mcp unpair\` to list them.\n`);
    return 1;
  }
  out(`Removed pairing ${target}. That extension must be paired again (hospiai-mcp pair).\n`);
  return 0;
};
