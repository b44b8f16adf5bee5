import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module of the launcher (no declaration file)
import { codeCacheDir } from '../../../relay/code-cache-dir.mjs';

describe('where the relay keeps its code cache', () => {
  it('Linux and others: $XDG_CACHE_HOME/hospiai-mcp when absolute, else ~/.cache/hospiai-mcp', () => {
    expect(codeCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/p')).toBe('/xdg/hospiai-mcp');
    expect(codeCacheDir({}, 'linux', '/home/p')).toBe('/home/p/.cache/hospiai-mcp');
    // A relative XDG_CACHE_HOME is invalid per the XDG spec: ignored.
    expect(codeCacheDir({ XDG_CACHE_HOME: 'rel' }, 'freebsd', '/home/p')).toBe(
      '/home/p/.cache/hospiai-mcp',
    );
  });

  it('macOS: ~/Library/Caches/hospiai-mcp, whatever XDG says', () => {
    expect(codeCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'darwin', '/Users/p')).toBe(
      '/Users/p/Library/Caches/hospiai-mcp',
    );
  });

  it('Windows: %LOCALAPPDATA%\\hospiai-mcp\\cache', () => {
    expect(
      codeCacheDir({ LOCALAPPDATA: 'C:\\Users\\p\\AppData\\Local' }, 'win32', 'C:\\Users\\p'),
    ).toBe('C:\\Users\\p\\AppData\\Local\\hospiai-mcp\\cache');
    expect(codeCacheDir({}, 'win32', 'C:\\Users\\p')).toBe(
      'C:\\Users\\p\\AppData\\Local\\hospiai-mcp\\cache',
    );
  });
});
