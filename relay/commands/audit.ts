/**
 * `hospiai-mcp audit [--limit N] [--json] [--verify]`: shows the latest tool calls recorded by
 * the relays of this home, then checks the hash chain of the whole log (exit 1 when broken).
 */
import { type AuditVerification, openHomeAuditLog } from '../audit/audit-log';
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

function parseArgs(args: string[]): AuditArgs | string {
  const parsed: AuditArgs = { limit: DEFAULT_LIMIT, json: false, verifyOnly: false };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--json') parsed.json = true;
    else if (arg === '--verify') parsed.verifyOnly = true;
    else if (arg === '--limit' || arg?.startsWith('--limit=')) {
      const value = arg === '--limit' ? args[++index] : arg.slice('--limit='.length);
      if (!value || !/^[1-9]\d{0,5}$/.test(value)) return '--limit needs a whole number from 1';
      parsed.limit = Number(value);
    } else return `Unknown argument: ${arg}`;
  }
  return parsed;
}

export const audit: Command = async ({ args, home, out, err }) => {
  const parsed = parseArgs(args);
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
      `Could not read the audit log: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }

  if (parsed.json) {
    out(`${JSON.stringify(parsed.verifyOnly ? { chain } : { entries, chain })}\n`);
  } else {
    if (!parsed.verifyOnly)
      out(entries.length > 0 ? formatTable(entries) : 'No tool calls recorded yet.\n');
    if (chain.ok) out(`chain verified (${chain.entries} entries)\n`);
    else err(`chain broken: ${chain.file} line ${chain.line}: ${chain.reason}\n`);
  }
  return chain.ok ? 0 : 1;
};

const COLUMNS = [
  { title: 'Time', width: 20 },
  { title: 'Client', width: 24 },
  { title: 'Tool', width: 24 },
  { title: 'Outcome', width: 20 },
  { title: 'Duration', width: 10, right: true },
  { title: 'Resources', width: 60 },
] as const;

export function formatTable(entries: AuditEntry[]): string {
  const rows = entries.map((entry) => [
    formatTime(entry.at),
    entry.client ?? '-',
    entry.tool,
    entry.outcome,
    `${Math.round(entry.durationMs)} ms`,
    entry.resourceIds.join(', ') || '-',
  ]);
  const cells = [COLUMNS.map((column) => column.title), ...rows].map((row) =>
    row.map((text, index) => fitCell(forTerminal(text), COLUMNS[index]!)),
  );
  return `${cells.map((row) => row.join('  ').trimEnd()).join('\n')}\n`;
}

function formatTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+(?=Z|[+-]\d\d:?\d\d$)/, '');
}

// Client names and resource ids come from MCP clients and models: forTerminal keeps them on
// one line, without controls or bidi overrides, so nothing in the log can drive the terminal.
function fitCell(text: string, column: { width: number; right?: boolean }): string {
  const chars = Array.from(text);
  const cut = chars.length > column.width ? `${chars.slice(0, column.width - 1).join('')}…` : text;
  return column.right ? cut.padStart(column.width) : cut.padEnd(column.width);
}
