import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
// confbox (bundled with wxt) is an independent YAML/TOML/JSONC parser: the oracle that our
// hand-written serialisation reads back as the clients will read it.
import { parseJSONC, parseTOML, parseYAML } from 'confbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setup } from '../../../relay/commands/setup';
import { silentLogger } from '../../../relay/logger';
import { CLIENT_IDS, type ClientId, OS_IDS, type OsId } from '../../../relay/setup/clients';

let root: string;
let userHome: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hospiai-setup-'));
  userHome = join(root, 'home');
  await mkdir(userHome);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function envFor(os: OsId): NodeJS.ProcessEnv {
  return os === 'windows'
    ? { USERPROFILE: userHome, APPDATA: join(userHome, 'AppData', 'Roaming') }
    : { HOME: userHome };
}

async function runSetup(args: string[], env: NodeJS.ProcessEnv = envFor('linux')) {
  let stdout = '';
  let stderr = '';
  const code = await setup({
    args,
    env,
    home: join(root, 'relay-home'),
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    logger: silentLogger,
    relaySource: { kind: 'registry', version: '0.1.0' },
  });
  return { code, stdout, stderr };
}

/** Where each client documents its file, written out independently of relay/setup/clients.ts. */
const EXPECTED_PATH: Record<ClientId, Record<OsId, string>> = {
  'claude-desktop': {
    macos: 'Library/Application Support/Claude/claude_desktop_config.json',
    windows: 'AppData/Roaming/Claude/claude_desktop_config.json',
    linux: '.config/Claude/claude_desktop_config.json',
  },
  'claude-code': { macos: '.claude.json', windows: '.claude.json', linux: '.claude.json' },
  cursor: { macos: '.cursor/mcp.json', windows: '.cursor/mcp.json', linux: '.cursor/mcp.json' },
  vscode: {
    macos: 'Library/Application Support/Code/User/mcp.json',
    windows: 'AppData/Roaming/Code/User/mcp.json',
    linux: '.config/Code/User/mcp.json',
  },
  windsurf: {
    macos: '.codeium/windsurf/mcp_config.json',
    windows: '.codeium/windsurf/mcp_config.json',
    linux: '.codeium/windsurf/mcp_config.json',
  },
  zed: {
    macos: '.config/zed/settings.json',
    windows: 'AppData/Roaming/Zed/settings.json',
    linux: '.config/zed/settings.json',
  },
  'mistral-vibe': {
    macos: '.vibe/config.toml',
    windows: '.vibe/config.toml',
    linux: '.vibe/config.toml',
  },
  goose: {
    macos: '.config/goose/config.yaml',
    windows: 'AppData/Roaming/Block/goose/config/config.yaml',
    linux: '.config/goose/config.yaml',
  },
  lmstudio: {
    macos: '.lmstudio/mcp.json',
    windows: '.lmstudio/mcp.json',
    linux: '.lmstudio/mcp.json',
  },
  continue: {
    macos: '.continue/config.yaml',
    windows: '.continue/config.yaml',
    linux: '.continue/config.yaml',
  },
  'gemini-cli': {
    macos: '.gemini/settings.json',
    windows: '.gemini/settings.json',
    linux: '.gemini/settings.json',
  },
  codex: {
    macos: '.codex/config.toml',
    windows: '.codex/config.toml',
    linux: '.codex/config.toml',
  },
};

const configFile = (client: ClientId, os: OsId) =>
  join(userHome, ...EXPECTED_PATH[client][os].split('/'));

function parseConfig(client: ClientId, text: string): Record<string, unknown> {
  if (client === 'goose' || client === 'continue') return parseYAML(text);
  if (client === 'mistral-vibe' || client === 'codex') return parseTOML(text);
  return client === 'vscode' || client === 'zed' || client === 'gemini-cli'
    ? parseJSONC(text)
    : JSON.parse(text);
}

