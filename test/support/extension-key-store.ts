/**
 * The extension's own view of its pairing key store (a non-extractable key in its IndexedDB),
 * read from one of its pages: what the pairing-secret tests compare with the relay's record.
 */
import { type ExtensionBrowser, extensionUrl } from './browser';

/** Runs in an extension page: the extension's own view of its key store. */
export async function inExtensionPage<T>(
  browser: ExtensionBrowser,
  fn: () => Promise<T>,
): Promise<T> {
  const page = await browser.context.newPage();
  try {
    await page.goto(extensionUrl(browser, 'options.html'));
    return await page.evaluate(fn);
  } finally {
    await page.close();
  }
}

/** The stored pairing, and whether its key can be exported (runs in an extension page). */
export function readKeyStore() {
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
