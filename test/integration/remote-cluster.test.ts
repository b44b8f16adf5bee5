/**
 * Scale-out on real parts: Debian's nginx in front of three `serve --http` replicas (the built
 * relay), the sandbox portal behind them. Sessions are routed to the replica that holds them —
 * a booking's elicitation answer comes back to the replica that asked — and killing a replica
 * loses no call that had not already started.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as StreamableHTTPClientTransportV2,
} from '@modelcontextprotocol/client';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { type Cluster, NGINX_BIN, startCluster } from '../../relay/cluster/cluster-runner';
import { REDIS_BIN } from '../../relay/cluster/redis-runner';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import {
  answerConsent,
  connectSignedIn,
  openConfirmation,
  pressOnConfirmation,
  ScriptedOAuthClient,
  startSignIn,
} from '../support/oauth-patient';
import { bearer, INITIALIZE, initializeStatus, rawRequest } from '../support/remote-http';
import { connectRemoteClient } from '../support/remote-server';

const CLUSTER_CLI = fileURLToPath(new URL('../../relay/cluster/cluster-cli.ts', import.meta.url));

const hasNginx = existsSync(NGINX_BIN);
if (!hasNginx) {
  console.warn(
    `remote-cluster tests skipped: ${NGINX_BIN} is missing (sudo apt-get install -y nginx).`,
  );
}
const SCOPES = ['read:data', 'book:appointments'];

describe.skipIf(!hasNginx)('nginx + 3 replicas of serve --http', () => {
  let portal: SandboxPortal;
  let cluster: Cluster;

  beforeAll(async () => {
    portal = await startSandboxPortal();
    cluster = await startCluster({
      replicas: 3,
      port: 0,
      portalUrl: portal.url,
      env: { HOSPIAI_MCP_CONFIRM_TIMEOUT_MS: '15000' },
      // The run of reads is one patient as fast as the machine goes: what is measured here is
      // the fail-over, not the per-patient budget (remote-http.test.ts tests that).
      replicaArgs: ['--rate-limit', '1000/500'],
    });
  });
  afterAll(async () => {
    await cluster?.stop();
    await portal?.close();
  });

  const replicaOf = (sessionId: string | undefined) => sessionId?.split('.')[0];

  it('spreads new sessions over the replicas and books through elicitation on the replica that asked', async () => {
    const { token } = await portal.issueToken({ email: DEMO_PATIENTS[0]!.email, scopes: SCOPES });
    const sessions = await Promise.all(
      Array.from({ length: 6 }, () => connectRemoteClient({ url: cluster.publicUrl, token })),
    );
    const used = new Set(sessions.map((s) => replicaOf(s.transport.sessionId)));
    await Promise.all(sessions.map((s) => s.close()));
    expect(used.size).toBeGreaterThanOrEqual(2);

    const remote = await connectRemoteClient({
      url: cluster.publicUrl,
      token,
      name: 'cluster-booking',
      capabilities: { capabilities: { elicitation: { form: {} } } },
    });
    const asked: string[] = [];
    remote.client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { confirm: true } };
    });
    try {
      const doctors = await remote.call('find_doctors', { name: 'Martin' });
      const doctorId = (doctors.structuredContent as { doctors: { id: string }[] }).doctors[0]!.id;
      const from = new Date(Date.now() + 12 * 86_400_000).toISOString().slice(0, 10);
      const slots = await remote.call('get_available_slots', { doctorId, date: from, days: 7 });
      const slot = (slots.structuredContent as { slots: { date: string; time: string }[] })
        .slots[0]!;
      const booked = await remote.call('book_appointment', {
        doctorId,
        ...slot,
        reason: 'Suivi annuel',
      });
      expect(booked.isError, JSON.stringify(booked.content)).toBeFalsy();
      expect(asked).toHaveLength(1);
      const holder = cluster.replicas.find((r) => r.id === replicaOf(remote.transport.sessionId))!;
      // The replica that holds the session asked, got the answer, and booked.
      expect(holder.output.join('')).toMatch(/"tool":"book_appointment"[^\n]*"outcome":"ok"/);
      for (const other of cluster.replicas.filter((r) => r !== holder)) {
        expect(other.output.join('')).not.toMatch(/"tool":"book_appointment"/);
      }
    } finally {
      await remote.close();
    }
  });

  it('books on the 2026-07-28 protocol through nginx: the answered call may come back to any replica', async () => {
    const { token } = await portal.issueToken({ email: DEMO_PATIENTS[1]!.email, scopes: SCOPES });
    const client = new ClientV2(
      { name: 'cluster-modern', version: '1.0.0' },
      { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: 'auto' } },
    );
    let asked = 0;
    client.setRequestHandler('elicitation/create', async () => {
      asked++;
      return { action: 'accept', content: { confirm: true } };
    });
    await client.connect(
      new StreamableHTTPClientTransportV2(new URL(cluster.publicUrl), {
        requestInit: { headers: bearer(token) },
      }),
    );
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      await client.listTools();
      const doctors = await client.callTool({
        name: 'find_doctors',
        arguments: { name: 'Martin' },
      });
      const doctorId = (doctors.structuredContent as { doctors: { id: string }[] }).doctors[0]!.id;
      const from = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
      const slots = await client.callTool({
        name: 'get_available_slots',
        arguments: { doctorId, date: from, days: 7 },
      });
      const free = (slots.structuredContent as { slots: { date: string; time: string }[] }).slots;
      // Several bookings, each asked on one request and done on the next: with no session, nginx
      // spreads them, so the signed state must hold on whichever replica the answer reaches.
      for (const slot of free.slice(0, 4)) {
        const booked = await client.callTool({
          name: 'book_appointment',
          arguments: { doctorId, ...slot, reason: 'Suivi annuel' },
        });
        expect(booked.isError, JSON.stringify(booked.content)).toBeFalsy();
      }
      expect(asked).toBe(4);
      const logs = cluster.replicas.map((r) => r.output.join(''));
      const askedOn = logs.filter((log) =>
        /"tool":"book_appointment"[^\n]*"outcome":"input_required"/.test(log),
      );
      const bookedOn = logs.filter((log) =>
        /"tool":"book_appointment"[^\n]*"outcome":"ok"/.test(log),
      );
      expect(new Set([...askedOn, ...bookedOn]).size).toBeGreaterThanOrEqual(2);
    } finally {
      await client.close();
    }
  });

  it('signs in with OAuth through nginx: the sign-in routes and signed-in sessions reach the replica holding the grants', async () => {
    const provider = new ScriptedOAuthClient('Cluster assistant');
    const { transport, authorizationUrl } = await startSignIn(cluster.publicUrl, provider);
    expect(authorizationUrl.origin).toBe(new URL(cluster.publicUrl).origin);
    const { token } = await portal.issueToken({ email: DEMO_PATIENTS[0]!.email, scopes: SCOPES });
    const consent = await answerConsent(authorizationUrl, { portalToken: token });
    await transport.finishAuth(consent.location?.searchParams.get('code') as string);
    const sessions = await Promise.all(
      Array.from({ length: 4 }, () => connectSignedIn(cluster.publicUrl, provider)),
    );
    try {
      const used = new Set(sessions.map((s) => replicaOf(s.transport.sessionId)));
      expect([...used]).toEqual([cluster.replicas[0]?.id]);
      const read = await sessions[0]!.client.callTool({ name: 'get_appointments', arguments: {} });
      expect(read.isError).toBeFalsy();
    } finally {
      await Promise.all(sessions.map((s) => s.client.close()));
    }
  });

  it('killing a replica during a run of reads loses no call that had not already started', {
    timeout: 60_000,
  }, async () => {
    const patients = await Promise.all(
      DEMO_PATIENTS.flatMap((p) => [p, p, p]).map((p) =>
        portal.issueToken({ email: p.email, scopes: SCOPES }),
      ),
    );
    const clients = await Promise.all(
      patients.map(({ token }) => connectRemoteClient({ url: cluster.publicUrl, token })),
    );
    const victim = cluster.replicas.find((r) =>
      clients.some((c) => replicaOf(c.transport.sessionId) === r.id),
    )!;
    const outcomes: Array<{ started: number; ended: number; ok: boolean; error?: string }> = [];
    let killedAt = Number.POSITIVE_INFINITY;
    // Counted, not timed: the reads go on until enough of them started after the kill (a loaded
    // machine makes fewer calls per second, never fewer calls).
    const CALLS_AFTER_KILL = 24;
    const startedAfterKill = () => outcomes.filter((o) => o.started > killedAt).length;
    const giveUpAt = Date.now() + 40_000;
    const loops = clients.map(async (client) => {
      while (startedAfterKill() < CALLS_AFTER_KILL && Date.now() < giveUpAt) {
        const started = performance.now();
        try {
          // A call cut off by the kill never gets its answer: the client gives up after 10 s
          // (generous: a loaded CI machine must not pass a slow call off as a lost one).
          const result = await client.call('get_appointments', { limit: 5 }, 10_000);
          outcomes.push({ started, ended: performance.now(), ok: !result.isError });
        } catch (error) {
          outcomes.push({
            started,
            ended: performance.now(),
            ok: false,
            error: (error as Error).message,
          });
        }
      }
    });
    // Killed once every client has had answers: calls are flowing through every replica.
    while (outcomes.filter((o) => o.ok).length < 2 * clients.length && Date.now() < giveUpAt) {
      await new Promise((r) => setTimeout(r, 20));
    }
    killedAt = performance.now();
    victim.child.kill('SIGKILL');
    await Promise.all(loops);
    await Promise.all(clients.map((c) => c.close().catch(() => {})));

    const after = outcomes.filter((o) => o.started > killedAt);
    const lost = after.filter((o) => !o.ok);
    expect(after.length).toBeGreaterThan(20);
    expect(lost, JSON.stringify(lost.slice(0, 3))).toEqual([]);
    expect(outcomes.filter((o) => o.ok && o.started <= killedAt).length).toBeGreaterThan(0);
    // Calls the victim was already running when it died may fail; nothing else did.
    const failed = outcomes.filter((o) => !o.ok);
    for (const call of failed) expect(call.started).toBeLessThanOrEqual(killedAt);
    expect(await victim.exited).toBeNull();
  });
});

const hasRedis = existsSync(REDIS_BIN);
describe.skipIf(!hasNginx || !hasRedis)('nginx + 2 replicas sharing sign-ins through Redis', () => {
  let portal: SandboxPortal;
  let cluster: Cluster;

  beforeAll(async () => {
    portal = await startSandboxPortal();
    cluster = await startCluster({ replicas: 2, port: 0, portalUrl: portal.url, redis: true });
  });
  afterAll(async () => {
    await cluster?.stop();
    await portal?.close();
  });

  /** An assistant signed in through nginx with a pasted token (the SDK's OAuth client). */
  const signInWithCookie = async (name: string) => {
    const provider = new ScriptedOAuthClient(name);
    const { transport, authorizationUrl } = await startSignIn(cluster.publicUrl, provider);
    const { token } = await portal.issueToken({ email: DEMO_PATIENTS[1]!.email, scopes: SCOPES });
    const consent = await answerConsent(authorizationUrl, { portalToken: token });
    await transport.finishAuth(consent.location?.searchParams.get('code') as string);
    return { provider, cookie: consent.cookie };
  };
  const signIn = async (name: string) => (await signInWithCookie(name)).provider;

  it('signed-in sessions spread over the replicas; a booking asked on the second is confirmed on its page, through nginx', {
    timeout: 60_000,
  }, async () => {
    const { provider, cookie } = await signInWithCookie('Web assistant');
    const sessions = await Promise.all(
      Array.from({ length: 4 }, () => connectSignedIn(cluster.publicUrl, provider)),
    );
    try {
      const on = (s: (typeof sessions)[number]) => s.transport.sessionId?.split('.')[0];
      expect(new Set(sessions.map(on))).toEqual(new Set(cluster.replicas.map((r) => r.id)));
      const second = sessions.find((s) => on(s) === cluster.replicas[1]?.id)!;
      const call = async (name: string, args: Record<string, unknown>) =>
        (await second.client.callTool({ name, arguments: args })) as {
          isError?: boolean;
          structuredContent?: unknown;
          content: { type: string; text?: string }[];
        };
      const doctors = await call('find_doctors', { name: 'Martin' });
      const doctorId = (doctors.structuredContent as { doctors: { id: string }[] }).doctors[0]!.id;
      const from = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
      const slots = await call('get_available_slots', { doctorId, date: from, days: 7 });
      const slot = (slots.structuredContent as { slots: { date: string; time: string }[] })
        .slots[0]!;
      const asked = await call('book_appointment', { doctorId, ...slot, reason: 'Contrôle' });
      const text = asked.content.map((part) => part.text ?? '').join('\n');
      const url = /https?:\/\/\S+\/oauth\/confirm\?id=[\w.-]+/.exec(text)?.[0] as string;
      // The page is the second replica's (its id says so): nginx sends the browser there, and
      // that replica knows the browser that signed in on the first.
      expect(new URL(url).searchParams.get('id')).toMatch(
        new RegExp(`^${cluster.replicas[1]?.id}\\.`),
      );
      expect((await openConfirmation(url, cookie)).status).toBe(200);
      const pressed = await pressOnConfirmation(url, cookie, 'confirm');
      expect(pressed.status, pressed.page).toBe(200);
      expect(pressed.page).toContain('Done');
      const after = await call('get_appointments', { limit: 50 });
      expect(JSON.stringify(after.structuredContent)).toContain(slot.time);
    } finally {
      await Promise.all(sessions.map((s) => s.client.close()));
    }
  });

  it('a Redis that stops answering makes signed-in requests wait-and-retry (503), not signed out (401), and the replicas not ready; back, they pass', async () => {
    const provider = await signIn('Patient assistant');
    const access = provider.saved?.access_token as string;
    expect(await initializeStatus(cluster.publicUrl, access)).toBe(200);
    // Each replica's own /readyz, as an orchestrator probes it (not through nginx).
    const readiness = async () => {
      const answer = await fetch(`http://127.0.0.1:${cluster.replicas[1]?.port}/readyz`);
      return { status: answer.status, body: (await answer.json()) as { reason?: string } };
    };
    expect((await readiness()).status).toBe(200);
    const redis = cluster.redis!.child;
    redis.kill('SIGSTOP');
    onTestFinished(() => void redis.kill('SIGCONT'));
    expect(await initializeStatus(cluster.publicUrl, access)).toBe(503);
    const paused = await readiness();
    expect(paused.status).toBe(503);
    expect(paused.body.reason).toBe('state store unreachable');
    redis.kill('SIGCONT');
    await expect
      .poll(() => initializeStatus(cluster.publicUrl, access), { timeout: 10_000 })
      .toBe(200);
    expect((await readiness()).status).toBe(200);
  });

  it('the replica that signed the assistant in dies: the other serves its access and its refresh, and a replay still ends the grant', {
    timeout: 60_000,
  }, async () => {
    const provider = await signIn('Shared-store assistant');
    const first = await connectSignedIn(cluster.publicUrl, provider);
    expect(
      (await first.client.callTool({ name: 'get_appointments', arguments: {} })).isError,
    ).toBeFalsy();
    await first.client.close();

    // The replica that ran the sign-in (the OAuth routes' own) is killed: the other serves all.
    const victim = cluster.replicas[0]!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    const after = await connectSignedIn(cluster.publicUrl, provider);
    try {
      expect(after.transport.sessionId?.split('.')[0]).toBe(cluster.replicas[1]?.id);
      const read = await after.client.callTool({ name: 'get_appointments', arguments: {} });
      expect(read.isError, JSON.stringify(read.content)).toBeFalsy();
    } finally {
      await after.client.close();
    }

    // The refresh token rotates on the survivor; the old one, presented again, ends the grant.
    const tokenUrl = new URL('/oauth/token', cluster.publicUrl);
    const refresh = (refreshToken: string) =>
      fetch(tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: provider.information?.client_id as string,
        }),
      });
    const old = provider.saved?.refresh_token as string;
    const rotated = await refresh(old);
    expect(rotated.status).toBe(200);
    const renewed = (await rotated.json()) as { access_token: string };
    expect(await initializeStatus(cluster.publicUrl, renewed.access_token)).toBe(200);
    const replayed = await refresh(old);
    expect(replayed.status).toBe(400);
    expect(((await replayed.json()) as { error: string }).error).toBe('invalid_grant');
    expect(await initializeStatus(cluster.publicUrl, renewed.access_token)).toBe(401);
  });
});

