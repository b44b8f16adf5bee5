/**
 * The confirmation page's link is single use (relay/remote/oauth/confirmation-pages.ts) even when
 * its Confirm arrives twice at once — a double click, a browser retrying the post — while the
 * store that knows the browser answers as a network one does (a few ms): the write runs once, and
 * the other post says the confirmation is gone, as for a used link.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PAGE_MESSAGES } from '../../../relay/i18n/page-messages';
import {
  CONFIRM_PATH,
  createConfirmationPages,
  type PageQuestion,
} from '../../../relay/remote/oauth/confirmation-pages';
import { escapeHtml } from '../../../relay/remote/oauth/consent-page';
import { createMemoryStateStore, type StateStore } from '../../../relay/remote/state/state-store';

const ISSUER = new URL('https://hospiai.example');
const text = PAGE_MESSAGES.en;
const SUMMARY = { doctor: 'Dr Martin', date: '2030-01-02', time: '09:30' };
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

/** A memory store whose reads take `ms`, like Redis over the network; `onRead` as each starts. */
function slowStore(ms: number, onRead: () => void): StateStore {
  const store = createMemoryStateStore();
  return {
    ...store,
    get: async (key) => {
      onRead();
      await new Promise((resolve) => setTimeout(resolve, ms));
      return store.get(key);
    },
  };
}

/** The pages behind a bare HTTP server, the patient's browser signed in, and one question asked. */
async function askedOnce(question: Partial<PageQuestion> = {}) {
  let reading = () => {};
  const store = slowStore(20, () => reading());
  const pages = createConfirmationPages({
    issuer: ISSUER,
    lang: 'en',
    grantIsLive: async () => true,
    store,
    replicaId: 'r0',
  });
  let cookie = '';
  await pages.rememberBrowser(
    {
      setHeader: (_name: string, value: string) => {
        cookie = value.split(';')[0] ?? '';
      },
    } as unknown as http.ServerResponse,
    'patient-1',
  );
  const writes: string[] = [];
  const asked = pages.create({
    patientId: 'patient-1',
    grantId: 'grant-1',
    message: 'Book with Dr Martin?',
    summary: SUMMARY,
    confirm: async () => {
      writes.push('booked');
      await new Promise((resolve) => setTimeout(resolve, 20));
      return SUMMARY;
    },
    decline: () => writes.push('declined'),
    ...question,
  });
  const id = new URL(asked.url).searchParams.get('id') ?? '';
  const server = http.createServer((req, res) => void pages.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = async (decision: string, from = cookie) => {
    const answer = await fetch(`${base}${CONFIRM_PATH}?id=${encodeURIComponent(id)}`, {
      method: 'POST',
      headers: {
        cookie: from,
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'same-origin',
      },
      body: new URLSearchParams({ id, decision }),
    });
    return { status: answer.status, body: await answer.text() };
  };
  const whileReading = (then: () => void) => {
    reading = then;
  };
  return { post, writes, whileReading, withdraw: asked.withdraw };
}

describe('the confirmation page', () => {
  it('runs the write once for two Confirms sent at once; the other says the link is used', async () => {
    const { post, writes } = await askedOnce();
    const answers = await Promise.all([post('confirm'), post('confirm')]);
    expect(writes).toEqual(['booked']);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 404]);
    const done = answers.find((a) => a.status === 200);
    const gone = answers.find((a) => a.status === 404);
    expect(done?.body).toContain(escapeHtml(text.confirm_done));
    expect(gone?.body).toContain(escapeHtml(text.confirm_gone));
    // And later on, too.
    expect((await post('confirm')).status).toBe(404);
    expect(writes).toEqual(['booked']);
  });

  it('lets one of a Confirm and a Decline sent at once count, never both', async () => {
    const { post, writes } = await askedOnce();
    const answers = await Promise.all([post('confirm'), post('decline')]);
    expect(writes).toHaveLength(1);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 404]);
  });

  it('confirms nothing for a question withdrawn while the browser was being checked', async () => {
    const { post, writes, withdraw, whileReading } = await askedOnce();
    // The call that asked gives up (a timeout) while the store tells whose browser this is.
    whileReading(withdraw);
    expect((await post('confirm')).status).toBe(404);
    expect(writes).toEqual([]);
  });

  it('keeps the question for its patient when another browser posts first', async () => {
    const { post, writes } = await askedOnce();
    const [other, own] = await Promise.all([
      post('confirm', 'hospiai_patient=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
      post('confirm'),
    ]);
    expect(other.status).toBe(403);
    expect(own.status).toBe(200);
    expect(writes).toEqual(['booked']);
  });
});
