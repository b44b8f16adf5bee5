/**
 * `hospiai-mcp audit [--limit N] [--json] [--verify]`: shows the latest tool calls recorded by
 * the relays of this home, then checks the hash chain of the whole log (exit 1 when broken).
 */
import { type AuditVerification, openHomeAuditLog } from '../audit/audit-log';
import { type Lang, langFromEnv } from '../i18n/messages';
import { type Say, sayIn } from '../i18n/say';
import type { AuditEntry } from '../protocol/protocol';
import { forTerminal } from '../protocol/untrusted-text';
import type { Command } from './command';

const USAGE = 'Usage: hospiai-mcp audit [--limit N] [--json] [--verify]';
const DEFAULT_LIMIT = 20;

interface AuditArgs {
  limit: number;
  json: boolean;
  verifyOnly: boolean;
}

function parseArgs(args: string[], say: Say): AuditArgs | string {
  const parsed: AuditArgs = { limit: DEFAULT_LIMIT, json: false, verifyOnly: false };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--json') parsed.json = true;
    else if (arg === '--verify') parsed.verifyOnly = true;
    else if (arg === '--limit' || arg?.startsWith('--limit=')) {
      const value = arg === '--limit' ? args[++index] : arg.slice('--limit='.length);
      if (!value || !/^[1-9]\d{0,5}$/.test(value))
        return say(
          '--limit needs a whole number from 1',
          '--limit attend un nombre entier à partir de 1',
        );
      parsed.limit = Number(value);
    } else return `${say('Unknown argument', 'Argument inconnu')}: ${arg}`;
  }
  return parsed;
}

export const audit: Command = async ({ args, env, home, out, err }) => {
  const lang = langFromEnv(env);
  const say = sayIn(lang);
  const parsed = parseArgs(args, say);
  if (typeof parsed === 'string') {
    err(`${parsed}\n${USAGE}\n`);
    return 2;
  }
  const log = openHomeAuditLog(home);
  let entries: AuditEntry[] = [];
  let chain: AuditVerification;
  try {
    if (!parsed.verifyOnly) entries = await log.latest(parsed.limit);
    chain = await log.verify();
  } catch (error) {
    err(
      `${say('Could not read the audit log', 'Impossible de lire le journal d’audit')}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }

  if (parsed.json) {
    out(`${JSON.stringify(parsed.verifyOnly ? { chain } : { entries, chain })}\n`);
  } else {
    if (!parsed.verifyOnly)
      out(
        entries.length > 0
          ? formatTable(entries, lang)
          : say(
              'No tool calls recorded yet.\n',
              'Aucun appel d’outil enregistré pour l’instant.\n',
            ),
      );
    if (chain.ok)
      out(
        say(
          `chain verified (${chain.entries} entries)\n`,
          `chaîne vérifiée (${chain.entries} entrées)\n`,
        ),
      );
    else
      err(
        say(
          `chain broken: ${chain.file} line ${chain.line}: ${chain.reason}\n`,
          `chaîne rompue : ${chain.file} ligne ${chain.line} : ${chain.reason}\n`,
        ),
      );
  }
  return chain.ok ? 0 : 1;
};

const COLUMNS = [
  { title: ['Time', 'Heure'], width: 24 },
  { title: ['Client', 'Assistant'], width: 24 },
  { title: ['Tool', 'Outil'], width: 24 },
  { title: ['Outcome', 'Résultat'], width: 20 },
  { title: ['Duration', 'Durée'], width: 10, right: true },
  { title: ['Resources', 'Ressources'], width: 60 },
] as const;

/** Times in the patient's language and time zone, to the second. */
function formatWhen(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'medium',
  }).format(new Date(iso));
}

export function formatTable(entries: AuditEntry[], lang: Lang = 'en'): string {
  const rows = entries.map((entry) => [
    formatWhen(entry.at, lang),
    entry.client ?? '-',
    entry.tool,
    entry.outcome,
    `${Math.round(entry.durationMs)} ms`,
    entry.resourceIds.join(', ') || '-',
  ]);
  const titles = COLUMNS.map((column) => column.title[lang === 'fr' ? 1 : 0]);
  const cells = [titles, ...rows].map((row) =>
    row.map((text, index) => fitCell(forTerminal(text), COLUMNS[index]!)),
  );
  return `${cells.map((row) => row.join('  ').trimEnd()).join('\n')}\n`;
}

// Client names and resource ids come from MCP clients and models: forTerminal keeps them on
// one line, without controls or bidi overrides, so nothing in the log can drive the terminal.
function fitCell(text: string, column: { width: number; right?: boolean }): string {
  const chars = Array.from(text);
  const cut = chars.length > column.width ? `${chars.slice(0, column.width - 1).join('')}…` : text;
  return column.right ? cut.padStart(column.width) : cut.padEnd(column.width);
}
