/**
 * `hospiai-mcp doctor` probes the relay while the patient's extension is connected with the
 * same pairing: the probe proves the relay is theirs without ever taking over the session.
 */
import { describe, expect, it } from 'vitest';
import { probePort } from '../../../relay/doctor/relay-probe';
import { CloseCode, PROTOCOL_VERSION } from '../../../relay/protocol/protocol';
import { connectToRelay, openRawConnection } from '../../support/bridge-test-client';
import { pairedBridge } from './bridge-fixture';

describe('doctor probing a relay', () => {
  it('recognises the user’s relay and leaves the live extension connection alone', async () => {
    const { bridge, pairing, connectionCounts } = await pairedBridge();
    const live = await connectToRelay(bridge.port, pairing);
    let liveClosed = false;
    void live.closed.then(() => {
      liveClosed = true;
    });
    const countsBefore = [...connectionCounts];

    const finding = await probePort(bridge.port, { pairing });
    expect(finding).toMatchObject({ kind: 'relay', mcpClient: 'Claude Desktop' });

    // The live session was not replaced: it still answers after the probe ended, and a close
    // (which the bridge would have sent before that pong) never came.
    live.send({ type: 'ping', t: 7 });
    expect(await live.nextFrame('pong')).toEqual({ type: 'pong', t: 7 });
    expect(liveClosed).toBe(false);
    expect(bridge.authenticatedCount()).toBe(1);
    expect(connectionCounts).toEqual(countsBefore);
    await live.close();
  });

  it('a probe is answered and closed: it can never deliver a token', async () => {
    const { bridge, pairing, tokens } = await pairedBridge();
    const finding = await probePort(bridge.port, { pairing });
    expect(finding.kind).toBe('relay');
    expect(bridge.authenticatedCount()).toBe(0);
    expect(tokens).toEqual([]);
  });

  it('refuses a probe with the wrong key, like any authentication', async () => {
    const { bridge, pairing } = await pairedBridge();
    const finding = await probePort(bridge.port, {
      pairing: { pairingId: pairing.pairingId, key: new Uint8Array(32) },
    });
    expect(finding.kind).toBe('unproven');
  });

  it('treats a malformed probe hello as a protocol error', async () => {
    const { bridge } = await pairedBridge();
    const raw = await openRawConnection(bridge.port);
    raw.send({ type: 'hello', v: PROTOCOL_VERSION, mode: 'probe', nonce: 'x' });
    expect((await raw.closed).code).toBe(CloseCode.protocolError);
  });
});