interface Launch {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** The whole file a fresh setup must produce, per client. */
function expectedFile(client: ClientId, launch: Launch): Record<string, unknown> {
  const plain = {
    command: launch.command,
    args: launch.args,
    ...(launch.env ? { env: launch.env } : {}),
  };
  switch (client) {
    case 'claude-desktop':
    case 'cursor':
    case 'windsurf':
    case 'lmstudio':
    case 'gemini-cli':
      return { mcpServers: { hospiai: plain } };
    case 'codex':
      return { mcp_servers: { hospiai: plain } };
    case 'claude-code':
      return { mcpServers: { hospiai: { type: 'stdio', ...plain } } };
    case 'vscode':
      return { servers: { hospiai: { type: 'stdio', ...plain } } };
    case 'zed':
      return { context_servers: { hospiai: { source: 'custom', ...plain } } };
    case 'mistral-vibe':
      return { mcp_servers: [{ name: 'hospiai', transport: 'stdio', ...plain }] };
    case 'continue':
      return {
        name: 'Local Assistant',
        version: '1.0.0',
        schema: 'v1',
        mcpServers: [{ name: 'hospiai', type: 'stdio', ...plain }],
      };
    case 'goose':
      return {
        extensions: {
          hospiai: {
            name: 'hospiai',
            type: 'stdio',
            enabled: true,
            cmd: launch.command,
            args: launch.args,
            envs: launch.env ?? {},
            env_keys: [],
            timeout: 300,
            description: expect.stringContaining('HospiAI'),
          },
        },
      };
  }
}

const NPX: Launch = { command: 'npx', args: ['-y', 'hospiai-mcp@0.1.0'] };

describe('setup <client>: a fresh configuration for every client on every OS', () => {
  for (const os of OS_IDS) {
    for (const client of CLIENT_IDS) {
      it(`${client} on ${os}: writes the documented file with exactly our entry`, async () => {
        const { code, stdout } = await runSetup([client, '--os', os], envFor(os));
        expect(code).toBe(0);
        const file = configFile(client, os);
        expect(stdout).toContain(`Created ${file}`);
        const launch =
          client === 'claude-code' && os === 'windows'
            ? { command: 'cmd', args: ['/c', 'npx', '-y', 'hospiai-mcp@0.1.0'] }
            : NPX;
        expect(parseConfig(client, await readFile(file, 'utf8'))).toEqual(
          expectedFile(client, launch),
        );
      });
    }
  }

  it.each(CLIENT_IDS)(
    '%s: --portal sets HOSPIAI_URL and nothing else in the environment',
    async (client) => {
      await runSetup([client, '--portal', 'https://portal.example.fr']);
      const text = await readFile(configFile(client, 'linux'), 'utf8');
      const env = { HOSPIAI_URL: 'https://portal.example.fr' };
      expect(parseConfig(client, text)).toEqual(expectedFile(client, { ...NPX, env }));
      expect(text).not.toMatch(/TOKEN|Bearer|eyJ/i);
    },
  );

  it.each(CLIENT_IDS)(
    '%s: --command runs a local bundle with this Node, by absolute paths',
    async (client) => {
      const bundle = join(root, 'dist', 'hospiai-mcp.mjs');
      await mkdir(path.dirname(bundle));
      await writeFile(bundle, '// relay');
      await runSetup([client, '--command', bundle]);
      const text = await readFile(configFile(client, 'linux'), 'utf8');
      expect(parseConfig(client, text)).toEqual(
        expectedFile(client, { command: process.execPath, args: [bundle] }),
      );
    },
  );

  it('follows XDG_CONFIG_HOME on Linux for the clients that do', async () => {
    const xdg = join(root, 'xdg');
    await runSetup(['zed'], { HOME: userHome, XDG_CONFIG_HOME: xdg });
    expect(parseJSONC(await readFile(join(xdg, 'zed', 'settings.json'), 'utf8'))).toEqual(
      expectedFile('zed', NPX),
    );
  });
});

/** An existing file per client: another server and an unrelated setting, in its own style. */
function existingConfig(client: ClientId): string {
  switch (client) {
    case 'goose':
      return [
        '# goose settings',
        'GOOSE_PROVIDER: anthropic',
        'extensions:',
        '  developer:',
        '    bundled: true',
        '    enabled: true',
        '    name: developer',
        '    timeout: 300',
        '    type: builtin',
        'GOOSE_MODEL: claude-sonnet',
        '',
      ].join('\n');
    case 'continue':
      return [
        'name: My Assistant',
        'version: 0.0.1',
        'schema: v1',
        'models:',
        '  - name: Claude',
        '    provider: anthropic',
        'mcpServers:',
        '  - name: SQLite MCP',
        '    command: npx',
        '    args:',
        '      - "-y"',
        '      - "mcp-sqlite"',
        '',
      ].join('\n');
    case 'mistral-vibe':
      return [
        'active_model = "devstral"',
        '',
        '[[mcp_servers]]',
        'name = "fetch_server"',
        'transport = "stdio"',
        'command = "uvx"',
        'args = ["mcp-server-fetch"]',
        '',
        '[tools.fetch_server_get]',
        'permission = "always"',
        '',
      ].join('\n');
    case 'codex':
      return [
        'model = "gpt-5.5"',
        '',
        '[mcp_servers.docs]',
        'command = "docs-server" # local docs',
        '',
        '[mcp_servers.docs.env]',
        'DOCS_KEY = "k"',
        '',
        '[projects."/home/me/code"]',
        'trust_level = "trusted"',
        '',
      ].join('\n');
    default: {
      const container =
        client === 'vscode' ? 'servers' : client === 'zed' ? 'context_servers' : 'mcpServers';
      const comment =
        client === 'vscode' || client === 'zed' || client === 'gemini-cli'
          ? '  // kept as written\n'
          : '';
      return (
        `{\n${comment}  "${container}": {\n    "github": {\n      "command": "npx",\n` +
        `      "args": ["-y", "@modelcontextprotocol/server-github"],\n` +
        `      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_example" }\n    }\n  },\n` +
        `  "theme": "dark"\n}\n`
      );
    }
  }
}

/** Every original line is still there, in order (a JSON line may have gained its comma). */
function expectLinesKept(original: string, result: string) {
  const resultLines = result.split('\n');
  let cursor = 0;
  for (const line of original.split('\n')) {
    const found = resultLines.findIndex(
      (candidate, index) => index >= cursor && (candidate === line || candidate === `${line},`),
    );
    expect(found, `line kept: ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(0);
    cursor = found + 1;
  }
}

describe('setup <client>: an existing configuration', () => {
  it.each(CLIENT_IDS)('%s: keeps the other servers and settings, byte for byte', async (client) => {
    const file = configFile(client, 'linux');
    const original = existingConfig(client);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, original);

    const { code } = await runSetup([client]);
    expect(code).toBe(0);
    const result = await readFile(file, 'utf8');
    expectLinesKept(original, result);

    const before = parseConfig(client, original);
    const after = parseConfig(client, result);
    const ours = expectedFile(client, NPX);
    if (client === 'mistral-vibe') {
      expect(after).toEqual({
        ...before,
        mcp_servers: [...(before.mcp_servers as unknown[]), ...(ours.mcp_servers as unknown[])],
      });
    } else if (client === 'continue') {
      expect(after).toEqual({
        ...before,
        mcpServers: [...(before.mcpServers as unknown[]), ...(ours.mcpServers as unknown[])],
      });
    } else {
      const container = Object.keys(ours)[0]!;
      expect(after).toEqual({
        ...before,
        [container]: { ...(before[container] as object), ...(ours[container] as object) },
      });
    }
  });

  it.each(CLIENT_IDS)('%s: backs up the previous file and is idempotent', async (client) => {
    const file = configFile(client, 'linux');
    const original = existingConfig(client);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, original);

    const first = await runSetup([client]);
    const backups = (await readdir(path.dirname(file))).filter((name) =>
      name.includes('.hospiai-backup-'),
    );
    expect(backups).toHaveLength(1);
    const backup = join(path.dirname(file), backups[0]!);
    expect(backup).toMatch(/\.hospiai-backup-\d{8}T\d{6}Z$/);
    expect(first.stdout).toContain(`Backup of the previous file: ${backup}`);
    expect(await readFile(backup, 'utf8')).toBe(original);
    if (process.platform !== 'win32') expect((await stat(backup)).mode & 0o777).toBe(0o600);

    const written = await readFile(file, 'utf8');
    const second = await runSetup([client]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('nothing changed');
    expect(await readFile(file, 'utf8')).toBe(written);
    expect(
      (await readdir(path.dirname(file))).filter((name) => name.includes('.hospiai-backup-')),
    ).toHaveLength(1);
  });

  it.each(CLIENT_IDS)(
    '%s: with --force, replaces an older HospiAI entry instead of adding a second one',
    async (client) => {
      await runSetup([client, '--portal', 'https://old.example.fr']);
      expect((await runSetup([client])).code).toBe(1);
      expect((await runSetup([client, '--force'])).code).toBe(0);
      const text = await readFile(configFile(client, 'linux'), 'utf8');
      expect(parseConfig(client, text)).toEqual(expectedFile(client, NPX));
      expect(text).not.toContain('old.example.fr');
    },
  );

  it.skipIf(process.platform === 'win32')(
    'keeps the file mode and writes through a symbolic link',
    async () => {
      const dotfile = join(root, 'dotfiles', 'cursor-mcp.json');
      await mkdir(path.dirname(dotfile));
      await writeFile(dotfile, existingConfig('cursor'));
      await chmod(dotfile, 0o640);
      const link = configFile('cursor', 'linux');
      await mkdir(path.dirname(link));
      await symlink(dotfile, link);

      expect((await runSetup(['cursor'])).code).toBe(0);
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      expect((await stat(dotfile)).mode & 0o777).toBe(0o640);
      expect(JSON.parse(await readFile(dotfile, 'utf8')).mcpServers.hospiai).toEqual(NPX);
    },
  );

  it.each(['claude-desktop', 'cursor', 'lmstudio'] as const)(
    '%s: refuses a file that is not valid JSON and leaves it untouched',
    async (client) => {
      const file = configFile(client, 'linux');
      const broken = '{\n  // my servers\n  "mcpServers": {}\n}\n';
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, broken);
      const { code, stdout, stderr } = await runSetup([client]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(
        /it is not valid JSON: comments are not allowed in this file \(line 2, column 3\)/,
      );
      expect(stderr).toContain('Nothing was changed');
      expect(stderr).toContain('"hospiai"'); // the snippet to paste by hand
      expect(await readFile(file, 'utf8')).toBe(broken);
      expect(await readdir(path.dirname(file))).toEqual([path.basename(file)]);
    },
  );

  it('keeps comments of JSONC settings (Zed) and edits around them', async () => {
    const file = configFile('zed', 'linux');
    const original = [
      '// Zed settings',
      '//',
      '// For information on how to configure Zed, see the Zed docs.',
      '{',
      '  "theme": "One Dark", // my theme',
      '  "vim_mode": true,',
      '}',
      '',
    ].join('\n');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, original);
    expect((await runSetup(['zed'])).code).toBe(0);
    const result = await readFile(file, 'utf8');
    expect(result.startsWith('// Zed settings\n//\n// For information')).toBe(true);
    expect(result).toContain('"theme": "One Dark", // my theme');
    expect(parseJSONC(result)).toEqual({
      theme: 'One Dark',
      vim_mode: true,
      ...expectedFile('zed', NPX),
    });
  });

  it('never replaces a different hospiai entry without --force, and says what it found', async () => {
    const file = configFile('cursor', 'linux');
    await mkdir(path.dirname(file), { recursive: true });
    const handMade = `${JSON.stringify(
      { mcpServers: { hospiai: { command: '/opt/hospiai/relay', args: ['--stdio'] } } },
      null,
      2,
    )}\n`;
    await writeFile(file, handMade);
    const refused = await runSetup(['cursor']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('/opt/hospiai/relay');
    expect(refused.stderr).toContain('--force');
    expect(await readFile(file, 'utf8')).toBe(handMade);
    expect(await readdir(path.dirname(file))).toEqual(['mcp.json']);

    const forced = await runSetup(['cursor', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('/opt/hospiai/relay');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(expectedFile('cursor', NPX));

    const again = await runSetup(['cursor']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing changed');
  });

  it('warns when the replaced entry held an API token (the old design), and keeps it out of the config', async () => {
    const file = configFile('claude-desktop', 'macos');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(
      file,
      JSON.stringify({
        mcpServers: {
          hospiai: {
            command: 'fastmcp',
            args: ['run', 'hospiai_mcp'],
            env: { HOSPIAI_TOKEN: 'eyJhbGciOi.eyJzdWIiOiIx.c2ln' },
          },
        },
      }),
    );
    const refused = await runSetup(['claude-desktop', '--os', 'macos'], envFor('macos'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).not.toContain('eyJhbGciOi');
    const { code, stdout } = await runSetup(
      ['claude-desktop', '--os', 'macos', '--force'],
      envFor('macos'),
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/held an API token[\s\S]*delete that file[\s\S]*revoke/);
    expect(stdout).not.toContain('eyJhbGciOi');
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('HOSPIAI_TOKEN');
    expect(JSON.parse(text)).toEqual(expectedFile('claude-desktop', NPX));
  });
});

describe('setup --print, --list and mistakes', () => {
  it.each(CLIENT_IDS)('%s: --print shows the configuration and writes nothing', async (client) => {
    const { code, stdout } = await runSetup([
      client,
      '--print',
      '--portal',
      'https://portal.example.fr',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(configFile(client, 'linux'));
    expect(stdout).toContain('HOSPIAI_URL');
    expect(await readdir(userHome)).toEqual([]);
    expect(await readdir(root)).toEqual(['home']);
  });

  it('--print for Claude Code prefers its own command', async () => {
    const { stdout } = await runSetup([
      'claude-code',
      '--print',
      '--portal',
      'http://127.0.0.1:8787',
    ]);
    expect(stdout.split('\n').slice(0, 2)).toEqual([
      '# Claude Code: run',
      'claude mcp add --transport stdio --scope user --env HOSPIAI_URL=http://127.0.0.1:8787 hospiai -- npx -y hospiai-mcp@0.1.0',
    ]);
  });

  it('--list shows every client with its configuration path for the OS', async () => {
    const { code, stdout } = await runSetup(['--list', '--os', 'windows']);
    expect(code).toBe(0);
    for (const client of CLIENT_IDS) expect(stdout).toMatch(new RegExp(`^  ${client} `, 'm'));
    expect(stdout).toContain('%APPDATA%\\Claude\\claude_desktop_config.json');
    expect(stdout).toContain('%USERPROFILE%\\.cursor\\mcp.json');
  });

  it('an unknown client prints the list and exits 2', async () => {
    const { code, stdout, stderr } = await runSetup(['chatgpt']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Unknown AI assistant: chatgpt\. /);
    expect(stderr).toContain('claude-desktop');
  });

  it('--config-path overrides where the file is written', async () => {
    const file = join(root, 'elsewhere', 'mcp.json');
    expect((await runSetup(['cursor', '--config-path', file])).code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(expectedFile('cursor', NPX));
    expect(await readdir(userHome)).toEqual([]);
  });

  it.each([
    ['http://portal.example.fr', /https/],
    ['https://user:secret@portal.example.fr', /credentials/],
    ['https://portal.example.fr/?token=abc', /query/],
    ['not a url', /not a URL/],
  ])('refuses --portal %s', async (portal, message) => {
    const { code, stderr } = await runSetup(['cursor', '--portal', portal]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(await readdir(userHome)).toEqual([]);
  });

  it('refuses a --command that is not a file, and unknown options', async () => {
    expect(await runSetup(['cursor', '--command', join(root, 'missing.mjs')])).toMatchObject({
      code: 2,
    });
    expect(await runSetup(['cursor', '--forse'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Unknown option: --forse/),
    });
    expect(await runSetup(['cursor', '--os', 'beos'])).toMatchObject({ code: 2 });
    expect(await readdir(userHome)).toEqual([]);
  });

  it('says which variable is missing when it cannot tell where the file is', async () => {
    const { code, stderr } = await runSetup(['cursor', '--os', 'linux'], {});
    expect(code).toBe(2);
    expect(stderr).toMatch(/HOME is not set/);
  });
});
