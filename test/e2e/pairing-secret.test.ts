/**
 * The pairing secret in real Chromium is kept as a non-extractable key in the extension's own
 * IndexedDB: a secret an older version left in storage.local is moved there and erased. (That
 * the key store is out of reach of the content script and the page is part of a connected
 * patient's story: hostile-pages.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { listPairings } from '../../relay/bridge/pairing-store';
import { extensionUrl, readPopupState, restartServiceWorker } from '../support/browser';
import { inExtensionPage, readKeyStore } from '../support/extension-key-store';
import { connectEverything, startScenario } from '../support/extension-scenario';

describe('the pairing secret', () => {
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
