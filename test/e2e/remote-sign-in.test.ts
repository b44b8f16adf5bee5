/**
 * "Sign in with HospiAI" for the remote mode through the HospiAI extension, in real Chromium:
 * the SDK's OAuth client starts the sign-in against the built server (`serve --http` on the
 * loopback, so no permission prompt), the patient's browser opens the authorization URL and
 * clicks "Use the HospiAI extension", the extension's own page shows what the SERVER says of the
 * request and the patient presses Allow there, the browser ends on the client's redirect URI with
 * a code, and the SDK finishes and calls a tool. Then Revoke in the popup ends that access.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { extensionUrl, loginToPortal } from '../support/browser';
import type { ExtensionBrowser } from '../support/chromium-fixture';
import { PATIENT, startScenario } from '../support/extension-scenario';
import { assistantSigningIn, remoteServerForTest } from '../support/extension-sign-in';
import { connectSignedIn } from '../support/oauth-patient';
import { openPopup } from '../support/popup-page';
import { initializeStatus } from '../support/remote-http';

/** The patient opens the authorization URL and clicks "Use the HospiAI extension": its page opens. */
async function useTheExtension(
  browser: ExtensionBrowser,
  authorizationUrl: URL,
): Promise<{ tab: Page; decision: Page }> {
  const tab = await browser.context.newPage();
  onTestFinished(() => tab.close().catch(() => {}));
  await tab.goto(authorizationUrl.href);
  const decisionPage = browser.context.waitForEvent('page', {
    predicate: (page) => page.url().startsWith(extensionUrl(browser, 'popup.html')),
    timeout: 15_000,
  });
  await tab.locator('a[data-use-extension]').click();
  const decision = await decisionPage;
  onTestFinished(() => decision.close().catch(() => {}));
  return { tab, decision };
}

