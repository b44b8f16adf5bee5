/**
 * "Paused" means paused everywhere: the background (its real controller, on WebSockets to the
 * relay's real bridge) tells every relay it is paused — the ones connected when the patient
 * pauses, and one that was away then and comes back while paused, which must not keep or get a
 * token. And a relay of the patient's home set up for another portal gets nothing at all.
 */
import { describe, expect, it } from 'vitest';
import {
  RELAY_HANDLED_TIMEOUT_MS,
  WAKE_ALARM,
} from '../../../extension/background/background-core';
import { stallableSockets } from '../../support/bridge-test-client';
import {
  connectedPatient,
  FROM_POPUP,
  popupStateOf,
  useFakeBrowser,
} from '../../support/connected-background';
import { startTestBridge, TEST_PORTAL } from '../bridge/bridge-fixture';

useFakeBrowser();

describe('pause, everywhere', () => {
  it('a relay that was away when the patient paused is told it is paused as it comes back, and gets no token', async () => {
    const { controller, first, home, range } = await connectedPatient();
    await expect.poll(() => first.tokens.map((t) => t.tokenId)).toEqual(['tok_1']);

    // The relay is away (its connection dropped) at the moment the patient pauses.
    await first.bridge.close();
    expect(await controller.handlers['popup:pause']({}, FROM_POPUP)).toEqual({ ok: true });

    // It comes back on its port while paused: it hears "paused", and nothing else.
    const back = await startTestBridge({ home, ports: range });
    controller.onAlarm(WAKE_ALARM);
    await expect.poll(() => back.revokes, { timeout: 10_000 }).toEqual(['paused']);
    expect(back.tokens).toEqual([]);

    // Resume: the token again, with no new consent.
    expect(await controller.handlers['popup:resume']({}, FROM_POPUP)).toEqual({ ok: true });
    await expect.poll(() => back.tokens.map((t) => t.tokenId)).toEqual(['tok_1']);
  });

  it('a relay connected when the patient pauses has dropped the token by the time the popup says Paused', async () => {
    const { controller, first } = await connectedPatient();
    await expect.poll(() => first.tokens.length).toBe(1);
    // The popup shows Paused when this answers: by then the relay has applied it, not merely
    // been sent it (no call of its assistant in between is served).
    expect(await controller.handlers['popup:pause']({}, FROM_POPUP)).toEqual({ ok: true });
    expect(first.revokes).toEqual(['paused']);
  });

  it('a relay that does not confirm the pause in time is reported, and the popup says Paused only after', async () => {
    const sockets = stallableSockets();
    const { controller, first } = await connectedPatient(TEST_PORTAL, sockets.createSocket);
    await expect.poll(() => first.tokens.length).toBe(1);
    sockets.stall();
    const answer = controller.handlers['popup:pause']({}, FROM_POPUP);
    // While the relay has not answered, the popup does not say Paused.
    expect((await popupStateOf(controller)).bridgeEnabled).toBe(true);
    const started = Date.now();
    expect(await answer).toEqual({ ok: false, problem: 'pause_unconfirmed' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(RELAY_HANDLED_TIMEOUT_MS - 100);
    expect(first.revokes).toEqual([]);
    expect((await popupStateOf(controller)).bridgeEnabled).toBe(false);
  });

  it('a relay of this home set up for another portal gets no token, only why', async () => {
    const { first } = await connectedPatient('https://portal.example.net');
    await expect.poll(() => first.revokes).toEqual(['wrong_portal']);
    expect(first.tokens).toEqual([]);
  });
});
