/**
 * The local audit log of tool calls: JSON Lines in `<dir>/audit.jsonl` (mode 0600), one entry
 * per tool call, each chained to the one before it by hash (see audit-chain.ts). When the file
 * would exceed `maxBytes` it becomes `audit.1.jsonl` (older ones shift to `.2`, `.3`…, the
 * oldest beyond `keep` is deleted) and the new file's first entry chains to the last hash of
 * the previous file, so the chain runs across files and the total size stays bounded.
 *
 * What the chain protects against: an edited, deleted, inserted or reordered line, a missing
 * middle, a missing rotated file — the accidental or partial tampering a user or a tool could
 * do — is reported by `verify()` with the first line that breaks. What it does not: the log is
 * not signed, so anyone who can write these files can rewrite the whole chain from any point on
 * and it verifies again; and dropping the newest lines (a truncated end) leaves a valid shorter
 * chain. It is a record for the patient, not proof against an attacker on their account.
 *
 * Entries are validated with the wire schema `AuditEntry` (strict: ids, names and outcomes only,
 * so no medical content fits) before anything is written, and anything JWT- or Bearer-shaped in
 * their strings is replaced, so a token passed where an id was expected never reaches the disk.
 * (Over 250 lines: appending, rotating and verifying share the files' layout and the lock; the
 * chain's hashing is audit-chain.ts.)
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isCode, withFileLock } from '../file-lock';
import { AuditEntry } from '../protocol/protocol';
import { describeIssues, formatLine, GENESIS_HASH, parseLine, statedHash } from './audit-chain';

export interface AuditLogOptions {
  dir: string;
  /** Rotate when the current file would exceed this many bytes (default 1 MiB). */
  maxBytes?: number;
  /** Rotated files kept (default 3). */
  keep?: number;
}

export type AuditVerification =
  | { ok: true; entries: number }
  | { ok: false; line: number; file: string; reason: string };

export interface AuditLog {
  /** Serialised, also across processes: concurrent appends keep their order and the chain. */
  append(entry: AuditEntry): Promise<void>;
  /** The newest `n` entries, oldest first. */
  latest(n: number): Promise<AuditEntry[]>;
  verify(): Promise<AuditVerification>;
  /** Resolves once every entry appended so far is on disk (before the process exits). */
  flush(): Promise<void>;
}

/** Where the relay keeps its audit log inside its home directory. */
export function auditLogDir(home: string): string {
  return join(home, 'audit');
}

/** The home's audit log with the default limits: the relay and `hospiai-mcp audit` must agree. */
export function openHomeAuditLog(home: string): AuditLog {
  return openAuditLog({ dir: auditLogDir(home) });
}

export const AUDIT_FILE = 'audit.jsonl';
const DEFAULT_MAX_BYTES = 1024 * 1024;
const DEFAULT_KEEP = 3;
/** How long an entry may wait for others to share its write. */
const BATCH_WINDOW_MS = 20;
/** Entries are a few KB at most (see AuditEntry's limits); the last one is always in this tail. */
const TAIL_BYTES = 64 * 1024;

