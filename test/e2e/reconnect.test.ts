/**
 * Reliability: the extension finds a relay again after it was killed and restarted, and
 * re-authenticates and re-delivers the token after its own service worker was stopped.
 */
import { describe, expect, it } from 'vitest';
import { readHeldToken, restartServiceWorker } from '../support/browser';
import {
  connectEverything,
  resultText,
  startScenario,
  waitForRelaysWithToken,
} from '../support/extension-scenario';

describe('reconnection', () => {
  it('relay killed and restarted: the extension reconnects and the tool works again by itself', async () => {
    const scenario = await startScenario();
    const first = await scenario.startRelay('Claude Desktop');
    const { popup } = await connectEverything(scenario);
    expect((await first.call('get_appointments', {})).isError).toBeFalsy();

    process.kill(first.pid ?? 0, 'SIGKILL');
    await expect
      .poll(async () => await popup.locator('[data-relay-port]').count(), { timeout: 10_000 })
      .toBe(0);

    // The AI client starts its relay again; the patient does nothing.
    const restarted = await scenario.startRelay('Claude Desktop');
    await waitForRelaysWithToken(popup, 1, 20_000);
    const result = await restarted.call('get_appointments', {});
    expect(result.isError, resultText(result)).toBeFalsy();
  });

  it('after a service-worker restart the extension re-authenticates and delivers the token again', async () => {
    const scenario = await startScenario();
    const claude = await scenario.startRelay('Claude Desktop');
    const { popup } = await connectEverything(scenario);
    const held = await readHeldToken(scenario.browser);

    await restartServiceWorker(scenario.browser);
    // Same token (storage.session outlives the worker), and a relay started now receives it.
    expect((await readHeldToken(scenario.browser))?.tokenId).toBe(held?.tokenId);
    const cursor = await scenario.startRelay('Cursor');
    await popup.reload();
    await waitForRelaysWithToken(popup, 2, 20_000);
    for (const relay of [claude, cursor]) {
      const result = await relay.call('get_appointments', {});
      expect(result.isError, resultText(result)).toBeFalsy();
    }
    const status = (await claude.call('connection_status')).structuredContent as {
      extension: { connections: number };
    };
    expect(status.extension.connections).toBe(1);
  });
});
