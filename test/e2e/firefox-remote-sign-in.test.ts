/**
 * The consent page's extension path in Firefox ESR with the Firefox MV3 add-on (an event page,
 * per-install moz-extension:// origin, dFPI cookies): the add-on's delivery must carry the
 * consent page's cookie for the server, as Chromium's worker does (remote-sign-in.test.ts has
 * the whole story; this is the part where the browsers differ).
 */
import { describe, expect, it, vi } from 'vitest';
import { PATIENT } from '../support/extension-scenario';
import { assistantSigningIn, remoteServerForTest } from '../support/extension-sign-in';
import { loginToPortalInFirefox, openPopupInFirefox } from '../support/firefox';
import { startFirefoxScenario } from '../support/firefox-scenario';
import { connectSignedIn } from '../support/oauth-patient';

describe('Firefox: signing in to a remote HospiAI server with the add-on', () => {
  it('consent page → Use the HospiAI extension → Allow in the add-on → the client’s redirect with a code → a tool call', async () => {
    const scenario = await startFirefoxScenario({
      prefs: { 'extensions.webextOptionalPermissionPrompts': false },
    });
    const { firefox, portal } = scenario;
    const server = await remoteServerForTest(portal.url);
    await loginToPortalInFirefox(firefox, portal.url, PATIENT);

    const { callback, provider, transport, authorizationUrl } = await assistantSigningIn(
      server.mcpUrl,
      'Claude',
    );
    const tab = await firefox.browser.newPage();
    await tab.goto(authorizationUrl.href);
    await Promise.all([tab.waitForNavigation(), tab.locator('a[data-use-extension]').click()]);

    // The add-on opened its page; the patient answers in one (the state is the same in all).
    const popup = await openPopupInFirefox(firefox);
    await popup.waitForSelector('[data-section="sign-in"] [data-sign-in="allow"]', {
      timeout: 15_000,
    });
    expect(
      await popup.$eval('[data-sign-in-client]', (element) => element.textContent ?? ''),
    ).toContain('Claude');
    await popup.locator('[data-sign-in="allow"]').click();

    await vi.waitFor(
      async () => {
        if (tab.url().startsWith(callback)) return;
        const problem = await popup
          .$eval('[data-sign-in-problem]', (element) =>
            element.getAttribute('data-sign-in-problem'),
          )
          .catch(() => null);
        throw new Error(`never back at the callback (${tab.url()}; popup: ${problem})`);
      },
      { timeout: 20_000, interval: 100 },
    );
    const code = new URL(tab.url()).searchParams.get('code');
    expect(code).toBeTruthy();
    await transport.finishAuth(code as string);
    const { client } = await connectSignedIn(server.mcpUrl, provider);
    expect(
      (await client.callTool({ name: 'get_appointments', arguments: {} })).isError,
    ).toBeFalsy();
    await client.close();
  });
});
