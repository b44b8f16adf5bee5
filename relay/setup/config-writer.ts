/**
 * Puts our server entry into a client's configuration file: merged into what is there (other
 * servers and settings untouched), a timestamped backup first, then an atomic replace (temp
 * file + rename) that keeps the file's mode. Running it again with the same options changes
 * nothing. A file that cannot be merged safely is left exactly as it was (ConfigMergeError).
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import {
  chmod,
  copyFile,
  lstat,
  mkdir,
  readFile,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { redact } from '../protocol/redact';
import { type ClientSpec, type RelayLaunch, SERVER_NAME } from './clients';
import { setJsonMember } from './jsonc-edit';
import { ConfigMergeError, type MergeResult } from './merge-result';
import { mergeTomlEntry } from './toml-block';
import { mergeYamlEntry } from './yaml-block';

/** Pure: the new text of the configuration, from its current text (null: no file yet). */
export function mergeClientConfig(
  client: ClientSpec,
  existing: string | null,
  launch: RelayLaunch,
): MergeResult {
  const entry = client.entry(launch);
  if (client.format === 'json') {
    return setJsonMember(existing, client.container, SERVER_NAME, entry, {
      comments: client.jsonc,
    });
  }
  // The line-based merges work on the text without a byte-order mark; it is put back after.
  const bom = existing?.startsWith('\uFEFF') ? '\uFEFF' : '';
  const text = existing === null ? null : existing.slice(bom.length);
  const merged =
    client.format === 'yaml'
      ? mergeYamlEntry(text, {
          container: client.container,
          layout: client.layout,
          name: SERVER_NAME,
          entry,
          newFileHeader: client.newFileHeader,
        })
      : mergeTomlEntry(text, {
          table: client.table,
          layout: client.layout,
          name: SERVER_NAME,
          entry,
        });
  return { ...merged, text: bom + merged.text };
}

export interface WriteOutcome {
  /** `conflict`: a different `hospiai` entry is there and `force` was not given; nothing written. */
  status: 'created' | 'updated' | 'unchanged' | 'conflict';
  /** The file written (symbolic links are followed, so a linked dotfile stays a link). */
  path: string;
  backup: string | null;
  /**
   * The entry replaced held something token-shaped (the old design put the API token in the
   * config): the caller tells the user to delete the backup and revoke that token.
   */
  replacedHadToken: boolean;
  /** The existing `hospiai` entry's text, when it differed from ours (token-shaped parts hidden). */
  found: string | null;
}

const TOKEN_IN_CONFIG = /HOSPIAI_TOKEN|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

export async function writeClientConfig(
  client: ClientSpec,
  file: string,
  launch: RelayLaunch,
  options: { force?: boolean; now?: Date } = {},
): Promise<WriteOutcome> {
  const now = options.now ?? new Date();
  const target = await followLink(file);
  const existing = await readIfExists(target);
  const merged = mergeClientConfig(client, existing, launch);
  const replacedHadToken = merged.replaced !== null && TOKEN_IN_CONFIG.test(merged.replaced);
  if (existing === merged.text) {
    return { status: 'unchanged', path: target, backup: null, replacedHadToken, found: null };
  }
  const found = merged.replaced === null ? null : redact(merged.replaced.trim());
  if (found !== null && !options.force) {
    return { status: 'conflict', path: target, backup: null, replacedHadToken, found };
  }

  let mode: number | undefined;
  let backup: string | null = null;
  if (existing === null) {
    await mkdir(path.dirname(target), { recursive: true });
  } else {
    mode = (await stat(target)).mode & 0o7777;
    backup = await makeBackup(target, now);
  }
  await replaceAtomically(target, merged.text, mode);
  return {
    status: existing === null ? 'created' : 'updated',
    path: target,
    backup,
    replacedHadToken,
    found,
  };
}

async function followLink(file: string): Promise<string> {
  try {
    if (!(await lstat(file)).isSymbolicLink()) return file;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return file;
    throw error;
  }
  try {
    return await realpath(file);
  } catch {
    throw new ConfigMergeError(`${file} is a symbolic link to a file that does not exist`);
  }
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    throw error;
  }
}

/**
 * `<file>.hospiai-backup-<UTC time>` next to the file, never overwriting an earlier backup.
 * Mode 0600 whatever the original's: configurations often hold other servers' API keys.
 */
async function makeBackup(file: string, now: Date): Promise<string> {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  for (let attempt = 0; ; attempt++) {
    const backup = `${file}.hospiai-backup-${stamp}${attempt === 0 ? '' : `-${attempt}`}`;
    try {
      await copyFile(file, backup, constants.COPYFILE_EXCL);
      await chmod(backup, 0o600);
      return backup;
    } catch (error) {
      if (!isCode(error, 'EEXIST') || attempt >= 99) throw error;
    }
  }
}

async function replaceAtomically(
  file: string,
  text: string,
  mode: number | undefined,
): Promise<void> {
  const temp = `${file}.hospiai-${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { flag: 'wx', mode: mode ?? 0o644 });
    if (mode !== undefined) await chmod(temp, mode); // the umask may have narrowed it
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
