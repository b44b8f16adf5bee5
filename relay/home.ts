/**
 * The relay home: the per-user directory that holds the pairing files (and, for other modules,
 * the audit log). Its files are secrets of this user, so the directory must be private and every
 * file in it is written 0600, either created exclusively or replaced atomically.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { type Translate, translator } from './i18n/messages';

const APP_DIR = 'hospiai-mcp';

/** HOSPIAI_MCP_HOME, else the OS's per-user config directory. */
export function resolveHome(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.HOSPIAI_MCP_HOME) return path.resolve(env.HOSPIAI_MCP_HOME);
  if (platform === 'win32') {
    const appData =
      env.APPDATA || path.win32.join(env.USERPROFILE || homedir(), 'AppData', 'Roaming');
    return path.win32.join(appData, APP_DIR);
  }
  const home = env.HOME || homedir();
  if (platform === 'darwin') {
    return path.posix.join(home, 'Library', 'Application Support', APP_DIR);
  }
  // XDG says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  const configDir = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.config');
  return path.posix.join(configDir, APP_DIR);
}

export class UnsafeHomeError extends Error {
  constructor(
    readonly dir: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnsafeHomeError';
  }
}

/**
 * mkdir -p (0700), then refuse a home someone else could write to or owns — saying so in `t`'s
 * language (the patient's, where the caller knows it).
 */
export async function ensureHome(dir: string, t: Translate = translator('en')): Promise<void> {
  const unsafe = (problem: string) => new UnsafeHomeError(dir, t('HOME_UNSAFE', { dir, problem }));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await stat(dir);
  if (!info.isDirectory()) throw unsafe(t('HOME_NOT_DIRECTORY'));
  // Windows has no POSIX modes; the per-user %APPDATA% is already private there.
  if (process.platform === 'win32') return;
  if ((info.mode & 0o022) !== 0) throw unsafe(t('HOME_WRITABLE_BY_OTHERS'));
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw unsafe(t('HOME_OWNED_BY_OTHER', { uid: info.uid }));
  }
}

/** Creates a 0600 file that must not exist yet (EEXIST otherwise): no one can pre-plant it. */
export async function createSecretFile(file: string, data: string): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces a file atomically with 0600 content: readers see the old or the new version, never
 * half of one, and a crash leaves at worst a stray temp file.
 */
export async function writeSecretFile(file: string, data: string): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await createSecretFile(temp, data);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The file's text, or null when it does not exist. */
export async function readFileIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') return null;
    throw error;
  }
}

export function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
