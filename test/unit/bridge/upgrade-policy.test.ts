import { describe, expect, it } from 'vitest';
import { checkUpgrade } from '../../../relay/bridge/upgrade-policy';
import { CHROME_EXTENSION_ID } from '../../../relay/protocol/extension-identity';

const port = 47_612;
const allowed = [CHROME_EXTENSION_ID];
const chrome = `chrome-extension://${CHROME_EXTENSION_ID}`;
const firefox = 'moz-extension://3f1c2b7e-9a4d-4c1e-8b2a-0d5e6f7a8b9c';
const check = (host: string | undefined, origin: string | undefined) =>
  checkUpgrade({ host, origin, port, allowed, pinnedFirefoxOrigins: [firefox] });

describe('checkUpgrade', () => {
  it.each([
    ['127.0.0.1', chrome],
    ['localhost', chrome],
    ['127.0.0.1', firefox],
  ])('lets the extension in through %s with origin %s', (host, origin) => {
    expect(check(`${host}:${port}`, origin)).toEqual({ ok: true });
  });

  it.each([
    ['missing', undefined],
    ['a rebinding DNS name', `evil.test:${port}`],
    ['a look-alike of localhost', `localhost.evil:${port}`],
    ['another port', '127.0.0.1:47613'],
    ['no port', '127.0.0.1'],
    ['two ports', `127.0.0.1:${port}:${port}`],
    ['uppercase', `LOCALHOST:${port}`],
    ['IPv6 loopback', `[::1]:${port}`],
    ['a trailing dot', `localhost.:${port}`],
    ['another loopback address', `127.0.0.2:${port}`],
  ])('refuses a Host that is %s', (_label, host) => {
    expect(check(host, chrome)).toMatchObject({ ok: false });
  });

  it.each([
    ['missing', undefined],
    ['"null"', 'null'],
    ['a web page', 'http://evil.test'],
    ['the page on localhost', `http://127.0.0.1:${port}`],
    ['another extension', 'chrome-extension://abcdefghijklmnopabcdefghijklmnop'],
    ['a look-alike subdomain', `${chrome}.evil`],
    ['with a trailing slash', `${chrome}/`],
    ['with a path', `${chrome}/popup.html`],
    ['in uppercase', chrome.toUpperCase()],
    ['with a port', `${chrome}:443`],
    ['over another scheme', `https://${CHROME_EXTENSION_ID}`],
    ['a Firefox origin in uppercase', firefox.toUpperCase()],
    ['a Firefox origin with a suffix', `${firefox}.evil`],
    ['a Firefox origin that is not a UUID', 'moz-extension://hospiai-mcp@hospiai.fr'],
    ['a Firefox origin without dashes', 'moz-extension://3f1c2b7e9a4d4c1e8b2a0d5e6f7a8b9c'],
    ['a Firefox origin with a slash', `${firefox}/`],
    ['a list of origins', `${chrome}, http://evil.test`],
  ])('refuses an Origin that is %s', (_label, origin) => {
    expect(check(`127.0.0.1:${port}`, origin)).toMatchObject({ ok: false });
  });

  it('accepts only the Chrome extension IDs it is given', () => {
    const other = 'abcdefghijklmnopabcdefghijklmnop';
    expect(
      checkUpgrade({
        host: `127.0.0.1:${port}`,
        origin: `chrome-extension://${other}`,
        port,
        allowed: [other],
      }),
    ).toEqual({ ok: true });
    expect(
      checkUpgrade({ host: `127.0.0.1:${port}`, origin: chrome, port, allowed: [other] }),
    ).toMatchObject({ ok: false });
  });

  it('lets a Firefox install in only with the origin that paired, or to pair while a code waits', () => {
    const host = `127.0.0.1:${port}`;
    const otherInstall = 'moz-extension://0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d';
    // Any add-on of the same Firefox has an origin of this shape: the shape alone is not enough.
    expect(checkUpgrade({ host, origin: firefox, port, allowed })).toMatchObject({ ok: false });
    expect(
      checkUpgrade({ host, origin: otherInstall, port, allowed, pinnedFirefoxOrigins: [firefox] }),
    ).toEqual({
      ok: false,
      reason: 'Firefox add-on not paired with this relay, and no code waiting',
    });
    expect(
      checkUpgrade({ host, origin: firefox, port, allowed, pinnedFirefoxOrigins: [firefox] }),
    ).toEqual({ ok: true });
    // A code is waiting: a new install may try it (the relay then proves the code first).
    expect(
      checkUpgrade({ host, origin: otherInstall, port, allowed, pairingPending: true }),
    ).toEqual({ ok: true });
    // A pinned origin is compared whole, never as a prefix.
    expect(
      checkUpgrade({
        host,
        origin: firefox,
        port,
        allowed,
        pinnedFirefoxOrigins: [firefox.slice(0, -1)],
      }),
    ).toMatchObject({ ok: false });
  });

  it('says why it refused, without echoing the request', () => {
    const decision = check(`127.0.0.1:${port}`, 'http://evil.test');
    expect(decision).toEqual({ ok: false, reason: 'Origin is not the HospiAI extension' });
  });
});
