/** Link 5: the portal answers at HOSPIAI_URL, or the doctor says what it answered instead. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tellIn } from '../../../relay/doctor/doctor-text';
import { checkPortal } from '../../../relay/doctor/portal-check';

async function serve(status: number): Promise<string> {
  const server = http.createServer((_req, res) => res.writeHead(status).end('{}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('doctor: portal', () => {
  it('is ok when the portal serves its keys', async () => {
    const url = await serve(200);
    expect(await checkPortal(url, tellIn('en'))).toEqual([
      { check: 'portal', status: 'ok', detail: `${url} answers` },
    ]);
  });

  it('is broken when something else answers at that address, asking to check HOSPIAI_URL', async () => {
    const url = await serve(404);
    expect(await checkPortal(url, tellIn('fr'))).toEqual([
      {
        check: 'portal',
        status: 'broken',
        detail: `${url} a répondu HTTP 404`,
        fix: 'Vérifiez HOSPIAI_URL : ce doit être l’adresse du portail HospiAI.',
      },
    ]);
  });
});
