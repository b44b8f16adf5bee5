/**
 * A Client ID Metadata Document is fetched from a URL anyone can name: the whole fetch has a
 * deadline, not only each read, so a host that drips its document a byte at a time cannot hold
 * the server's request (and socket) open for hours.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, globalAgent, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchClientMetadata } from '../../../relay/remote/oauth/client-metadata-fetch';
import { localhostCertificate } from '../../support/tls-certificate';

const DOCUMENT = JSON.stringify({
  client_id: 'https://127.0.0.1/client.json',
  redirect_uris: ['https://assistant.example/callback'],
});

let host: Server;
let base: string;
const previousCa = globalAgent.options.ca;

beforeAll(async () => {
  const scratch = await mkdtemp(path.join(tmpdir(), 'hospiai-cimd-'));
  const { key, cert } = await localhostCertificate(scratch);
  // The fetch trusts this host's certificate as it would a public CA's.
  globalAgent.options.ca = await readFile(cert);
  host = createServer({ key: await readFile(key), cert: await readFile(cert) }, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url === '/client.json') return void res.end(DOCUMENT);
    // /drip: the document a byte every 50 ms, each read well within the socket's idle timeout.
    let sent = 0;
    const timer = setInterval(() => {
      if (sent >= DOCUMENT.length || res.destroyed) {
        clearInterval(timer);
        return void res.end();
      }
      res.write(DOCUMENT[sent++]);
    }, 50);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(host.address() as AddressInfo).port}`;
});

afterAll(async () => {
  globalAgent.options.ca = previousCa;
  await new Promise((resolve) => host.close(resolve));
});

describe('client metadata document fetch', () => {
  it('gets a document that arrives in time', async () => {
    await expect(
      fetchClientMetadata(new URL(`${base}/client.json`), {
        allowInternalHosts: true,
        timeoutMs: 2_000,
      }),
    ).resolves.toMatchObject({ redirect_uris: ['https://assistant.example/callback'] });
  });

  it('gives up on a document dripped a byte at a time, at the deadline of the whole fetch', async () => {
    const started = Date.now();
    // The whole document would take ~5 s at this pace; each byte comes far inside 600 ms.
    await expect(
      fetchClientMetadata(new URL(`${base}/drip`), { allowInternalHosts: true, timeoutMs: 600 }),
    ).rejects.toThrow('the client metadata document did not arrive in time');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
