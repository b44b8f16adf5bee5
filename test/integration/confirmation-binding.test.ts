/**
 * A booking the patient approves is bound to the token it was asked with. The built relay over
 * stdio, an AI client without forms (the question goes to the extension), and the browser's
 * portal session changing hands between the question and the answer: the extension delivers
 * another patient's token meanwhile. What Camille approved is booked in Camille's record or not
 * at all — never in Lucas's — and the question names whose record it is.
 */

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import {
  connectToRelay,
  pairWithRelay,
  type TestExtensionConnection,
} from '../support/bridge-test-client';
import { freePortRange } from '../support/free-ports';
import { RELAY_BIN, startStdioRelay } from '../support/stdio-relay';

const run = promisify(execFile);
const [camille, lucas] = DEMO_PATIENTS as [
  (typeof DEMO_PATIENTS)[number],
  (typeof DEMO_PATIENTS)[number],
];
const SCOPES = ['read:data', 'book:appointments'];

let portal: SandboxPortal;
const open: Array<{ close(): unknown }> = [];
const homes: string[] = [];

beforeAll(async () => {
  portal = await startSandboxPortal();
});
afterAll(async () => {
  await portal.close();
  await Promise.all(homes.map((home) => rm(home, { recursive: true, force: true })));
});
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((c) => c.close()));
});

/** A relay started as Claude Desktop does, paired, and the extension's session with it. */
async function pairedRelay() {
  const { relay, pairAnother } = await relayOfAHome();
  return { relay, extension: await pairAnother(), pairAnother };
}

/** A relay of a fresh home; `pairAnother()` pairs one more program with it (its own code). */
async function relayOfAHome() {
  const home = await mkdtemp(path.join(tmpdir(), 'hospiai-binding-'));
  homes.push(home);
  const ports = await freePortRange(1);
  const env = { HOSPIAI_URL: portal.url, HOSPIAI_MCP_HOME: home, HOSPIAI_MCP_PORTS: ports.env };
  const relay = await startStdioRelay({ env, clientName: 'Claude Desktop' });
  open.push(relay);
  await relay.call('connection_status');
  const pairAnother = async () => {
    const { stdout } = await run(process.execPath, [RELAY_BIN, 'pair'], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    const code = /\b([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})\b/.exec(stdout)?.[1] ?? '';
    const pairing = await pairWithRelay(ports.first, code);
    const extension = await connectToRelay(ports.first, pairing);
    open.push(extension);
    return extension;
  };
  return { relay, pairAnother };
}

async function deliver(extension: TestExtensionConnection, email: string) {
  const issued = await portal.issueToken({ email, scopes: SCOPES });
  extension.send({
    type: 'token',
    token: issued.token,
    tokenId: issued.id,
    source: 'auto',
    scopes: SCOPES,
    expiresAt: issued.expiresAt,
  });
  return issued;
}

/** The patient's appointments as the portal has them (read with a token of their own). */
async function appointmentsOf(email: string): Promise<Array<{ date: string; time: string }>> {
  const { token } = await portal.issueToken({ email, scopes: ['read:data'] });
  const response = await fetch(`${portal.url}/api/mcp/appointments?limit=100`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await response.json()) as { appointments: Array<{ date: string; time: string }> })
    .appointments;
}

async function aFreeSlot(relay: Awaited<ReturnType<typeof pairedRelay>>['relay']) {
  const found = await relay.call('find_doctors', { name: 'Martin' });
  const doctorId = (found.structuredContent as { doctors: Array<{ id: string }> }).doctors[0]?.id;
  const from = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  const slots = await relay.call('get_available_slots', { doctorId, date: from, days: 7 });
  const [slot] = (slots.structuredContent as { slots: Array<{ date: string; time: string }> })
    .slots;
  if (!doctorId || !slot) throw new Error('no free slot in the sandbox');
  return { doctorId, date: slot.date, time: slot.time };
}

const at = (slot: { date: string; time: string }) => (a: { date: string; time: string }) =>
  a.date === slot.date && a.time === slot.time;

