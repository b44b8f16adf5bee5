/**
 * Reliability: the extension finds a relay again after it was killed and restarted, and
 * re-authenticates and re-delivers the token after its own service worker was stopped.
 */
import { describe, expect, it } from 'vitest';
import { readHeldToken, restartServiceWorker } from '../support/browser';
import { connectedStory, resultText, waitForRelaysWithToken } from '../support/extension-scenario';
import type { StdioRelay } from '../support/stdio-relay';

// The two tests continue one another on one install (connectedStory: Claude Desktop's relay,
// reads allowed): Claude Desktop's relay is killed and started again; then, with that relay
// running, the extension's service worker is stopped and started, and Cursor's relay joins.
describe('reconnection', () => {
  const story = connectedStory();
  /** Claude Desktop's running relay: the one the first test started again. */
  let claude: StdioRelay | undefined;

  it('relay killed and restarted: the extension reconnects and the tool works again by itself', async () => {
    const { scenario, relay: first, popup } = story;
    expect((await first.call('get_appointments', {})).isError).toBeFalsy();

    process.kill(first.pid ?? 0, 'SIGKILL');
    await expect
      .poll(async () => await popup.locator('[data-relay-port]').count(), { timeout: 10_000 })
      .toBe(0);

    // The AI client starts its relay again; the patient does nothing.
    const restarted = await scenario.startRelay('Claude Desktop');
    claude = restarted;
    await waitForRelaysWithToken(popup, 1, 20_000);
    const result = await restarted.call('get_appointments', {});
    expect(result.isError, resultText(result)).toBeFalsy();
  });

  it('then, after a service-worker restart, the extension re-authenticates and delivers the token again', async () => {
    const { scenario, popup } = story;
    if (!claude)
      throw new Error('no Claude Desktop relay running (the first test did not start it)');
    const held = await readHeldToken(scenario.browser);
    if (!held) throw new Error('no token held before the restart');

    await restartServiceWorker(scenario.browser);
    // Same token (storage.session outlives the worker), and a relay started now receives it.
    expect((await readHeldToken(scenario.browser))?.tokenId).toBe(held.tokenId);
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
