import { describe, expect, it } from 'vitest';
import { checkUpgrade } from '../../../relay/bridge/upgrade-policy';
import { CHROME_EXTENSION_ID } from '../../../relay/protocol/extension-identity';

const port = 47_612;
const allowed = [CHROME_EXTENSION_ID];
const chrome = `chrome-extension://${CHROME_EXTENSION_ID}`;
const firefox = 'moz-extension://3f1c2b7e-9a4d-4c1e-8b2a-0d5e6f7a8b9c';
const check = (host: string | undefined, origin: string | undefined) =>
  checkUpgrade({ host, origin, port, allowed });

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

  it('says why it refused, without echoing the request', () => {
    const decision = check(`127.0.0.1:${port}`, 'http://evil.test');
    expect(decision).toEqual({ ok: false, reason: 'Origin is not the HospiAI extension' });
  });
});
