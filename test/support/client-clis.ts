/**
 * Real AI client CLIs from npm, pinned, installed once into `.ci/cache/clients/` (git-ignored,
 * kept between runs as `.ci/run` keeps its Node versions) and installed there by the test itself
 * when the cache is missing. The install goes to a temporary folder renamed into place, so a
 * cut-off install is never taken for a finished one.
 */
import { execFile } from 'node:child_process';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ClientCli {
  /** The npm package and its exact version. */
  pkg: string;
  version: string;
  /** The bin it installs. */
  bin: string;
  /** A script of the package to run after the install (which runs none), relative to it. */
  postinstall?: string;
}

/** The versions these tests pin (all run on Node 20). */
export const GEMINI_CLI: ClientCli = {
  pkg: '@google/gemini-cli',
  version: '0.61.0',
  bin: 'gemini',
};
export const CODEX_CLI: ClientCli = { pkg: '@openai/codex', version: '0.171.0', bin: 'codex' };
/** Its npm package is a native binary (engines says Node ≥ 22, for its installer only), linked
 * into place by its own install.cjs, which needs no network. */
export const CLAUDE_CODE: ClientCli = {
  pkg: '@anthropic-ai/claude-code',
  version: '2.1.332',
  bin: 'claude',
  postinstall: 'install.cjs',
};

/** The absolute path of the CLI's bin, installing it into the cache first if needed. */
export async function installedCli(cli: ClientCli): Promise<string> {
  const dir = path.join(
    root,
    '.ci',
    'cache',
    'clients',
    `${cli.pkg.replace(/^@/, '').replace('/', '+')}@${cli.version}`,
  );
  const bin = path.join(dir, 'node_modules', '.bin', cli.bin);
  if (await exists(bin)) return bin;
  const temp = `${dir}.installing-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  // --ignore-scripts: no CLI needs its optional native builds (keychain, pty) to list servers.
  await run(
    'npm',
    [
      'install',
      '--prefix',
      temp,
      '--no-audit',
      '--no-fund',
      '--no-save',
      '--ignore-scripts',
      `${cli.pkg}@${cli.version}`,
    ],
    { cwd: root, env: { ...process.env, npm_config_update_notifier: 'false' } },
  );
  if (cli.postinstall) {
    const pkgDir = path.join(temp, 'node_modules', ...cli.pkg.split('/'));
    await run(process.execPath, [path.join(pkgDir, cli.postinstall)], { cwd: pkgDir });
  }
  await rename(temp, dir).catch(async (error: NodeJS.ErrnoException) => {
    // Another run installed it meanwhile: keep theirs.
    await rm(temp, { recursive: true, force: true });
    if (!(await exists(bin))) throw error;
  });
  return bin;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
