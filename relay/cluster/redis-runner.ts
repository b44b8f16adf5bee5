/**
 * Debian's redis-server for `npm run cluster --redis` and the tests: one process on a free
 * loopback port, nothing written to disk (no RDB, no AOF), stopped with the cluster. The
 * replicas share it as their state store (`serve --state-store`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './free-port';

export const REDIS_BIN = '/usr/bin/redis-server';

export interface RunningRedis {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startRedis(dir: string): Promise<RunningRedis> {
  if (!existsSync(REDIS_BIN))
    throw new Error(
      `${REDIS_BIN} is missing: install Debian's Redis (sudo apt-get install -y redis-server).`,
    );
  const port = await freePort();
  const child = spawn(
    REDIS_BIN,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start:\n${output.join('')}`)),
      10_000,
    );
    const ready = () => {
      if (/Ready to accept connections/.test(output.join(''))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', ready);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}):\n${output.join('')}`));
    });
  });
  return {
    url: `redis://127.0.0.1:${port}/0`,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
