import { describe, expect, it, vi } from 'vitest';
import {
  fromBase64Url,
  normalizePairingCode,
  randomNonce,
  signProof,
  stretchPairingCode,
} from '../../../relay/protocol/handshake-crypto';
import {
  CloseCode,
  MAX_FRAME_BYTES,
  PairChallengeFrame,
  PROTOCOL_VERSION,
  type TokenFrame,
} from '../../../relay/protocol/protocol';
import { connectToRelay, openRawConnection } from '../../support/bridge-test-client';
import {
  FAST_ITERATIONS,
  pairedBridge,
  quickCode,
  relayTimersOnTestClock,
  startTestBridge,
} from './bridge-fixture';

const token: TokenFrame = {
  type: 'token',
  token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXRpZW50LTEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
  tokenId: 'tok_1',
  source: 'auto',
  scopes: ['read:data'],
  expiresAt: '2030-01-01T00:00:00.000Z',
};

const pairHello = () => ({
  type: 'hello',
  v: PROTOCOL_VERSION,
  mode: 'pair',
  nonce: randomNonce(),
  codeMadeBy: 'relay',
});

describe('an unauthenticated connection', () => {
  it('is closed with handshakeTimeout when it says nothing', async () => {
    const { bridge } = await startTestBridge({ handshakeTimeoutMs: 150 });
    const connection = await openRawConnection(bridge.port);
    const started = Date.now();

    expect((await connection.closed).code).toBe(CloseCode.handshakeTimeout);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('is closed with handshakeTimeout when it stops after the challenge, not before', async () => {
    // Paired first, then a second relay of the same home, whose deadline runs on the test's
    // clock: it starts counting only once the challenge came, however loaded the machine.
    const { home, pairing } = await pairedBridge();
    const { bridge } = await startTestBridge({ home, handshakeTimeoutMs: 2_000 });
    relayTimersOnTestClock();
    const connection = await openRawConnection(bridge.port);
    connection.send({
      type: 'hello',
      v: PROTOCOL_VERSION,
      mode: 'auth',
      nonce: randomNonce(),
      pairingId: pairing.pairingId,
    });
    expect(await connection.nextMessage()).toMatchObject({ type: 'challenge' });

    vi.advanceTimersByTime(1_999);
    await connection.stillOpen();
    vi.advanceTimersByTime(1);
    expect((await connection.closed).code).toBe(CloseCode.handshakeTimeout);
  });

  it('asking to pair, has the pairing deadline: a proof later than an ordinary one still pairs', async () => {
    // The extension stretches the typed code (PBKDF2, 600 000 rounds) before it can answer: on
    // a slow or busy machine, longer than an ordinary handshake may take. Here the ordinary
    // deadline and the guard's hard one (upgrade + handshake + 1 s of grace: 4 s) are gone when
    // the proof arrives: the test's clock passes them once the challenge came.
    const { bridge, home } = await startTestBridge({
      handshakeTimeoutMs: 1_500,
      upgradeTimeoutMs: 1_500,
      pairingTimeoutMs: 20_000,
    });
    const code = await quickCode(home);
    relayTimersOnTestClock();
    const connection = await openRawConnection(bridge.port);
    const hello = pairHello();
    connection.send(hello);
    const challenge = PairChallengeFrame.parse(await connection.nextMessage());
    const salt = challenge.offers[0]?.salt ?? '';
    vi.advanceTimersByTime(4_500);
    const stretched = await stretchPairingCode(
      normalizePairingCode(code) ?? '',
      fromBase64Url(salt),
      FAST_ITERATIONS,
    );
    const proof = await signProof('ext', stretched, {
      mode: 'pair',
      port: bridge.port,
      portal: challenge.portal,
      extensionNonce: hello.nonce,
      relayNonce: challenge.nonce,
      codeMadeBy: 'relay',
      salt,
    });
    connection.send({ type: 'proof', salt, proof });
    expect(await connection.nextMessage()).toMatchObject({ type: 'ready' });
  });

  it('asking to pair, is still closed with handshakeTimeout at the pairing deadline', async () => {
    const { bridge, home } = await startTestBridge({
      handshakeTimeoutMs: 2_000,
      pairingTimeoutMs: 3_000,
    });
    await quickCode(home);
    relayTimersOnTestClock();
    const connection = await openRawConnection(bridge.port);
    connection.send(pairHello());
    expect(await connection.nextMessage()).toMatchObject({ type: 'challenge' });
    // Past the ordinary deadline, short of the pairing one: still open.
    vi.advanceTimersByTime(2_999);
    await connection.stillOpen();
    vi.advanceTimersByTime(1);
    expect((await connection.closed).code).toBe(CloseCode.handshakeTimeout);
  });

  it('cannot deliver a token before ready: protocolError, and the token goes nowhere', async () => {
    const { bridge, tokens, logs } = await startTestBridge();
    const connection = await openRawConnection(bridge.port);
    connection.send(token);

    expect((await connection.closed).code).toBe(CloseCode.protocolError);
    expect(tokens).toEqual([]);
    expect(logs.join('')).not.toContain(token.token);
  });

  it('cannot skip the challenge by sending a proof first', async () => {
    const { bridge } = await startTestBridge();
    const connection = await openRawConnection(bridge.port);
    connection.send({ type: 'proof', proof: randomNonce() });

    expect((await connection.closed).code).toBe(CloseCode.protocolError);
  });

  it.each([
    ['text that is not JSON', '{"type":"hello",'],
    ['a hello with an extra field', JSON.stringify({ ...pairHello(), admin: true })],
    ['a hello with a short nonce', JSON.stringify({ ...pairHello(), nonce: 'abc' })],
    [
      'an auth hello without pairing id',
      JSON.stringify({ ...pairHello(), mode: 'auth', codeMadeBy: undefined }),
    ],
    ['an array', '[]'],
  ])('is closed with protocolError on %s', async (_label, text) => {
    const { bridge } = await startTestBridge();
    const connection = await openRawConnection(bridge.port);
    connection.sendRaw(text);

    expect((await connection.closed).code).toBe(CloseCode.protocolError);
  });

  it('is closed with protocolError on a binary frame', async () => {
    const { bridge } = await startTestBridge();
    const connection = await openRawConnection(bridge.port);
    connection.sendRaw(Buffer.from(JSON.stringify(pairHello())));

    expect((await connection.closed).code).toBe(CloseCode.protocolError);
  });

  it('is closed with versionMismatch, saying which versions, on another protocol version', async () => {
    const { bridge } = await startTestBridge();
    const connection = await openRawConnection(bridge.port);
    connection.send({ ...pairHello(), v: PROTOCOL_VERSION + 1, somethingNew: true });

    const closed = await connection.closed;
    expect(closed.code).toBe(CloseCode.versionMismatch);
    expect(closed.reason).toContain(`v${PROTOCOL_VERSION}`);
    expect(closed.reason).toContain(`v${PROTOCOL_VERSION + 1}`);
  });

  it('is closed with 1009 on a frame larger than MAX_FRAME_BYTES', async () => {
    const { bridge } = await startTestBridge();
    const connection = await openRawConnection(bridge.port);
    connection.sendRaw('x'.repeat(MAX_FRAME_BYTES + 1));

    expect((await connection.closed).code).toBe(CloseCode.frameTooLarge);
  });
});

describe('an authenticated connection', () => {
  it('gets ready then an immediate status from getStatus', async () => {
    const { bridge, pairing } = await pairedBridge();
    const connection = await connectToRelay(bridge.port, pairing);

    expect(await connection.nextFrame('status')).toEqual({
      type: 'status',
      mcpClient: { name: 'Claude Desktop', version: '1.0.0' },
      token: { state: 'none', source: null, tokenId: null },
    });
  });

  it('delivers a token and a revoke to their frame handlers', async () => {
    const { bridge, pairing, tokens, revokes } = await pairedBridge();
    const connection = await connectToRelay(bridge.port, pairing);

    connection.send(token);
    connection.send({ type: 'revoke', reason: 'user' });
    connection.send({ type: 'ping', t: 42 });
    await connection.nextFrame('pong');

    expect(tokens).toEqual([token]);
    expect(revokes).toEqual(['user']);
  });

  it('delivers confirmation results to their frame handler', async () => {
    const { bridge, pairing, confirmations } = await pairedBridge();
    const connection = await connectToRelay(bridge.port, pairing);

    connection.send({ type: 'confirmation_result', id: 'abcdef123456', decision: 'approve' });
    connection.send({ type: 'ping', t: 1 });
    await connection.nextFrame('pong');

    expect(confirmations).toEqual(['abcdef123456:approve']);
  });

  it('delivers the read policy to its frame handler, and refuses a policy naming a write tool', async () => {
    const policies: unknown[] = [];
    const { bridge, pairing } = await pairedBridge({
      frames: { policy: (frame) => policies.push(frame.reads) },
    });
    const connection = await connectToRelay(bridge.port, pairing);
    connection.send({
      type: 'policy',
      reads: { get_appointments: 'allow', get_medical_records: 'ask' },
    });
    connection.send({ type: 'ping', t: 1 });
    await connection.nextFrame('pong');
    expect(policies).toEqual([{ get_appointments: 'allow', get_medical_records: 'ask' }]);

    connection.send({ type: 'policy', reads: { book_appointment: 'allow' } });
    expect((await connection.closed).code).toBe(CloseCode.protocolError);
    expect(policies).toHaveLength(1);
  });

  it('answers ping with pong carrying the same t', async () => {
    const { bridge, pairing } = await pairedBridge();
    const connection = await connectToRelay(bridge.port, pairing);
    connection.send({ type: 'ping', t: 1234 });

    expect(await connection.nextFrame('pong')).toEqual({ type: 'pong', t: 1234 });
  });

  it('is closed with protocolError on a token frame with an extra field, which is not delivered', async () => {
    const { bridge, pairing, tokens, logs } = await pairedBridge();
    const connection = await connectToRelay(bridge.port, pairing);
    connection.send({ ...token, note: 'extra' });

    expect((await connection.closed).code).toBe(CloseCode.protocolError);
    expect(tokens).toEqual([]);
    expect(logs.join('')).not.toContain(token.token);
  });

  it('is closed with protocolError on a second hello', async () => {
    const { bridge, pairing } = await pairedBridge();
    const connection = await connectToRelay(bridge.port, pairing);
    connection.send(pairHello());

    expect((await connection.closed).code).toBe(CloseCode.protocolError);
  });

  it('is closed with rateLimited when it sends more frames per second than allowed', async () => {
    // A frozen clock refills nothing: ten frames, the hello and the proof included, and the
    // eleventh is one too many (the next test sends exactly ten).
    const { bridge, pairing } = await pairedBridge({ maxFramesPerSecond: 10, now: () => 0 });
    const connection = await connectToRelay(bridge.port, pairing);
    for (let i = 0; i < 9; i++) connection.send({ type: 'ping', t: i });

    expect((await connection.closed).code).toBe(CloseCode.rateLimited);
  });

  it('keeps a connection that stays within the rate', async () => {
    const { bridge, pairing } = await pairedBridge({ maxFramesPerSecond: 10, now: () => 0 });
    const connection = await connectToRelay(bridge.port, pairing);
    for (let i = 0; i < 8; i++) connection.send({ type: 'ping', t: i });

    for (let i = 0; i < 8; i++)
      expect(await connection.nextFrame('pong')).toEqual({ type: 'pong', t: i });
    await connection.raw.stillOpen();
  });

  it('survives a consumer callback that throws', async () => {
    const { bridge, pairing } = await pairedBridge({
      frames: {
        token: () => {
          throw new Error('vault unavailable');
        },
      },
    });
    const connection = await connectToRelay(bridge.port, pairing);
    connection.send(token);
    connection.send({ type: 'ping', t: 5 });

    expect(await connection.nextFrame('pong')).toEqual({ type: 'pong', t: 5 });
  });
});

describe('the bridge and its authenticated connections', () => {
  it('counts authenticated connections and reports every change', async () => {
    const { bridge, pairing, connectionCounts } = await pairedBridge();
    const unauthenticated = await openRawConnection(bridge.port);
    const connection = await connectToRelay(bridge.port, pairing);

    expect(bridge.authenticatedCount()).toBe(1);
    await connection.close();
    await unauthenticated.close();
    // The pairing connection itself counted once as well.
    await expect.poll(() => connectionCounts).toEqual([1, 0, 1, 0]);
    expect(bridge.authenticatedCount()).toBe(0);
  });

  it('broadcasts to authenticated connections only', async () => {
    const { bridge, pairing } = await pairedBridge();
    const unauthenticated = await openRawConnection(bridge.port);
    const connection = await connectToRelay(bridge.port, pairing);

    const sent = bridge.broadcast({
      type: 'renew_request',
      reason: 'token_expired',
      tokenId: 'tok_1',
    });

    expect(sent).toBe(1);
    expect(await connection.nextFrame('renew_request')).toMatchObject({ tokenId: 'tok_1' });
    await expect(unauthenticated.nextMessage(100)).rejects.toThrow(/no message/);
  });

  it('refuses to broadcast a frame that breaks the protocol', async () => {
    const { bridge, pairing, logs } = await pairedBridge();
    await connectToRelay(bridge.port, pairing);

    const sent = bridge.broadcast({ type: 'pong', t: 1.5 });

    expect(sent).toBe(0);
    expect(logs.join('')).toContain('frame not sent');
  });

  it('pushes the current status to every connection', async () => {
    let tokenState: 'none' | 'active' = 'none';
    const { bridge, pairing } = await pairedBridge({
      getStatus: () => ({
        mcpClient: { name: 'Cursor', version: '2.0' },
        token: { state: tokenState, source: null, tokenId: null },
      }),
    });
    const connection = await connectToRelay(bridge.port, pairing);
    await connection.nextFrame('status');

    tokenState = 'active';
    bridge.pushStatus();

    expect(await connection.nextFrame('status')).toMatchObject({ token: { state: 'active' } });
  });

  it('replaces an older connection of the same pairing', async () => {
    const { bridge, pairing } = await pairedBridge();
    const older = await connectToRelay(bridge.port, pairing);
    const newer = await connectToRelay(bridge.port, pairing);

    expect((await older.closed).code).toBe(CloseCode.replaced);
    expect(bridge.authenticatedCount()).toBe(1);
    expect(bridge.broadcast({ type: 'pong', t: 0 })).toBe(1);
    expect(await newer.nextFrame('pong')).toEqual({ type: 'pong', t: 0 });
  });

  it('terminates a peer that stops answering pings', async () => {
    // The heartbeat on the test's clock: it beats when the test says, after the handshake.
    relayTimersOnTestClock();
    const { bridge, pairing } = await pairedBridge({ heartbeatIntervalMs: 1_000 });
    const connection = await connectToRelay(bridge.port, pairing);
    // A frozen peer: the ws client would answer pings automatically, so stop its socket reading.
    connection.raw.ws.pause();

    vi.advanceTimersByTime(1_000); // a ping, unanswered
    expect(bridge.authenticatedCount()).toBe(1);
    vi.advanceTimersByTime(1_000); // the next beat finds it silent
    await expect.poll(() => bridge.authenticatedCount()).toBe(0);
    connection.raw.ws.resume();
    // Terminated, not closed: no close frame was ever sent.
    expect((await connection.closed).code).toBe(1006);
  });

  it('closes every connection with goingAway when the relay stops', async () => {
    const { bridge, pairing } = await pairedBridge();
    const connection = await connectToRelay(bridge.port, pairing);

    await bridge.close();

    expect((await connection.closed).code).toBe(CloseCode.goingAway);
  });
});
