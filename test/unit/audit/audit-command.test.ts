import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLogDir, openHomeAuditLog } from '../../../relay/audit/audit-log';
import { audit } from '../../../relay/commands/audit';
import { silentLogger } from '../../../relay/logger';
import type { AuditEntry } from '../../../relay/protocol/protocol';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'hospiai-audit-cmd-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

async function runAudit(...args: string[]) {
  return runAuditIn({}, ...args);
}

async function runAuditIn(env: NodeJS.ProcessEnv, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await audit({
    args,
    env,
    home,
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    logger: silentLogger,
  });
  return { code, stdout, stderr };
}

function entry(index: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at: `2026-03-0${index + 1}T09:15:0${index}.250Z`,
    client: 'Claude Desktop',
    tool: 'get_appointments',
    scopes: ['read:data'],
    resourceIds: [`apt-${index}`],
    outcome: 'ok',
    durationMs: 12.4,
    ...overrides,
  };
}

async function record(count: number) {
  const log = openHomeAuditLog(home);
  for (let index = 0; index < count; index++) await log.append(entry(index));
}

describe('hospiai-mcp audit', () => {
  it('prints the calls as a table, then confirms the chain', async () => {
    await record(2);
    const { code, stdout, stderr } = await runAudit();
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Time\s+Client\s+Tool\s+Outcome\s+Duration\s+Resources$/);
    // The time in the patient's time zone and language (Intl), to the second.
    const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeStyle: 'medium' });
    expect(lines[1]?.startsWith(when.format(new Date('2026-03-01T09:15:00Z')))).toBe(true);
    expect(lines[1]).toMatch(/\s+Claude Desktop\s+get_appointments\s+ok\s+12 ms\s+apt-0$/);
    expect(lines[2]).toContain('apt-1');
    expect(lines.at(-1)).toBe('chain verified (2 entries)');
  });

  it('speaks French under LANG=fr_FR.UTF-8', async () => {
    await record(1);
    const { stdout } = await runAuditIn({ LANG: 'fr_FR.UTF-8' });
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Heure\s+Assistant\s+Outil\s+Résultat\s+Durée\s+Ressources$/);
    expect(lines[1]).toMatch(/^01\/03\/2026 \d{2}:15:00/);
    expect(lines.at(-1)).toBe('chaîne vérifiée (1 entrées)');
  });

  it('shows only the newest entries with --limit', async () => {
    await record(4);
    const { stdout } = await runAudit('--limit', '2');
    expect(stdout).not.toContain('apt-1');
    expect(stdout).toContain('apt-2');
    expect(stdout).toContain('apt-3');
    expect(stdout).toContain('chain verified (4 entries)');
  });

  it('prints entries and the chain state as JSON with --json', async () => {
    await record(3);
    const { code, stdout } = await runAudit('--json', '--limit=2');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      entries: [entry(1), entry(2)],
      chain: { ok: true, entries: 3 },
    });
  });

  it('only verifies with --verify', async () => {
    await record(3);
    const { code, stdout } = await runAudit('--verify');
    expect(code).toBe(0);
    expect(stdout).toBe('chain verified (3 entries)\n');
  });

  it('names the first broken line and exits 1 when the log was tampered with', async () => {
    await record(3);
    const file = join(auditLogDir(home), 'audit.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[1] = lines[1]!.replace('apt-1', 'apt-9');
    await writeFile(file, lines.join('\n'));
    const { code, stdout, stderr } = await runAudit('--verify');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `chain broken: ${file} line 2: the entry was modified after it was written (hash mismatch)\n`,
    );
  });

  it('says so when nothing was recorded yet', async () => {
    const { code, stdout } = await runAudit();
    expect(code).toBe(0);
    expect(stdout).toBe('No tool calls recorded yet.\nchain verified (0 entries)\n');
  });

  it('does not let a client name drive the terminal', async () => {
    await openHomeAuditLog(home).append(entry(0, { client: 'evil\u001b[2J\u0007client' }));
    const { stdout } = await runAudit();
    const controls = [...stdout].filter((char) => char !== '\n' && char.charCodeAt(0) < 0x20);
    expect(controls).toEqual([]);
    expect(stdout).toContain('evil?[2J?client');
  });

  it('keeps a client name on its line and in its true order (no line break, no bidi override)', async () => {
    await openHomeAuditLog(home).append(
      entry(0, { client: 'Claude\nchain verified (99 entries)\u202eexe.txt' }),
    );
    const { stdout } = await runAudit();
    expect(stdout.split('\n').filter((line) => line.startsWith('chain verified'))).toEqual([
      'chain verified (1 entries)',
    ]);
    expect(stdout).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });

  it('refuses unknown arguments and a bad limit with exit code 2', async () => {
    expect(await runAudit('--all')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Unknown argument: --all\nUsage/),
    });
    expect(await runAudit('--limit', '0')).toMatchObject({ code: 2 });
    expect(await runAudit('--limit')).toMatchObject({ code: 2 });
  });
});
