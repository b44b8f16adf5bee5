/**
 * The settings a scenario gives the extension (its portal and the relays' port range), sent as
 * the options page sends them: its own `options:setConfig` message, which the background checks
 * as coming from an extension page. Chromium's and Firefox's harnesses share it; the options
 * form itself is exercised by the tests about it.
 */
export interface ExtensionSettings {
  portalOrigin: string;
  ports: { first: number; last: number };
}

interface SettingsData {
  portalOrigin: string;
  firstPort: number;
  lastPort: number;
}

/** A page of the extension's origin (Playwright's or Puppeteer's), able to run a function. */
export interface ExtensionOriginPage {
  evaluate(fn: (data: SettingsData) => Promise<unknown>, data: SettingsData): Promise<unknown>;
}

export async function sendSettings(
  page: ExtensionOriginPage,
  settings: ExtensionSettings,
): Promise<void> {
  const answer = (await page.evaluate(
    (data) => {
      type Runtime = { runtime: { sendMessage(message: unknown): Promise<unknown> } };
      const scope = globalThis as unknown as { browser?: Runtime; chrome: Runtime };
      return (scope.browser ?? scope.chrome).runtime.sendMessage({
        type: 'options:setConfig',
        data,
      });
    },
    {
      portalOrigin: settings.portalOrigin,
      firstPort: settings.ports.first,
      lastPort: settings.ports.last,
    },
  )) as { ok?: boolean; problem?: string } | undefined;
  if (!answer?.ok) {
    throw new Error(`the extension refused the settings: ${answer?.problem ?? 'no answer'}`);
  }
}
