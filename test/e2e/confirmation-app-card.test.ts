/**
 * The confirmation card of remote mode (an MCP App) in real Chromium, in a minimal host built on
 * ext-apps' AppBridge (test/support/mcp-app-host.ts): the card's HTML as the built server serves
 * it (`resources/read`), in a sandboxed iframe under its own CSP, given the answer the server
 * really gave a signed-in patient's booking in a chat without forms (NOT_CONFIRMED with the
 * page's link). It shows the question, in the host's language, and its one button makes the
 * host receive an open-link request for exactly that page — and books nothing. HTML in a
 * doctor's name is shown as text; any other answer is shown as its sentence.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import {
  acquireSharedBrowser,
  type ExtensionBrowser,
  releaseTab,
  takeTab,
} from '../support/chromium-fixture';
import {
  answerConsent,
  connectSignedIn,
  ScriptedOAuthClient,
  startSignIn,
} from '../support/oauth-patient';
import { type RemoteServer, startRemoteServer } from '../support/remote-server';

const camille = DEMO_PATIENTS[0]!;
const CARD = 'ui://hospiai/confirmation.html';

type Summary = { doctor: string; specialty?: string };
type Result = {
  isError?: boolean;
  content: { type: string; text?: string }[];
  _meta?: Record<string, Record<string, unknown>>;
};

let portal: SandboxPortal;
let server: RemoteServer;
let hostPage: Server;
let hostUrl: string;
let browser: ExtensionBrowser;
let cardHtml: string;
let onPage: Result;
let notFound: Result;
let booked: () => Promise<number>;

beforeAll(async () => {
  portal = await startSandboxPortal();
  server = await startRemoteServer({ portalUrl: portal.url });
  // Camille signs in from an assistant that shows no forms, and asks for a booking.
  const provider = new ScriptedOAuthClient('Web assistant');
  const { transport, authorizationUrl } = await startSignIn(server.mcpUrl, provider);
  const issued = await portal.issueToken({
    email: camille.email,
    scopes: ['read:data', 'book:appointments'],
  });
  const consent = await answerConsent(authorizationUrl, { portalToken: issued.token });
  await transport.finishAuth(consent.location?.searchParams.get('code') ?? '');
  const { client } = await connectSignedIn(server.mcpUrl, provider);
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as Result & {
      structuredContent?: Record<string, unknown>;
    };
  const doctors = await call('find_doctors', { name: 'Martin' });
  const doctorId = (doctors.structuredContent as { doctors: { id: string }[] }).doctors[0]!.id;
  const from = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const slots = await call('get_available_slots', { doctorId, date: from, days: 7 });
  const slot = (slots.structuredContent as { slots: { date: string; time: string }[] }).slots[0]!;
  onPage = await call('book_appointment', { doctorId, ...slot, reason: 'Contrôle annuel' });
  notFound = await call('cancel_appointment', { appointmentId: 'apt_doesnotexist' });
  const read = await client.readResource({ uri: CARD });
  cardHtml = (read.contents[0] as { text: string }).text;
  await client.close();
  booked = async () => {
    const answer = await fetch(`${portal.url}/api/mcp/appointments?limit=100`, {
      headers: { Authorization: `Bearer ${issued.token}` },
    });
    const { appointments } = (await answer.json()) as {
      appointments: { date: string; time: string; status: string }[];
    };
    return appointments.filter(
      (a) => a.date === slot.date && a.time === slot.time && a.status !== 'cancelled',
    ).length;
  };

  // The host: one page and its AppBridge script, from a server of its own.
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL('../support/mcp-app-host.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  });
  const script = bundled.outputFiles[0]!.text;
  hostPage = createServer((req, res) => {
    if (req.url === '/host.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
    } else {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>host</title><script src="/host.js"></script>');
    }
  });
  await new Promise<void>((resolve) => hostPage.listen(0, '127.0.0.1', resolve));
  hostUrl = `http://127.0.0.1:${(hostPage.address() as AddressInfo).port}/`;
  browser = await acquireSharedBrowser();
});

afterAll(async () => {
  await browser?.close();
  hostPage?.closeAllConnections();
  await new Promise((resolve) => hostPage?.close(resolve));
  await server?.stop();
  await portal?.close();
});

/** The host page showing the card with `result`; the card's frame and what the console said. */
async function showCard(result: unknown, locale = 'en-GB') {
  const page = await takeTab(browser);
  const console: string[] = [];
  page.on('console', (message) => console.push(message.text()));
  await page.goto(hostUrl);
  await page.waitForFunction(() => 'showApp' in window);
  await page.evaluate(
    (app) => (window as unknown as { showApp(a: unknown): Promise<void> }).showApp(app),
    { html: cardHtml, result, hostContext: { locale, theme: 'light' } },
  );
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame()) as Frame;
  return { page, frame, console };
}

