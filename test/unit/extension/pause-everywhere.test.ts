/**
 * "Paused" means paused everywhere: the background (its real controller, on WebSockets to the
 * relay's real bridge) tells every relay it is paused — the ones connected when the patient
 * pauses, and one that was away then and comes back while paused, which must not keep or get a
 * token. And a relay of the patient's home set up for another portal gets nothing at all.
 */
import { describe, expect, it } from 'vitest';
import { WAKE_ALARM } from '../../../extension/background/background-core';
import { connectedPatient, FROM_POPUP, useFakeBrowser } from '../../support/connected-background';
import { startTestBridge } from '../bridge/bridge-fixture';

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

  it('a relay connected when the patient pauses drops the token at once', async () => {
    const { controller, first } = await connectedPatient();
    await expect.poll(() => first.tokens.length).toBe(1);
    await controller.handlers['popup:pause']({}, FROM_POPUP);
    await expect.poll(() => first.revokes).toEqual(['paused']);
  });

  it('a relay of this home set up for another portal gets no token, only why', async () => {
    const { first } = await connectedPatient('https://portal.example.net');
    await expect.poll(() => first.revokes).toEqual(['wrong_portal']);
    expect(first.tokens).toEqual([]);
  });
});