describe.skipIf(!hasNginx)('npm run cluster -- … -- <serve options>', () => {
  it('passes the serve options after the second -- to every replica, and refuses the ones it sets', async () => {
    const portal = await startSandboxPortal();
    const cli = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        CLUSTER_CLI,
        '--replicas',
        '2',
        '--port',
        '0',
        ...(hasRedis ? ['--redis'] : []),
        '--',
        '--max-body-bytes',
        '2048',
      ],
      { env: { ...process.env, HOSPIAI_URL: portal.url }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => cli.once('exit', resolve));
    try {
      let out = '';
      cli.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
      });
      await vi.waitFor(() => expect(out).toMatch(/cluster: http:\/\/\S+\/mcp/), {
        timeout: 30_000,
      });
      const publicUrl = /cluster: (http:\/\/\S+\/mcp)/.exec(out)![1]!;
      if (hasRedis)
        expect(out).toMatch(/sign-ins shared through Redis at redis:\/\/127\.0\.0\.1:\d+\/0/);
      const { token } = await portal.issueToken({ email: DEMO_PATIENTS[0]!.email, scopes: SCOPES });
      const big = { ...INITIALIZE, params: { ...INITIALIZE.params, padding: 'x'.repeat(4096) } };
      // Each replica refuses it (default 262144 bytes would take it): whichever nginx picks.
      for (let i = 0; i < 4; i++)
        expect((await rawRequest(publicUrl, { body: big, headers: bearer(token) })).status).toBe(
          413,
        );
      expect(
        (await rawRequest(publicUrl, { body: INITIALIZE, headers: bearer(token) })).status,
      ).toBe(200);
    } finally {
      cli.kill('SIGTERM');
      await exited;
      await portal.close();
    }

    // Serve options the cluster refuses before anything starts: each said plainly, exit 2.
    const refusedWith = (serveOptions: string[]) => {
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', CLUSTER_CLI, '--port', '0', '--', ...serveOptions],
        { encoding: 'utf8' },
      );
      expect(run.status).toBe(2);
      return run.stderr;
    };
    expect(refusedWith(['--replica-id', 'x'])).toContain(
      '--replica-id is set by the cluster for each replica',
    );
    expect(refusedWith(['--rate-limt', '5/1'])).toContain("Unknown option '--rate-limt'");
    expect(refusedWith(['--state-store', 'redis://127.0.0.1:1'])).toContain('use --redis');
  });
});
