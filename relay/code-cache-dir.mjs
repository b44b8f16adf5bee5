// Where the relay keeps its start-up code cache: the user's cache directory, never the install
// folder (a global install, the npx cache, an unpacked signed .mcpb may all be read-only, and
// must stay as installed). Plain JavaScript: the launcher imports it before any bundle loads.
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * `%LOCALAPPDATA%\hospiai-mcp\cache` on Windows, `~/Library/Caches/hospiai-mcp` on macOS,
 * `$XDG_CACHE_HOME/hospiai-mcp` (an absolute XDG_CACHE_HOME only, as the XDG spec says) or
 * `~/.cache/hospiai-mcp` elsewhere.
 */
export function codeCacheDir(env = process.env, platform = process.platform, home = homedir()) {
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA || path.win32.join(home, 'AppData', 'Local');
    return path.win32.join(local, 'hospiai-mcp', 'cache');
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Caches', 'hospiai-mcp');
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.cache');
  return path.posix.join(base, 'hospiai-mcp');
}