const openedLinks = (page: Page) =>
  page.evaluate(() => (window as unknown as { openedLinks: string[] }).openedLinks);

/** The confirm-on-page answer with another doctor's name (what a hostile portal could send). */
function withDoctor(doctor: string): Result {
  const copy = structuredClone(onPage);
  const question = copy._meta?.['hospiai/page-question'] as { summary: Summary };
  question.summary.doctor = doctor;
  return copy;
}

describe('the confirmation card in an MCP Apps host', () => {
  it('shows the question of a booking to confirm on the page; its button asks the host to open exactly that page, and books nothing', async () => {
    const confirmUrl = onPage._meta?.['hospiai/error']?.confirmUrl as string;
    expect(confirmUrl).toMatch(/\/oauth\/confirm\?id=/);
    const { page, frame, console } = await showCard(onPage);
    await expect.poll(() => frame.locator('h1').textContent()).toBe('Book this appointment?');
    const details = await frame.locator('dd').allTextContents();
    expect(details[0]).toBe(camille.name);
    expect(details.join('\n')).toContain('Martin');
    expect(details.join('\n')).toContain('“Contrôle annuel”');
    expect(await frame.locator('button').allTextContents()).toEqual(['Confirm on HospiAI']);
    expect(await openedLinks(page)).toEqual([]);

    await frame.locator('button').click();
    await expect.poll(() => openedLinks(page)).toEqual([confirmUrl]);
    expect(await booked()).toBe(0);
    // The card ran under its own policy: nothing it does was refused (no network, no other script).
    expect(console.filter((line) => /Content Security Policy/i.test(line))).toEqual([]);
    await releaseTab(browser, page);
  });

  it('speaks the host’s language: French for a French host', async () => {
    const { page, frame } = await showCard(onPage, 'fr-FR');
    await expect.poll(() => frame.locator('h1').textContent()).toBe('Prendre ce rendez-vous ?');
    expect(await frame.locator('button').textContent()).toBe('Confirmer sur HospiAI');
    expect(await frame.locator('dt').first().textContent()).toBe('Dossier de');
    await releaseTab(browser, page);
  });

  it('shows HTML in a doctor’s name as text', async () => {
    const hostile = '<img src=x onerror="document.title=\'pwned\'"><b>Dr. Evil</b>';
    const { page, frame } = await showCard(withDoctor(hostile));
    await expect.poll(() => frame.locator('h1').textContent()).toBe('Book this appointment?');
    const question = onPage._meta?.['hospiai/page-question'] as { summary: Summary } | undefined;
    const specialty = question?.summary.specialty;
    expect(specialty).toBeTruthy();
    expect(await frame.locator('dd').nth(2).textContent()).toBe(`${hostile}, ${specialty}`);
    expect(await frame.locator('img, b').count()).toBe(0);
    expect(await frame.evaluate(() => document.title)).toBe('HospiAI');
    await releaseTab(browser, page);
  });

  it('shows any other answer as its sentence, with no button', async () => {
    expect(notFound.isError).toBe(true);
    const { page, frame } = await showCard(notFound);
    const sentence = notFound._meta?.['hospiai/error']?.message as string;
    await expect.poll(() => frame.locator('p.sentence').textContent()).toBe(sentence);
    expect(await frame.locator('button').count()).toBe(0);
    await releaseTab(browser, page);
  });
});