export function openAuditLog(options: AuditLogOptions): AuditLog {
  const { dir } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const keep = options.keep ?? DEFAULT_KEEP;
  if (!Number.isInteger(maxBytes) || maxBytes <= 0) throw new RangeError('maxBytes must be > 0');
  if (!Number.isInteger(keep) || keep < 0) throw new RangeError('keep must be an integer >= 0');

  const current = join(dir, AUDIT_FILE);
  const rotated = (index: number) => join(dir, `audit.${index}.jsonl`);
  const lockPath = join(dir, 'audit.lock');

  // In-process order; the lock file orders this process against the others.
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  const locked = <T>(task: () => Promise<T>) => serialised(() => withFileLock(lockPath, task));

  /** Files from oldest to newest, each with its rotation index (0 = the current file). */
  const existingFiles = (): { path: string; index: number }[] => {
    const files: { path: string; index: number }[] = [];
    for (let index = keep; index >= 1; index--) {
      if (existsSync(rotated(index))) files.push({ path: rotated(index), index });
    }
    if (existsSync(current)) files.push({ path: current, index: 0 });
    return files;
  };

  const rotate = async () => {
    for (let index = keep; index >= 1; index--) {
      if (index === keep) await rm(rotated(index), { force: true });
      else await renameIfExists(rotated(index), rotated(index + 1));
    }
    if (keep > 0) await renameIfExists(current, rotated(1));
    else await rm(current, { force: true });
  };

  /**
   * Group commit: entries that arrive within BATCH_WINDOW_MS, or while a write is under way, go
   * out together under one lock. Under load the relay then pays one lock and one write per
   * batch rather than per tool call (the profile showed file I/O as most of its per-call cost);
   * each append still resolves only once its line is on disk, and the relay flushes on exit.
   */
  let batch: { lines: AuditEntry[]; written: Promise<void> } | null = null;

  let dirReady: Promise<unknown> | null = null;
  const writeBatch = async (entries: AuditEntry[]): Promise<void> => {
    dirReady ??= mkdir(dir, { recursive: true, mode: 0o700 });
    await dirReady.catch(() => {
      dirReady = null; // try again next time (the home may have been removed and recreated)
    });
    await withFileLock(lockPath, async () => {
      // Re-read under the lock: another relay may have appended since our last write.
      const tail = await readTail(current);
      let prev = tail.lastHash ?? (await readTail(rotated(1))).lastHash ?? GENESIS_HASH;
      let text = '';
      for (const entry of entries) {
        const formatted = formatLine(entry, prev);
        text += `${formatted.line}\n`;
        prev = formatted.hash;
      }
      const bytes = Buffer.byteLength(text);
      let fresh = tail.size === 0;
      if (!fresh && tail.size + bytes > maxBytes) {
        await rotate();
        fresh = true;
      } else if (!fresh && !tail.endsWithNewline) {
        text = `\n${text}`; // a torn last line (crash mid-write) stays visible on its own line
      }
      const handle = await open(current, 'a', 0o600);
      try {
        await handle.write(text);
      } finally {
        await handle.close();
      }
      if (fresh) await chmod(current, 0o600);
    });
  };

  const append = (entry: AuditEntry): Promise<void> => {
    const parsed = AuditEntry.safeParse(entry);
    if (!parsed.success) {
      return Promise.reject(new TypeError(`audit entry rejected: ${describeIssues(parsed.error)}`));
    }
    // Joined synchronously, so that call order is file order.
    if (!batch) {
      const lines: AuditEntry[] = [];
      const written = serialised(async () => {
        await sleep(BATCH_WINDOW_MS);
        batch = null; // later appends start the next batch
        await writeBatch(lines);
      });
      batch = { lines, written };
    }
    batch.lines.push(withoutTokens(parsed.data));
    return batch.written;
  };

  const latest = async (n: number): Promise<AuditEntry[]> => {
    if (n <= 0 || !existsSync(dir)) return [];
    return locked(async () => {
      const newestFirst: AuditEntry[] = [];
      for (const file of existingFiles().reverse()) {
        const lines = (await readFile(file.path, 'utf8')).split('\n').reverse();
        for (const text of lines) {
          if (text === '') continue;
          const parsed = parseLine(text);
          if (parsed.ok) newestFirst.push(parsed.entry);
          if (newestFirst.length >= n) return newestFirst.reverse();
        }
      }
      return newestFirst.reverse();
    });
  };

  const verify = async (): Promise<AuditVerification> => {
    if (!existsSync(dir)) return { ok: true, entries: 0 };
    return locked(async () => {
      const files = existingFiles();
      let entries = 0;
      let expectedPrev: string | null = null;
      for (const [position, file] of files.entries()) {
        const lines = (await readFile(file.path, 'utf8')).split('\n');
        if (lines.at(-1) === '') lines.pop();
        for (const [offset, text] of lines.entries()) {
          const broken = (reason: string): AuditVerification => ({
            ok: false,
            file: file.path,
            line: offset + 1,
            reason,
          });
          if (text === '') return broken('empty line inside the log');
          const parsed = parseLine(text);
          if (!parsed.ok) return broken(parsed.reason);
          if (expectedPrev === null) {
            // The very first entry starts the chain, unless rotation dropped its predecessor:
            // that is only expected when the oldest file present is the oldest one kept.
            const predecessorDropped = position === 0 && file.index === keep;
            if (parsed.prev !== GENESIS_HASH && !predecessorDropped) {
              return broken(
                'the beginning of the log is missing (a line or a rotated file was removed)',
              );
            }
          } else if (parsed.prev !== expectedPrev) {
            return broken(
              'the entry does not follow the previous one (a line was removed, inserted or moved)',
            );
          }
          expectedPrev = parsed.hash;
          entries += 1;
        }
      }
      return { ok: true, entries };
    });
  };

  const flush = () => serialised(async () => {}).then(() => undefined);

  return { append, latest, verify, flush };
}

interface Tail {
  size: number;
  /** The stated hash of the last line that has one. */
  lastHash: string | null;
  endsWithNewline: boolean;
}

async function readTail(path: string): Promise<Tail> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return { size: 0, lastHash: null, endsWithNewline: true };
    throw error;
  }
  if (size === 0) return { size, lastHash: null, endsWithNewline: true };
  const handle = await open(path, 'r');
  try {
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const endsWithNewline = buffer[length - 1] === 0x0a;
    let lines = buffer.toString('utf8').split('\n');
    if (length < size) lines = lines.slice(1); // the first piece may be a partial line
    let lastHash = findLastHash(lines);
    if (lastHash === null && length < size) {
      lastHash = findLastHash((await readFile(path, 'utf8')).split('\n'));
    }
    return { size, lastHash, endsWithNewline };
  } finally {
    await handle.close();
  }
}

function findLastHash(lines: string[]): string | null {
  for (let index = lines.length - 1; index >= 0; index--) {
    const text = lines[index];
    if (!text) continue;
    const hash = statedHash(text);
    if (hash) return hash;
  }
  return null;
}

async function renameIfExists(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if (!isCode(error, 'ENOENT')) throw error;
  }
}

/**
 * Narrower than the logger's redaction on purpose: resource ids are often long (UUIDs) and must
 * stay readable; the portal's tokens are JWTs, and a Bearer value is a token whatever it is.
 */
const TOKEN_SHAPES = [
  /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  /\bBearer\s+\S+/gi,
];

function withoutTokens(entry: AuditEntry): AuditEntry {
  const scrub = (text: string) =>
    // Never longer than what it replaces, so the entry still fits the schema's limits.
    TOKEN_SHAPES.reduce((result, shape) => result.replace(shape, '[token]'), text);
  return {
    ...entry,
    client: entry.client === null ? null : scrub(entry.client),
    tool: scrub(entry.tool),
    outcome: scrub(entry.outcome),
    resourceIds: entry.resourceIds.map(scrub),
  };
}