describe('a confirmation bound to the patient it was asked for', () => {
  it('the portal session changes hands before the patient answers: Camille’s booking goes to Camille’s record', async () => {
    const { relay, extension } = await pairedRelay();
    await deliver(extension, camille.email);
    await expect.poll(async () => (await relay.call('connection_status')).isError).toBeFalsy();
    const slot = await aFreeSlot(relay);

    const booking = relay.call('book_appointment', { ...slot, reason: 'Contrôle annuel' });
    const question = await extension.nextFrame('confirmation_request');
    // The question says whose record it is.
    expect(question.summary.patient).toBe('Camille Durand');
    // Meanwhile another patient logs into the portal: the extension hands the relay their token.
    await deliver(extension, lucas.email);
    extension.send({ type: 'confirmation_result', id: question.id, decision: 'approve' });
    const result = await booking;
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();

    expect((await appointmentsOf(camille.email)).some(at(slot))).toBe(true);
    expect((await appointmentsOf(lucas.email)).some(at(slot))).toBe(false);
  });

  it('Camille’s token is revoked as the session changes hands: nothing is booked, NOT_CONFIRMED', async () => {
    const { relay, extension } = await pairedRelay();
    const first = await deliver(extension, camille.email);
    await expect.poll(async () => (await relay.call('connection_status')).isError).toBeFalsy();
    const slot = await aFreeSlot(relay);

    const booking = relay.call('book_appointment', { ...slot, reason: 'Contrôle annuel' });
    const question = await extension.nextFrame('confirmation_request');
    // Lucas logs in; the extension revokes Camille's token at the portal and delivers his.
    portal.revokeToken(first.id);
    await deliver(extension, lucas.email);
    extension.send({ type: 'confirmation_result', id: question.id, decision: 'approve' });
    const result = await booking;
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(
      /NOT_CONFIRMED: Nothing was done: another patient logged into HospiAI/,
    );
    expect((await appointmentsOf(lucas.email)).some(at(slot))).toBe(false);
    expect((await appointmentsOf(camille.email)).some(at(slot))).toBe(false);
    // The extension hears that it failed, with the patient it was for.
    const outcome = await extension.nextFrame('write_outcome');
    expect(outcome).toMatchObject({ outcome: 'failed', problem: 'NOT_CONFIRMED' });
    expect(outcome.summary.patient).toBe('Camille Durand');
  });

  it('another program paired with the relay is not asked, and cannot answer for the patient, even after giving a token of its own', async () => {
    const { relay, extension, pairAnother } = await pairedRelay();
    // A program that paired with this relay too (say, with a code that leaked through the chat).
    const other = await pairAnother();
    await deliver(extension, camille.email);
    await expect.poll(async () => (await relay.call('connection_status')).isError).toBeFalsy();
    const slot = await aFreeSlot(relay);

    const booking = relay.call('book_appointment', { ...slot, reason: 'Contrôle annuel' });
    const question = await extension.nextFrame('confirmation_request');
    // The other program got no question: a pong sent after it proves everything before arrived.
    other.send({ type: 'ping', t: 1 });
    await other.nextFrame('pong');
    expect(other.queued().map((f) => f.type)).not.toContain('confirmation_request');

    // It answers anyway, then hands the relay a token of its own and answers again: ignored.
    other.send({ type: 'confirmation_result', id: question.id, decision: 'approve' });
    await deliver(other, lucas.email);
    other.send({ type: 'confirmation_result', id: question.id, decision: 'approve' });
    // Frames of one connection are handled in order: its pong proves the relay read them all.
    other.send({ type: 'ping', t: 2 });
    await other.nextFrame('pong');
    extension.send({ type: 'confirmation_result', id: question.id, decision: 'decline' });
    const result = await booking;
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/NOT_CONFIRMED/);
    expect((await appointmentsOf(camille.email)).some(at(slot))).toBe(false);
    expect((await appointmentsOf(lucas.email)).some(at(slot))).toBe(false);
  });
});
