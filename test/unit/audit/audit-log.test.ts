import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { openAuditLog } from '../../../relay/audit/audit-log';
import { FileLockTimeoutError, withFileLock } from '../../../relay/file-lock';
import type { AuditEntry } from '../../../relay/protocol/protocol';

const run = promisify(execFile);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospiai-audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function entry(index: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at: new Date(Date.UTC(2026, 0, 1, 8, 0, index)).toISOString(),
    client: 'Claude Desktop',
    tool: 'get_appointments',
    scopes: ['read:data'],
    resourceIds: [`apt-${index}`],
    outcome: 'ok',
    durationMs: index * 1.5,
    ...overrides,
  };
}

async function appendAll(log: ReturnType<typeof openAuditLog>, from: number, to: number) {
  for (let index = from; index < to; index++) await log.append(entry(index));
}

const current = () => join(dir, 'audit.jsonl');
const readLines = async (path = current()) =>
  (await readFile(path, 'utf8')).split('\n').slice(0, -1);
const writeLines = (lines: string[], path = current()) => writeFile(path, `${lines.join('\n')}\n`);

describe('audit log: append, latest, verify', () => {
  it('returns the newest entries last, exactly as appended', async () => {
    const log = openAuditLog({ dir });
    await appendAll(log, 0, 5);
    expect(await log.latest(2)).toEqual([entry(3), entry(4)]);
    expect(await log.latest(50)).toEqual([0, 1, 2, 3, 4].map((index) => entry(index)));
    expect(await log.latest(0)).toEqual([]);
  });

  it('verifies an intact chain and counts its entries', async () => {
    const log = openAuditLog({ dir });
    await appendAll(log, 0, 4);
    expect(await log.verify()).toEqual({ ok: true, entries: 4 });
  });

  it('writes one JSON line per entry with the entry fields, prev and hash', async () => {
    const log = openAuditLog({ dir });
    await appendAll(log, 0, 2);
    const [first, second] = (await readLines()).map((line) => JSON.parse(line));
    expect(first).toMatchObject({ ...entry(0), prev: '0'.repeat(64) });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(second.prev).toBe(first.hash);
  });

  it('treats a log that does not exist yet as empty and valid, without creating it', async () => {
    const log = openAuditLog({ dir: join(dir, 'not-yet') });
    expect(await log.latest(10)).toEqual([]);
    expect(await log.verify()).toEqual({ ok: true, entries: 0 });
    expect(await readdir(dir)).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('creates the log file with mode 0600', async () => {
    const log = openAuditLog({ dir: join(dir, 'home', 'audit') });
    await log.append(entry(0));
    const info = await stat(join(dir, 'home', 'audit', 'audit.jsonl'));
    expect(info.mode & 0o777).toBe(0o600);
  });

  it('keeps call order when appends are not awaited one by one', async () => {
    const log = openAuditLog({ dir });
    await Promise.all([0, 1, 2, 3, 4, 5].map((index) => log.append(entry(index))));
    expect((await log.latest(10)).map((e) => e.resourceIds[0])).toEqual([
      'apt-0',
      'apt-1',
      'apt-2',
      'apt-3',
      'apt-4',
      'apt-5',
    ]);
    expect(await log.verify()).toEqual({ ok: true, entries: 6 });
  });

  it('flush waits until every entry appended so far is on disk', async () => {
    const log = openAuditLog({ dir });
    for (const index of [0, 1, 2]) void log.append(entry(index));
    await log.flush();
    expect(await readLines()).toHaveLength(3);
  });
});

describe('audit log: only ids, never content', () => {
  it('rejects an entry carrying an extra field such as medical content, and writes nothing', async () => {
    const log = openAuditLog({ dir });
    const withDiagnosis = { ...entry(0), diagnosis: 'asthma, severe' } as AuditEntry;
    const rejection = log.append(withDiagnosis);
    await expect(rejection).rejects.toThrow(/audit entry rejected/);
    await expect(rejection).rejects.not.toThrow(/asthma/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects an entry whose fields break the schema without echoing the value', async () => {
    const log = openAuditLog({ dir });
    const bad = { ...entry(0), resourceIds: ['x'.repeat(500)] };
    await expect(log.append(bad)).rejects.toThrow(/resourceIds\.0: too_big/);
    const notAnEntry = 'patient Jane Doe' as unknown as AuditEntry;
    await expect(log.append(notAnEntry)).rejects.toThrow(/audit entry rejected/);
  });

  it('stores a token passed where an id was expected as [token], keeping real ids', async () => {
    const log = openAuditLog({ dir });
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXRpZW50LTEifQ.c2lnbmF0dXJl';
    const uuid = '123e4567-e89b-12d3-a456-426614174000';
    await log.append(entry(0, { resourceIds: [jwt, uuid], outcome: 'Bearer abc.def' }));
    const text = await readFile(current(), 'utf8');
    expect(text).not.toContain('eyJhbGci');
    expect(text).not.toContain('abc.def');
    expect(await log.latest(1)).toEqual([
      entry(0, { resourceIds: ['[token]', uuid], outcome: '[token]' }),
    ]);
    expect(await log.verify()).toEqual({ ok: true, entries: 1 });
  });
});

describe('audit log: tampering is visible', () => {
  beforeEach(async () => {
    await appendAll(openAuditLog({ dir }), 0, 6);
  });

  const verifyNow = () => openAuditLog({ dir }).verify();

  it('detects an edited field', async () => {
    const lines = await readLines();
    lines[2] = lines[2]!.replace('"outcome":"ok"', '"outcome":"error"');
    await writeLines(lines);
    expect(await verifyNow()).toEqual({
      ok: false,
      file: current(),
      line: 3,
      reason: expect.stringMatching(/modified/),
    });
  });

  it('detects a deleted line', async () => {
    const lines = await readLines();
    lines.splice(3, 1);
    await writeLines(lines);
    expect(await verifyNow()).toMatchObject({
      ok: false,
      line: 4,
      reason: expect.stringMatching(/removed/),
    });
  });

  it('detects reordered lines', async () => {
    const lines = await readLines();
    [lines[1], lines[2]] = [lines[2]!, lines[1]!];
    await writeLines(lines);
    expect(await verifyNow()).toMatchObject({ ok: false, line: 2 });
  });

  it('detects a truncated middle', async () => {
    const lines = await readLines();
    lines.splice(1, 3);
    await writeLines(lines);
    expect(await verifyNow()).toMatchObject({ ok: false, line: 2 });
  });

  it('detects a removed first line', async () => {
    const lines = await readLines();
    await writeLines(lines.slice(1));
    expect(await verifyNow()).toMatchObject({
      ok: false,
      line: 1,
      reason: expect.stringMatching(/beginning of the log is missing/),
    });
  });

  it('detects a line that is no longer JSON', async () => {
    const lines = await readLines();
    lines[4] = lines[4]!.slice(0, 40);
    await writeLines(lines);
    expect(await verifyNow()).toMatchObject({
      ok: false,
      line: 5,
      reason: expect.stringMatching(/not JSON/),
    });
  });

  it('keeps appending after a torn last line and reports the torn line', async () => {
    await writeFile(current(), `${(await readLines()).join('\n')}\n{"at":"2026-01-0`);
    const log = openAuditLog({ dir });
    await log.append(entry(6));
    expect((await log.latest(2)).map((e) => e.resourceIds[0])).toEqual(['apt-5', 'apt-6']);
    expect(await log.verify()).toMatchObject({ ok: false, line: 7 });
  });
});

describe('audit log: rotation', () => {
  // One line is about 330 bytes: four files of at most 1000 bytes hold about 3 lines each.
  const options = () => ({ dir, maxBytes: 1_000, keep: 3 });

  it('bounds the total size and keeps the chain verifiable across files', async () => {
    const log = openAuditLog(options());
    await appendAll(log, 0, 40);
    const files = (await readdir(dir)).filter((name) => name.endsWith('.jsonl')).sort();
    expect(files).toEqual(['audit.1.jsonl', 'audit.2.jsonl', 'audit.3.jsonl', 'audit.jsonl']);
    let total = 0;
    for (const name of files) {
      const { size } = await stat(join(dir, name));
      expect(size).toBeLessThanOrEqual(1_000);
      total += size;
    }
    expect(total).toBeLessThanOrEqual(4_000);
    const verification = await log.verify();
    expect(verification).toMatchObject({ ok: true });
    const kept = await log.latest(1_000);
    expect(verification).toEqual({ ok: true, entries: kept.length });
    expect(kept.length).toBeGreaterThan(6);
    expect(kept.length).toBeLessThan(40);
    expect(kept.at(-1)).toEqual(entry(39));
  });

  it('chains the first entry of a new file to the last entry of the previous one', async () => {
    const log = openAuditLog(options());
    await appendAll(log, 0, 8);
    const previous = await readLines(join(dir, 'audit.1.jsonl'));
    const [first] = await readLines();
    expect(JSON.parse(first!).prev).toBe(JSON.parse(previous.at(-1)!).hash);
  });

  it('detects a rotated file that was removed', async () => {
    const log = openAuditLog(options());
    await appendAll(log, 0, 40);
    await rm(join(dir, 'audit.2.jsonl'));
    expect(await log.verify()).toMatchObject({
      ok: false,
      file: join(dir, 'audit.1.jsonl'),
      line: 1,
    });
  });

  it('detects a missing oldest file when fewer files are kept than expected', async () => {
    const log = openAuditLog(options());
    await appendAll(log, 0, 40);
    await rm(join(dir, 'audit.3.jsonl'));
    expect(await log.verify()).toMatchObject({
      ok: false,
      file: join(dir, 'audit.2.jsonl'),
      reason: expect.stringMatching(/beginning/),
    });
  });
});

describe('audit log: several writers', () => {
  it('keeps one valid chain when two instances append at the same time', async () => {
    const first = openAuditLog({ dir });
    const second = openAuditLog({ dir });
    await Promise.all([
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((index) => first.append(entry(index, { client: 'A' }))),
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((index) =>
        second.append(entry(index, { client: 'B' })),
      ),
    ]);
    expect(await first.verify()).toEqual({ ok: true, entries: 20 });
    const all = await second.latest(100);
    for (const client of ['A', 'B']) {
      const own = all.filter((e) => e.client === client).map((e) => e.resourceIds[0]);
      expect(own).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((index) => `apt-${index}`));
    }
  });

  // Two Node processes appending at once. The worker is bundled first (esbuild, ~50 ms) rather
  // than run under `node --import tsx`, which cost each process ~0.8 s of CPU to start, and this
  // file runs on Node 20, 22 and 24. Seconds on a loaded machine: a deadline of its own.
  it('keeps one valid chain when two processes append at the same time', {
    timeout: 60_000,
  }, async () => {
    const bundled = await mkdtemp(join(tmpdir(), 'hospiai-append-worker-'));
    onTestFinished(() => rm(bundled, { recursive: true, force: true }));
    const worker = join(bundled, 'append-worker.mjs');
    await build({
      entryPoints: [join(import.meta.dirname, 'append-worker.ts')],
      outfile: worker,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'warning',
    });
    const spawnWorker = (label: string) =>
      run(process.execPath, [worker, dir, label, '25'], { cwd: import.meta.dirname });
    await Promise.all([spawnWorker('one'), spawnWorker('two')]);
    const log = openAuditLog({ dir });
    expect(await log.verify()).toEqual({ ok: true, entries: 50 });
    const clients = (await log.latest(100)).map((e) => e.client);
    expect(clients.filter((c) => c === 'one')).toHaveLength(25);
    expect(clients.filter((c) => c === 'two')).toHaveLength(25);
  });

  it('recovers a lock left by a process that died', async () => {
    const { stdout } = await run(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]);
    const deadPid = Number(stdout);
    await writeFile(
      join(dir, 'audit.lock'),
      JSON.stringify({ pid: deadPid, host: (await import('node:os')).hostname(), id: 'gone' }),
    );
    const log = openAuditLog({ dir });
    await log.append(entry(0));
    expect(await log.verify()).toEqual({ ok: true, entries: 1 });
    expect(await readdir(dir)).toEqual(['audit.jsonl']);
  });

  it('waits for a live lock and gives up with an actionable error', async () => {
    const lockPath = join(dir, 'held.lock');
    await withFileLock(lockPath, async () => {
      const attempt = withFileLock(lockPath, async () => 'never', { timeoutMs: 100 });
      await expect(attempt).rejects.toBeInstanceOf(FileLockTimeoutError);
      await expect(attempt).rejects.toThrow(/delete .*held\.lock/);
    });
    expect(await withFileLock(lockPath, async () => 'free again')).toBe('free again');
  });
});
