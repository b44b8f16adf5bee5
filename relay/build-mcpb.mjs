// Packs the built relay as dist/hospiai-mcp.mcpb, the MCP Bundle Claude Desktop installs in one
// click: the launcher and the bundle under server/, a manifest whose tool list comes from the
// relay itself (tools/list of the built bundle, so it never drifts from the tool definitions),
// validated and packed by the official @anthropic-ai/mcpb CLI.
import { execFileSync, spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync, zipSync } from 'fflate';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
// `node relay/build-mcpb.mjs [OUT]`: dist/hospiai-mcp.mcpb unless told otherwise (tests).
const output = path.resolve(process.argv[2] ?? path.join(dist, 'hospiai-mcp.mcpb'));
const staging = `${output}.staging`;
const mcpbCli = path.join(root, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');

const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
const PRODUCTION_PORTAL_URL = 'https://hospi-ai-v8rf.vercel.app';

/** A substitution Claude Desktop makes in the manifest: `${__dirname}`, `${user_config.KEY}`. */
const variable = (name) => `\${${name}}`;

const tools = await listTools(path.join(dist, 'hospiai-mcp.mjs'));

const manifest = {
  manifest_version: '0.3',
  name: 'hospiai-mcp',
  display_name: 'HospiAI',
  version: pkg.version,
  description:
    'Your HospiAI hospital record in Claude: appointments, medical records, doctors and free slots; booking and cancelling only after you confirm.',
  long_description:
    'Works with the HospiAI browser extension: when you are logged into the HospiAI portal and say yes, the extension gives this server a short-lived access of its own, over a paired connection on this computer. The access never reaches the model, a log or a file. Then pair the extension with this server once; the extension’s popup says how.',
  author: { name: pkg.author },
  repository: { type: 'git', url: pkg.repository.url.replace(/^git\+/, '') },
  homepage: pkg.homepage,
  support: pkg.bugs.url,
  icon: 'icon.png',
  license: pkg.license,
  keywords: pkg.keywords,
  server: {
    type: 'node',
    entry_point: 'server/hospiai-mcp.mjs',
    mcp_config: {
      command: 'node',
      args: [`${variable('__dirname')}/server/hospiai-mcp.mjs`],
      env: {
        HOSPIAI_URL: variable('user_config.portal_url'),
        HOSPIAI_MCP_LANG: variable('user_config.language'),
        HOSPIAI_PAIRING_CODE: variable('user_config.pairing_code'),
      },
    },
  },
  tools: tools.map(({ name, description }) => ({ name, description })),
  tools_generated: false,
  // The server sends the patient's requests to the HospiAI portal and returns health data.
  privacy_policies: [`${pkg.homepage.replace(/#.*$/, '')}#privacy`],
  compatibility: {
    platforms: ['darwin', 'win32', 'linux'],
    runtimes: { node: pkg.engines.node },
  },
  user_config: {
    portal_url: {
      type: 'string',
      title: 'HospiAI portal address',
      description: `The HospiAI portal you log into (https://; http:// only for this computer). Leave it as is for ${PRODUCTION_PORTAL_URL}.`,
      default: PRODUCTION_PORTAL_URL,
      required: false,
    },
    language: {
      type: 'string',
      title: 'Language (fr or en)',
      description: 'Language of the messages the server writes: fr (français) or en (English).',
      default: 'fr',
      required: false,
    },
    // Pairing with no terminal: the one-time code the extension's window shows (used once). It
    // pairs nothing by itself: the patient then compares the check value the extension shows
    // with the one Claude shows on its first HospiAI answer, and confirms in the extension.
    pairing_code: {
      type: 'string',
      title: 'Code from the HospiAI extension (optional)',
      description:
        'In your browser, open the HospiAI extension, choose “Show a code” under “Connect your assistant”, and type the code here (like K7QM-2XD9). Then ask Claude anything about HospiAI: it shows a check value, which you compare with the one in the extension before confirming there. You can also leave it empty: Claude will then be told how to connect.',
      default: '',
      sensitive: true,
      required: false,
    },
  },
};

await rm(staging, { recursive: true, force: true });
await mkdir(path.join(staging, 'server'), { recursive: true });
await copyFile(path.join(dist, 'hospiai-mcp.mjs'), path.join(staging, 'server', 'hospiai-mcp.mjs'));
await copyFile(path.join(dist, 'relay.cjs'), path.join(staging, 'server', 'relay.cjs'));
await copyFile(
  path.join(root, 'extension', 'public', 'icon', '128.png'),
  path.join(staging, 'icon.png'),
);
await writeFile(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const cli = (...args) =>
  execFileSync(process.execPath, [mcpbCli, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
cli('validate', path.join(staging, 'manifest.json'));
await rm(output, { force: true });
cli('pack', staging, output);
await repackReproducibly(output, staging);
await rm(staging, { recursive: true, force: true });
process.stdout.write(`${path.relative(root, output)}: ${tools.length} tools\n`);

/**
 * `mcpb pack` stamps every entry with the time of packing; the extension ships this file and
 * Firefox's reviewers rebuild the add-on from its sources byte for byte, so the same sources must
 * give the same bundle. Same entries, order, compression and Unix modes, one fixed time (local
 * midnight: a ZIP's DOS time is local, so every time zone writes the same bytes).
 */
async function repackReproducibly(file, from) {
  const entries = unzipSync(new Uint8Array(await readFile(file)));
  const files = {};
  for (const [name, data] of Object.entries(entries)) {
    if (name.endsWith('/')) continue;
    const { mode } = await stat(path.join(from, name));
    files[name] = [data, { os: 3, attrs: (mode & 0o777) << 16 }];
  }
  await writeFile(file, zipSync(files, { level: 9, mtime: new Date(2026, 0, 1) }));
}

/** The relay's own tools/list: names and descriptions as clients see them. */
function listTools(bin) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin], {
      env: {
        PATH: process.env.PATH,
        HOSPIAI_MCP_PORTS: '0',
        HOSPIAI_MCP_HOME: path.join(dist, '.mcpb-home'),
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let buffer = '';
    const send = (message) =>
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
    child.stdout.on('data', (chunk) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n').slice(0, -1)) {
        const message = JSON.parse(line);
        if (message.id === 1) {
          send({ method: 'notifications/initialized' });
          send({ id: 2, method: 'tools/list', params: {} });
        } else if (message.id === 2) {
          child.stdin.end();
          resolve(message.result.tools);
        }
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    });
    child.on('exit', () => rm(path.join(dist, '.mcpb-home'), { recursive: true, force: true }));
    child.on('error', reject);
    send({
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'build', version: '1' },
      },
    });
  });
}
