/**
 * The patient's stories in Firefox ESR with the Firefox MV3 add-on (an event page, not a service
 * worker; a per-install moz-extension:// origin): install, log in, consent and auto-provision,
 * pair, the token delivered and a tool answered through a stdio relay.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultText } from '../support/extension-scenario';
import { readHeldTokenInFirefox } from '../support/firefox';
import { connectEverythingInFirefox, startFirefoxScenario } from '../support/firefox-scenario';

describe('Firefox', () => {
  it('install, log in, consent, pair: the AI client gets the patient’s appointments', async () => {
    const scenario = await startFirefoxScenario();
    const relay = await scenario.startRelay('Claude Desktop');
    await connectEverythingInFirefox(scenario);

    expect(
      scenario.portal.requests
        .filter((r) => r.path === '/api/tokens/generate')
        .map((r) => r.status),
    ).toEqual([201]);
    const held = await readHeldTokenInFirefox(scenario.firefox);
    expect(held?.tokenId).toBeTruthy();
    const result = await relay.call('get_appointments', {});
    expect(result.isError, resultText(result)).toBeFalsy();
    // The relay pinned this install's origin into the pairing.
    const { pairings } = JSON.parse(
      await readFile(path.join(scenario.home, 'pairings.json'), 'utf8'),
    ) as { pairings: Array<{ origin?: string }> };
    expect(pairings.map((p) => p.origin)).toEqual([scenario.firefox.origin]);
  });
});
