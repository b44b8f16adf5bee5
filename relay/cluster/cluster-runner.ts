/**
 * Runs N `hospiai-mcp serve --http` replicas (the built bundle) behind Debian's nginx, as the
 * current user, with the config rendered from nginx.conf.template into a temporary prefix.
 * Used by `npm run cluster`, the cluster test and the remote benchmark. No home-made balancer:
 * nginx routes sessions by the replica id their Mcp-Session-Id starts with.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port';
import { renderNginxConfig } from './nginx-config';
import { type RunningRedis, startRedis } from './redis-runner';

export const NGINX_BIN = '/usr/sbin/nginx';
export const RELAY_BIN = fileURLToPath(new URL('../../dist/hospiai-mcp.mjs', import.meta.url));

export interface Replica {
  id: string;
  port: number;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

export interface ClusterOptions {
  replicas: number;
  /** nginx's port on 127.0.0.1; 0 = any free port. */
  port: number;
  portalUrl: string;
  /** Extra `serve --http` arguments for every replica. */
  replicaArgs?: string[];
  env?: Record<string, string>;
  workers?: number | 'auto';
  /**
   * The replicas share their sign-ins and spent confirmation states through a Redis of their
   * own (redis-runner.ts): a replica's fail-over then keeps every assistant signed in.
   */
  redis?: boolean;
}

export interface Cluster {
  /** The MCP endpoint through nginx. */
  publicUrl: string;
  replicas: Replica[];
  nginx: ChildProcess;
  prefix: string;
  /** The Redis the replicas share (with `redis: true`). */
  redis: RunningRedis | null;
  /** Starts one more replica with this id (after a kill) and reloads nothing: ids are fixed. */
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  // One key for every replica: a 2026-07-28 call asked a question by one replica may come back,
  // answered, to another (no session pins it), which must recognise the state it carries.
  options = {
    ...options,
    env: { HOSPIAI_MCP_REQUEST_STATE_KEY: randomBytes(32).toString('hex'), ...options.env },
  };
  if (!existsSync(NGINX_BIN))
    throw new Error(
      `${NGINX_BIN} is missing: install Debian's nginx (sudo apt-get install -y nginx).`,
    );
  if (!existsSync(RELAY_BIN))
    throw new Error('dist/hospiai-mcp.mjs is missing: run `npm run build:relay` first.');
  const port = options.port || (await freePort());
  const publicUrl = `http://127.0.0.1:${port}/mcp`;
  const prefix = await mkdtemp(path.join(tmpdir(), 'hospiai-cluster-'));
  const replicas: Replica[] = [];
  let nginx: ChildProcess | null = null;
  let redis: RunningRedis | null = null;
  const stop = async () => {
    const exits: Promise<unknown>[] = [];
    if (nginx && nginx.exitCode === null) {
      exits.push(new Promise((resolve) => nginx?.once('exit', resolve)));
      nginx.kill('SIGQUIT');
    }
    for (const replica of replicas) {
      if (replica.child.exitCode === null && replica.child.signalCode === null)
        replica.child.kill('SIGTERM');
      exits.push(replica.exited);
    }
    await Promise.all(exits);
    await redis?.stop();
    await rm(prefix, { recursive: true, force: true });
  };
  try {
    if (options.redis) {
      redis = await startRedis(prefix);
      options = {
        ...options,
        env: {
          HOSPIAI_MCP_STATE_STORE: redis.url,
          HOSPIAI_MCP_SEAL_KEY: randomBytes(32).toString('hex'),
          ...options.env,
        },
      };
    }
    const started = await Promise.all(
      Array.from({ length: options.replicas }, (_, i) =>
        startReplica(`r${i}`, publicUrl, port, options),
      ),
    );
    replicas.push(...started);
    for (const dir of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
      await mkdir(path.join(prefix, dir));
    const conf = path.join(prefix, 'nginx.conf');
    await writeFile(
      conf,
      renderNginxConfig({
        prefix,
        listen: `127.0.0.1:${port}`,
        replicas: replicas.map((r) => ({ id: r.id, host: '127.0.0.1', port: r.port })),
        workers: options.workers ?? 1,
        foreground: true,
        sharedSignIns: options.redis === true,
      }),
    );
    const errors: string[] = [];
    nginx = spawn(NGINX_BIN, ['-c', conf, '-p', prefix, '-e', path.join(prefix, 'error.log')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    nginx.stderr?.on('data', (chunk: Buffer) => errors.push(chunk.toString('utf8')));
    await waitUntilServing(`http://127.0.0.1:${port}/healthz`, nginx, errors);
    return { publicUrl, replicas, nginx, prefix, redis, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function startReplica(
  id: string,
  publicUrl: string,
  port: number,
  options: ClusterOptions,
): Promise<Replica> {
  const output: string[] = [];
  const child = spawn(
    process.execPath,
    [
      RELAY_BIN,
      'serve',
      '--http',
      '--port',
      '0',
      '--replica-id',
      id,
      '--public-url',
      publicUrl,
      '--allowed-hosts',
      `localhost:${port}`,
      ...(options.replicaArgs ?? []),
    ],
    {
      env: { PATH: process.env.PATH ?? '', HOSPIAI_URL: options.portalUrl, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`replica ${id} did not start:\n${output.join('')}`)),
      20_000,
    );
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ id, port: Number(match[1]), child, output, exited });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`replica ${id} exited (${code}):\n${output.join('')}`));
    });
  });
}

async function waitUntilServing(url: string, nginx: ChildProcess, errors: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (nginx.exitCode !== null)
      throw new Error(`nginx exited (${nginx.exitCode}): ${errors.join('')}`);
    try {
      const answer = await fetch(url);
      if (answer.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not answer on ${url}: ${errors.join('')}`);
}