describe('signing in to a remote HospiAI server with the extension', () => {
  it('consent page → Use the HospiAI extension → Allow in the extension → the client’s redirect with a code → a tool call; Revoke in the popup ends it', async () => {
    const scenario = await startScenario();
    const { browser, portal } = scenario;
    const server = await remoteServerForTest(portal.url, ['--revocation-cache-ms', '0']);
    const dashboard = await loginToPortal(browser, portal.url, PATIENT);
    const {
      callback: CALLBACK,
      provider,
      transport,
      authorizationUrl,
    } = await assistantSigningIn(server.mcpUrl, 'Claude');

    // Action 1 in the browser: the consent page's first choice.
    const { tab, decision: popup } = await useTheExtension(browser, authorizationUrl);
    await tab.waitForURL(`${portal.url}/dashboard`);
    // The fragment is gone from the portal tab once the extension read it.
    expect(new URL(tab.url()).hash).toBe('');

    const section = popup.locator('[data-section="sign-in"]');
    await section.locator('[data-sign-in="allow"]').waitFor({ timeout: 15_000 });
    // What the server says of the request: the client's name, unverified (registered), its host.
    expect(await section.locator('[data-sign-in-client]').textContent()).toContain('Claude');
    expect(await section.locator('[data-sign-in-client]').textContent()).toContain(
      new URL(server.mcpUrl).host,
    );
    expect(await section.locator('[data-sign-in-provenance]').textContent()).toContain(
      'not verified',
    );
    // Book and cancel left unticked: the access gets reads only.
    await section.locator('[data-sign-in-scope="book:appointments"]').uncheck();
    // Action 2: Allow, in the extension's own page.
    await section.locator('[data-sign-in="allow"]').click();

    await tab.waitForURL((url) => url.href.startsWith(CALLBACK), { timeout: 20_000 });
    const back = new URL(tab.url());
    expect(back.searchParams.get('state')).toBe('state-from-the-assistant');
    expect(back.searchParams.get('iss')).toBe(new URL(server.mcpUrl).origin);
    const code = back.searchParams.get('code');
    expect(code).toBeTruthy();

    await transport.finishAuth(code as string);
    expect(provider.saved?.scope).toBe('read:data');
    const { client, tools } = await connectSignedIn(server.mcpUrl, provider);
    expect(tools.map((tool) => tool.name)).toContain('get_appointments');
    const read = await client.callTool({ name: 'get_appointments', arguments: {} });
    expect(read.isError).toBeFalsy();
    await client.close();

    // The dedicated token, listed in the popup under its own name, is revoked there in one click.
    const listed = popup.locator('[data-section="sign-in-tokens"] li');
    await listed.first().waitFor();
    expect(await listed.first().textContent()).toContain('Claude');
    const tokenId = await listed.first().getAttribute('data-sign-in-token');
    const own = (await (
      await fetch(`${portal.url}/api/tokens/mcp`, {
        headers: { Cookie: await portal.login(PATIENT.email, PATIENT.password) },
      })
    ).json()) as { tokens: Array<{ id: string; name: string; scopes: string[] }> };
    expect(own.tokens.find((token) => token.id === tokenId)).toMatchObject({
      scopes: ['read:data'],
    });
    expect(own.tokens.find((token) => token.id === tokenId)?.name).toMatch(
      /^HospiAI — Claude via /,
    );
    const accessToken = provider.saved?.access_token as string;
    expect(await initializeStatus(server.mcpUrl, accessToken)).toBe(200);
    await listed.first().locator('button').click();
    await expect.poll(() => listed.count(), { timeout: 10_000 }).toBe(0);
    expect(await initializeStatus(server.mcpUrl, accessToken)).toBe(401);
    void dashboard;
  });

  it('the assistant signs out (RFC 7009): the next time the popup opens, the extension revokes its dedicated token at the portal', async () => {
    const scenario = await startScenario();
    const { browser, portal } = scenario;
    const server = await remoteServerForTest(portal.url);
    const dashboard = await loginToPortal(browser, portal.url, PATIENT);
    const { callback, provider, transport, authorizationUrl } = await assistantSigningIn(
      server.mcpUrl,
      'Le Chat',
    );
    const { tab, decision } = await useTheExtension(browser, authorizationUrl);
    const allow = decision.locator('[data-section="sign-in"] [data-sign-in="allow"]');
    await allow.waitFor({ timeout: 15_000 });
    await allow.click();
    await tab.waitForURL((url) => url.href.startsWith(callback), { timeout: 20_000 });
    await transport.finishAuth(new URL(tab.url()).searchParams.get('code') as string);
    const listed = decision.locator('[data-section="sign-in-tokens"] li');
    await listed.first().waitFor();
    const tokenId = await listed.first().getAttribute('data-sign-in-token');
    await decision.close();
    const portalTokens = async () =>
      (
        (await (
          await fetch(`${portal.url}/api/tokens/mcp`, {
            headers: { Cookie: await portal.login(PATIENT.email, PATIENT.password) },
          })
        ).json()) as { tokens: Array<{ id: string }> }
      ).tokens.map((token) => token.id);
    expect(await portalTokens()).toContain(tokenId);

    // The assistant signs out: RFC 7009 on its refresh token ends the grant on the server.
    const revoked = await fetch(new URL('/oauth/revoke', server.mcpUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: provider.saved?.refresh_token as string,
        client_id: provider.information?.client_id as string,
      }),
    });
    expect(revoked.status).toBe(200);
    // The server cannot revoke at the portal (cookie only); the extension does, when asked.
    expect(await portalTokens()).toContain(tokenId);
    const popup = await openPopup(browser);
    onTestFinished(() => popup.close().catch(() => {}));
    await expect.poll(portalTokens, { timeout: 15_000 }).not.toContain(tokenId);
    await expect
      .poll(() => popup.locator('[data-section="sign-in-tokens"] li').count(), { timeout: 10_000 })
      .toBe(0);
    void dashboard;
  });

  it('a pointer a portal page script sets on its own opens the extension’s page and gives nothing', async () => {
    const scenario = await startScenario();
    const { browser, portal } = scenario;
    const server = await remoteServerForTest(portal.url);
    const dashboard = await loginToPortal(browser, portal.url, PATIENT);
    const session = await portal.login(PATIENT.email, PATIENT.password);
    const tokensNow = async () =>
      (
        (await (
          await fetch(`${portal.url}/api/tokens/mcp`, { headers: { Cookie: session } })
        ).json()) as { tokens: unknown[] }
      ).tokens.length;
    const before = await tokensNow();

    // Someone else's pending sign-in: its consent page's link, lifted by a script on the portal.
    const { callback: evilCallback, authorizationUrl } = await assistantSigningIn(
      server.mcpUrl,
      'Evil Assistant',
    );
    const html = await (await fetch(authorizationUrl)).text();
    const href = /data-use-extension href="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    const pointer = new URL(href as string).hash;
    const request = JSON.parse(
      Buffer.from(pointer.replace('#hospiai-connect=', ''), 'base64url').toString(),
    ).request as string;
    const decisionPage = browser.context.waitForEvent('page', {
      predicate: (page) => page.url().startsWith(extensionUrl(browser, 'popup.html')),
      timeout: 15_000,
    });
    await dashboard.evaluate((hash) => {
      location.hash = hash;
      location.reload();
    }, pointer);
    const popup = await decisionPage;
    onTestFinished(() => popup.close().catch(() => {}));
    const section = popup.locator('[data-section="sign-in"]');
    await section.locator('[data-sign-in="allow"]').waitFor({ timeout: 15_000 });
    // The server's account of the request (the name its client gave, flagged unverified).
    expect(await section.locator('[data-sign-in-client]').textContent()).toContain(
      'Evil Assistant',
    );
    expect(await section.locator('[data-sign-in-provenance]').textContent()).toContain(
      'not verified',
    );
    // Nor can any web page deliver by itself (here one with no CSP of its own, the evil
    // assistant's): JSON cross-origin needs a preflight the server does not answer, and what
    // needs none is refused.
    const evil = await browser.context.newPage();
    onTestFinished(() => evil.close().catch(() => {}));
    await evil.goto(evilCallback);
    const tried = await evil.evaluate(
      async ({ url, request }) => {
        const body = JSON.stringify({ request, token: 'x'.repeat(40), scopes: ['read:data'] });
        const json = await fetch(url, {
          method: 'POST',
          credentials: 'include',
          headers: { 'Content-Type': 'application/json' },
          body,
        }).then(
          (answer) => `answered ${answer.status}`,
          () => 'blocked',
        );
        await fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', body });
        return json;
      },
      { url: new URL('/oauth/extension/deliver', server.mcpUrl).href, request },
    );
    expect(tried).toBe('blocked');
    // The page saw both answers come back: the server has handled both attempts by now.
    // Nothing provisioned, nothing delivered: the request is still open on the server.
    expect(await tokensNow()).toBe(before);
    expect(
      (await fetch(new URL(`/oauth/extension/request?id=${request}`, server.mcpUrl))).status,
    ).toBe(200);
    await section.locator('[data-sign-in="deny"]').click();
    await expect.poll(() => section.count()).toBe(0);
    expect(await tokensNow()).toBe(before);
  });
});
