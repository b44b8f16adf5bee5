/**
 * Saves the rendered sandbox pages to test/fixtures/portal-pages/ for the extension's selector
 * tests: `node --import tsx test/sandbox/save-fixtures.ts`. Token secrets and ids are replaced by
 * fixed placeholders, so no real token is ever written and the files only change when the pages do.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from './portal';

/** JWT-shaped (header `{"alg":"RS256"}`, payload `{"placeholder":true}`) but signed by nobody. */
export const FIXTURE_TOKEN_PLACEHOLDER =
  'eyJhbGciOiJSUzI1NiJ9.eyJwbGFjZWhvbGRlciI6dHJ1ZX0.placeholder-signature';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/portal-pages/', import.meta.url));

async function get(portal: SandboxPortal, path: string, cookie?: string): Promise<string> {
  const res = await fetch(`${portal.url}${path}`, { headers: cookie ? { cookie } : {} });
  return res.text();
}

/** The pages as a browser sees them, keyed by fixture file name. */
export async function renderFixturePages(): Promise<Record<string, string>> {
  const portal = await startSandboxPortal();
  try {
    const camille = DEMO_PATIENTS[0]!;
    const cookie = await portal.login(camille.email, camille.password);
    const older = await portal.issueToken({
      email: camille.email,
      scopes: ['read:data'],
      name: 'Claude Desktop',
    });
    await fetch(`${portal.url}/api/mcp/records`, {
      headers: { authorization: `Bearer ${older.token}` },
    });
    await fetch(`${portal.url}/dashboard/tokens`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie,
        'content-type': 'application/x-www-form-urlencoded',
        origin: portal.url,
        'sec-fetch-site': 'same-origin',
      },
      body: new URLSearchParams([
        ['name', 'Assistant IA (Chrome)'],
        ['scopes', 'read:data'],
        ['scopes', 'book:appointments'],
        ['expiresInDays', '30'],
      ]),
    });
    const withNewToken = await get(portal, '/dashboard/tokens', cookie);
    const newId = /<code id="new-token-secret" data-token-id="([^"]+)">([^<]+)<\/code>/.exec(
      withNewToken,
    );
    if (!newId?.[1] || !newId[2]) throw new Error('the tokens page did not show the new token');
    const secrets = [older.token, newId[2]];
    const ids: Array<[string, string]> = [
      [older.id, 'tok_fixture000001'],
      [newId[1], 'tok_fixture000002'],
    ];
    const scrub = (html: string) => {
      let out = html;
      for (const secret of secrets) out = out.replaceAll(secret, FIXTURE_TOKEN_PLACEHOLDER);
      for (const [id, fixed] of ids) out = out.replaceAll(id, fixed);
      return out;
    };
    return {
      'login.html': await get(portal, '/login'),
      'dashboard.html': scrub(await get(portal, '/dashboard', cookie)),
      'tokens-with-new-token.html': scrub(withNewToken),
      'tokens.html': scrub(await get(portal, '/dashboard/tokens', cookie)),
    };
  } finally {
    await portal.close();
  }
}

async function main(): Promise<void> {
  await mkdir(FIXTURES_DIR, { recursive: true });
  for (const [name, html] of Object.entries(await renderFixturePages())) {
    await writeFile(new URL(name, `file://${FIXTURES_DIR}`), html);
    process.stdout.write(`wrote test/fixtures/portal-pages/${name}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `save-fixtures failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
