/**
 * Where a client's configuration file is on this machine. The user directories come from the
 * environment given (HOME / USERPROFILE / APPDATA / XDG_CONFIG_HOME), so tests point them at a
 * temporary directory; paths are joined for the host, since that is where the file is written.
 */
import path from 'node:path';
import type { ClientSpec, OsId } from './clients';

export function hostOs(platform: NodeJS.Platform = process.platform): OsId {
  if (platform === 'darwin') return 'macos';
  if (platform === 'win32') return 'windows';
  return 'linux';
}

export class MissingHomeError extends Error {
  constructor(variable: string) {
    super(
      `${variable} is not set: cannot tell where the client's configuration is (use --config-path)`,
    );
    this.name = 'MissingHomeError';
  }
}

export function resolveConfigPath(client: ClientSpec, os: OsId, env: NodeJS.ProcessEnv): string {
  const { base, segments } = client.paths[os];
  return path.join(baseDirectory(base, os, env), ...segments);
}

function baseDirectory(
  base: ClientSpec['paths'][OsId]['base'],
  os: OsId,
  env: NodeJS.ProcessEnv,
): string {
  if (os === 'windows') {
    const home = env.USERPROFILE || env.HOME;
    if (base === 'appData') {
      if (env.APPDATA) return env.APPDATA;
      if (!home) throw new MissingHomeError('APPDATA');
      return path.join(home, 'AppData', 'Roaming');
    }
    if (!home) throw new MissingHomeError('USERPROFILE');
    return home;
  }
  const home = env.HOME;
  if (!home) throw new MissingHomeError('HOME');
  if (base !== 'xdgConfig') return home;
  // Linux apps follow XDG (a relative XDG_CONFIG_HOME is invalid and ignored); macOS ones
  // documented here use ~/.config as is.
  const xdg = env.XDG_CONFIG_HOME;
  if (os === 'linux' && xdg && path.isAbsolute(xdg)) return xdg;
  return path.join(home, '.config');
}
