/**
 * The pairing secret in real Chromium: kept as a non-extractable key in the extension's own
 * IndexedDB, out of reach of the content script (what a compromised portal renderer runs as)
 * and of the page; a secret an older version left in storage.local is moved there and erased.
 */
import { describe, expect, it } from 'vitest';
import { listPairings } from '../../relay/bridge/pairing-store';
import {
  type ExtensionBrowser,
  extensionUrl,
  readPopupState,
  restartServiceWorker,
} from '../support/browser';
import { evaluateAsContentScript } from '../support/content-script-world';
import { connectEverything, startScenario } from '../support/extension-scenario';

/** Runs in an extension page: the extension's own view of its key store. */
async function inExtensionPage<T>(browser: ExtensionBrowser, fn: () => Promise<T>): Promise<T> {
  const page = await browser.context.newPage();
  try {
    await page.goto(extensionUrl(browser, 'options.html'));
    return await page.evaluate(fn);
  } finally {
    await page.close();
  }
}

function readKeyStore() {
  return new Promise<{ pairingId: string | null; extractable: boolean | null; exported: string }>(
    (resolve, reject) => {
      const open = indexedDB.open('hospiai-pairing');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const get = db.transaction('pairing').objectStore('pairing').get('current');
        get.onsuccess = async () => {
          const record = get.result as { pairingId: string; key: CryptoKey } | undefined;
          let exported = 'no key';
          if (record) {
            exported = await crypto.subtle.exportKey('raw', record.key).then(
              () => 'exported',
              () => 'refused',
            );
          }
          db.close();
          resolve({
            pairingId: record?.pairingId ?? null,
            extractable: record?.key.extractable ?? null,
            exported,
          });
        };
      };
    },
  );
}

describe('the pairing secret', () => {
  it('is a non-extractable key the content script and the page cannot reach', async () => {
    const scenario = await startScenario();
    await scenario.startRelay('Claude Desktop');
    const { dashboard } = await connectEverything(scenario);
    const [relayPairing] = await listPairings(scenario.home);
    if (!relayPairing) throw new Error('the relay recorded no pairing');

    const store = await inExtensionPage(scenario.browser, readKeyStore);
    expect(store).toEqual({
      pairingId: relayPairing.pairingId,
      extractable: false,
      exported: 'refused',
    });

    // What our content script on the portal page can reach (a compromised renderer could too).
    const reach = await evaluateAsContentScript<{
      local: string;
      session: string;
      databases: string[];
    }>(
      dashboard,
      scenario.browser.extensionId,
      `(async () => {
        const local = JSON.stringify(await chrome.storage.local.get(null));
        let session = 'denied';
        try {
          if (chrome.storage.session) {
            session = JSON.stringify(await chrome.storage.session.get(null));
          }
        } catch {}
        const databases = (await indexedDB.databases()).map((d) => d.name);
        return { local, session, databases };
      })()`,
    );
    expect(reach.local).not.toContain(relayPairing.key);
    expect(reach.local).not.toContain(relayPairing.pairingId);
    expect(reach.session).toBe('denied');
    expect(reach.databases).not.toContain('hospiai-pairing');
    // And the page's own scripts see the same origin storage: nothing of ours.
    const pageDatabases = await dashboard.evaluate(async () =>
      (await indexedDB.databases()).map((d) => d.name),
    );
    expect(pageDatabases).not.toContain('hospiai-pairing');
  });

  it('left in storage.local by an older version, is moved to the key store and erased', async () => {
    const scenario = await startScenario();
    await scenario.startRelay('Claude Desktop');
    const { popup } = await connectEverything(scenario);
    const [relayPairing] = await listPairings(scenario.home);
    if (!relayPairing) throw new Error('the relay recorded no pairing');

    // Make this profile look like an older version's: K in storage.local, no key store.
    await inExtensionPage(scenario.browser, () => {
      return new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('hospiai-pairing');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('pairing', 'readwrite');
          tx.objectStore('pairing').delete('current');
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
        };
      });
    });
    const legacy = {
      pairingId: relayPairing.pairingId,
      key: relayPairing.key,
      pairedAt: '2025-03-01T10:00:00.000Z',
    };
    const page = await scenario.browser.context.newPage();
    await page.goto(extensionUrl(scenario.browser, 'options.html'));
    await page.evaluate(
      (pairing) =>
        (
          globalThis as unknown as {
            chrome: { storage: { local: { set(v: unknown): Promise<void> } } };
          }
        ).chrome.storage.local.set({ pairing }),
      legacy,
    );
    await page.close();

    await restartServiceWorker(scenario.browser);
    await popup.reload();
    await expect
      .poll(async () => (await readPopupState(popup)).relays, { timeout: 20_000 })
      .toEqual([{ port: scenario.ports.first, client: 'Claude Desktop', token: 'active' }]);
    const store = await inExtensionPage(scenario.browser, readKeyStore);
    expect(store).toMatchObject({ pairingId: relayPairing.pairingId, extractable: false });
    const local = await inExtensionPage(scenario.browser, async () =>
      JSON.stringify(
        await (
          globalThis as unknown as {
            chrome: { storage: { local: { get(k: null): Promise<unknown> } } };
          }
        ).chrome.storage.local.get(null),
      ),
    );
    expect(local).not.toContain(relayPairing.key);
  });
});
