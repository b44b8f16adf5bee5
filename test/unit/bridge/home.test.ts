import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createSecretFile,
  ensureHome,
  readFileIfExists,
  resolveHome,
  UnsafeHomeError,
  writeSecretFile,
} from '../../../relay/home';
import { tempHome } from './bridge-fixture';

describe('resolveHome', () => {
  it('prefers HOSPIAI_MCP_HOME on every OS', () => {
    expect(resolveHome({ HOSPIAI_MCP_HOME: '/tmp/relay-a', HOME: '/home/ada' }, 'linux')).toBe(
      '/tmp/relay-a',
    );
  });

  it('uses XDG_CONFIG_HOME, else ~/.config, on Linux', () => {
    expect(resolveHome({ HOME: '/home/ada', XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe(
      '/cfg/hospiai-mcp',
    );
    expect(resolveHome({ HOME: '/home/ada' }, 'linux')).toBe('/home/ada/.config/hospiai-mcp');
    // A relative XDG_CONFIG_HOME is invalid per the XDG spec and ignored.
    expect(resolveHome({ HOME: '/home/ada', XDG_CONFIG_HOME: 'cfg' }, 'linux')).toBe(
      '/home/ada/.config/hospiai-mcp',
    );
  });

  it('uses Application Support on macOS and %APPDATA% on Windows', () => {
    expect(resolveHome({ HOME: '/Users/ada' }, 'darwin')).toBe(
      '/Users/ada/Library/Application Support/hospiai-mcp',
    );
    expect(resolveHome({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32')).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\hospiai-mcp',
    );
  });
});

describe('ensureHome', () => {
  it('creates the home 0700, parents included', async () => {
    const base = await tempHome();
    const home = path.join(base, 'a', 'b');
    await ensureHome(home);
    expect((await stat(home)).mode & 0o777).toBe(0o700);
  });

  it('refuses a home other users can write to', async () => {
    const home = await tempHome();
    await chmod(home, 0o777);
    await expect(ensureHome(home)).rejects.toThrow(UnsafeHomeError);
    await expect(ensureHome(home)).rejects.toThrow(/writable by other users.*chmod 700/);
  });

  it('accepts an existing home that others can read but not write', async () => {
    const home = await tempHome();
    await chmod(home, 0o755);
    await expect(ensureHome(home)).resolves.toBeUndefined();
  });

  it('refuses a path that is a file', async () => {
    const base = await tempHome();
    const file = path.join(base, 'not-a-dir');
    await writeFile(file, '');
    await expect(ensureHome(file)).rejects.toThrow();
  });
});

describe('secret files', () => {
  it('are created 0600, exclusively: an existing file is never overwritten', async () => {
    const home = await tempHome();
    const file = path.join(home, 'secret.json');
    await createSecretFile(file, 'one');

    await expect(createSecretFile(file, 'two')).rejects.toThrow(/EEXIST/);
    expect(await readFile(file, 'utf8')).toBe('one');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('are replaced atomically, staying 0600, even over a file that was 0644', async () => {
    const home = await tempHome();
    const file = path.join(home, 'secret.json');
    await writeFile(file, 'old', { mode: 0o644 });

    await writeSecretFile(file, 'new');

    expect(await readFile(file, 'utf8')).toBe('new');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('read as null when missing', async () => {
    const home = await tempHome();
    expect(await readFileIfExists(path.join(home, 'missing'))).toBeNull();
    await mkdir(path.join(home, 'dir'));
    await expect(readFileIfExists(path.join(home, 'dir'))).rejects.toThrow(/EISDIR/);
  });
});
