/**
 * A web page on another local origin (its own port on 127.0.0.1): the kind of page any site,
 * or any local program, can show the patient. It imitates the portal's markup, so a content
 * script that trusted markup rather than the origin would act on it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const HOSTILE_PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>Totally HospiAI</title></head>
<body data-portal="hospiai" data-patient-id="pat_8f3a21c4">
<span id="patient-name">Camille Durand</span>
<main id="dashboard"><h1>Bonjour Camille</h1></main>
</body></html>`;

export async function startHostilePage(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(HOSTILE_PAGE_HTML);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/dashboard`,
    close: () =>
      new Promise((resolve) => {
        // The browser keeps its connection alive; do not wait for it to let go.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
