/**
 * The shipped nginx config and the replicas behind it against a flood of idle and half-sent
 * connections from one client address (loopback only; a bounded count, opened in about a
 * second): patients' requests keep being answered, nginx never runs out of connections, and the
 * flood is gone within the header timeout. One nginx worker, as `npm run cluster` runs it in
 * tests: the config this replaced held 4096 connections per worker.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, NGINX_BIN, startCluster } from '../../relay/cluster/cluster-runner';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import { connectRemoteClient, startRemoteServer } from '../support/remote-server';

const FLOOD = 6_000;
const hasNginx = existsSync(NGINX_BIN);

/** Opens `count` connections to `port` in batches: every other one sends half a request. */
async function flood(port: number, count: number): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  for (let opened = 0; opened < count; opened += 250) {
    const batch = Array.from({ length: Math.min(250, count - opened) }, (_, i) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.on('error', () => {});
      // Read what the server sends, as any client does: a connection ended after a 408 (Node's
      // own header check, racing our deadline) only shows as closed once its bytes are read.
      socket.resume();
      sockets.push(socket);
      return new Promise<void>((resolve) => {
        socket.once('connect', () => {
          if ((opened + i) % 2 === 1)
            socket.write(`GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
          resolve();
        });
        socket.once('close', () => resolve());
      });
    });
    await Promise.all(batch);
  }
  return sockets;
}

describe.skipIf(!hasNginx)('nginx and its replicas against a flood of idle connections', () => {
  let portal: SandboxPortal;
  let cluster: Cluster;

  beforeAll(async () => {
    portal = await startSandboxPortal();
    cluster = await startCluster({ replicas: 2, port: 0, portalUrl: portal.url, workers: 1 });
  });
  afterAll(async () => {
    await cluster?.stop();
    await portal?.close();
  });

  it('keeps answering patients while one address holds thousands of idle or half-sent connections, and drops them', async () => {
    const { token } = await portal.issueToken({
      email: DEMO_PATIENTS[0]!.email,
      scopes: ['read:data'],
    });
    const port = Number(new URL(cluster.publicUrl).port);
    const started = Date.now();
    const sockets = await flood(port, FLOOD);
    const openedMs = Date.now() - started;
    try {
      const open = () => sockets.filter((s) => !s.destroyed && s.readyState === 'open').length;
      // Held, not refused: nginx has room for them.
      expect(open()).toBeGreaterThan(FLOOD * 0.9);

      const patient = await connectRemoteClient({ url: cluster.publicUrl, token });
      try {
        const answer = await patient.call('get_appointments', { limit: 1 });
        expect(answer.isError, JSON.stringify(answer.content)).toBeFalsy();
      } finally {
        await patient.close();
      }

      // The header timeout (5 s) ends them, idle and half-sent alike, without the client.
      await expect.poll(open, { timeout: 15_000, interval: 500 }).toBe(0);
      const log = await readFile(path.join(cluster.prefix, 'error.log'), 'utf8').catch(() => '');
      expect(log).not.toMatch(/worker_connections are not enough/);
      console.info(`flood: ${FLOOD} connections opened in ${openedMs} ms, all dropped by nginx`);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });
});

describe('a replica on its own', () => {
  it('holds at most --max-connections, and drops a half-sent request at its 5 s header deadline', async () => {
    const portal = await startSandboxPortal();
    const replica = await startRemoteServer({
      portalUrl: portal.url,
      args: ['--max-connections', '20'],
    });
    const port = Number(new URL(replica.localUrl).port);
    const sockets = await flood(port, 40);
    try {
      const open = () => sockets.filter((s) => !s.destroyed && s.readyState === 'open').length;
      // Past the cap, connections are closed as they arrive.
      await expect.poll(open, { timeout: 5_000 }).toBeLessThanOrEqual(20);
      // The rest (idle or half-sent) are gone at the header deadline, checked every second.
      await expect.poll(open, { timeout: 12_000, interval: 250 }).toBe(0);
      const health = await fetch(`${replica.localUrl}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      for (const socket of sockets) socket.destroy();
      await replica.stop();
      await portal.close();
    }
  });
});
