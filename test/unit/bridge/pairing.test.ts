import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createPendingPairing,
  listPairings,
  lookupPendingPairing,
} from '../../../relay/bridge/pairing-store';
import { pair } from '../../../relay/commands/pair';
import { silentLogger } from '../../../relay/logger';
import {
  normalizePairingCode,
  randomNonce,
  signProof,
  toBase64Url,
} from '../../../relay/protocol/handshake-crypto';
import { CloseCode, PROTOCOL_VERSION } from '../../../relay/protocol/protocol';
import {
  connectToRelay,
  openRawConnection,
  pairWithRelay,
  RelayClosedError,
  RelayNotProvenError,
  startFakeRelay,
  startForwardingRelay,
} from '../../support/bridge-test-client';
import {
  FAST_ITERATIONS,
  pairedBridge,
  quickCode,
  startTestBridge,
  wrongCode,
} from './bridge-fixture';

const fast = { iterations: FAST_ITERATIONS };
/** A client that sends its proof whatever the relay proved: how a code guesser behaves. */
const guesser = { iterations: FAST_ITERATIONS, ignoreRelayProof: true };

/** The close code a failed handshake ended with. */
async function closeCodeOf(attempt: Promise<unknown>): Promise<number> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof RelayClosedError)) throw new Error(`expected a close, got ${error}`);
  return error.code;
}

describe('pairing with the code from `hospiai-mcp pair`', () => {
  it('pairs with the right code, then authenticates with the agreed key', async () => {
    const { bridge, home } = await startTestBridge();
    const code = await quickCode(home);

    const pairing = await pairWithRelay(bridge.port, code, fast);

    const stored = await listPairings(home);
    expect(stored.map((p) => p.pairingId)).toEqual([pairing.pairingId]);
    expect(stored[0]?.key).toBe(toBase64Url(pairing.key));
    const connection = await connectToRelay(bridge.port, pairing);
    expect(connection.ready).toMatchObject({
      pairingId: pairing.pairingId,
      relayId: bridge.relayId,
    });
    expect(connection.ready.mcpClient).toEqual({ name: 'Claude Desktop', version: '1.0.0' });
  });

  it('accepts the code as a patient might type it (lowercase, no dash)', async () => {
    const { bridge, home } = await startTestBridge();
    const code = await quickCode(home);

    const typed = code.replace('-', ' ').toLowerCase();
    await expect(pairWithRelay(bridge.port, typed, fast)).resolves.toHaveProperty('pairingId');
  });

  it('stops a mistyped code at the relay proof, before any try is spent', async () => {
    const { bridge, home } = await startTestBridge();
    const code = await quickCode(home);

    await expect(pairWithRelay(bridge.port, wrongCode(code), fast)).rejects.toThrow(
      RelayNotProvenError,
    );

    const pending = JSON.parse(await readFile(path.join(home, 'pending-pairing.json'), 'utf8'));
    expect(pending.triesLeft).toBe(5);
    await expect(pairWithRelay(bridge.port, code, fast)).resolves.toHaveProperty('pairingId');
  });

  it('refuses a guessed wrong code with authFailed and spends one try', async () => {
    const { bridge, home, logs } = await startTestBridge();
    const code = await quickCode(home);

    const closed = await closeCodeOf(pairWithRelay(bridge.port, wrongCode(code), guesser));

    expect(closed).toBe(CloseCode.authFailed);
    expect(await listPairings(home)).toEqual([]);
    const pending = JSON.parse(await readFile(path.join(home, 'pending-pairing.json'), 'utf8'));
    expect(pending.triesLeft).toBe(4);
    expect(logs.join('')).toContain('pairing failed: wrong code');
  });

  it('refuses pairing when no code is pending', async () => {
    const { bridge } = await startTestBridge();
    expect(await closeCodeOf(pairWithRelay(bridge.port, 'ABCD-EFGH', fast))).toBe(
      CloseCode.noPendingCode,
    );
  });

  it('refuses an expired code', async () => {
    const { bridge, home } = await startTestBridge();
    // Written already past its expiry: no wait for the clock.
    const code = await quickCode(home, { ttlMs: -1_000 });

    expect(await closeCodeOf(pairWithRelay(bridge.port, code, fast))).toBe(CloseCode.noPendingCode);
  });

  it('never loses a code written while a connection looks for one', async () => {
    // The extension knocks on the range while the patient's code is being written: a lookup
    // that found no file, then found the new one, once judged it unusable and deleted it.
    const { home } = await startTestBridge();
    for (let round = 0; round < 10; round++) {
      let written = false;
      const knock = async () => {
        while (!written) await lookupPendingPairing(home);
      };
      const knockers = Array.from({ length: 4 }, knock);
      const { salt } = await createPendingPairing(home, fast);
      written = true;
      await Promise.all(knockers);
      const after = await lookupPendingPairing(home);
      expect(after.status === 'pending' && after.salt, `round ${round}`).toBe(salt);
    }
  });

  it('uses a code once only', async () => {
    const { bridge, home } = await startTestBridge();
    const code = await quickCode(home);
    await pairWithRelay(bridge.port, code, fast);

    expect(await closeCodeOf(pairWithRelay(bridge.port, code, fast))).toBe(CloseCode.noPendingCode);
    expect(await listPairings(home)).toHaveLength(1);
  });

  it('locks the code after five wrong tries, even against the right code afterwards', async () => {
    const { bridge, home } = await startTestBridge();
    const code = await quickCode(home);

    for (let i = 0; i < 5; i++) {
      expect(await closeCodeOf(pairWithRelay(bridge.port, wrongCode(code), guesser))).toBe(
        CloseCode.authFailed,
      );
    }

    expect(await closeCodeOf(pairWithRelay(bridge.port, code, fast))).toBe(CloseCode.pairingLocked);
    expect(await listPairings(home)).toEqual([]);
    // The locked code is deleted, not merely refused.
    await expect(stat(path.join(home, 'pending-pairing.json'))).rejects.toThrow(/ENOENT/);
  });

  it('shares the five tries between two relays of the same home', async () => {
    const a = await startTestBridge();
    const b = await startTestBridge({ home: a.home });
    const code = await quickCode(a.home);

    const ports = [a.bridge.port, b.bridge.port, a.bridge.port, b.bridge.port, a.bridge.port];
    const wrong = await Promise.all(
      ports.map((port) => closeCodeOf(pairWithRelay(port, wrongCode(code), guesser))),
    );

    expect(wrong).toEqual(Array(5).fill(CloseCode.authFailed));
    expect(await closeCodeOf(pairWithRelay(b.bridge.port, code, fast))).toBe(
      CloseCode.pairingLocked,
    );
  });

  it('lets a pairing made through relay A authenticate on relay B of the same home', async () => {
    const a = await startTestBridge();
    // B is already running (and has looked at the pairings) before the pairing happens.
    const b = await startTestBridge({ home: a.home });
    const early = await openRawConnection(b.bridge.port);
    await early.close();

    const pairing = await pairWithRelay(a.bridge.port, await quickCode(a.home), fast);

    const onB = await connectToRelay(b.bridge.port, pairing);
    expect(onB.ready).toMatchObject({ pairingId: pairing.pairingId, relayId: b.bridge.relayId });
    expect(b.bridge.relayId).not.toBe(a.bridge.relayId);
  });
});

describe('authentication with an existing pairing', () => {
  it('refuses an unknown pairing id with notPaired', async () => {
    const { bridge, pairing } = await pairedBridge();
    const stranger = { pairingId: 'zzzzzzzzzzzzzzzz', key: pairing.key };

    expect(await closeCodeOf(connectToRelay(bridge.port, stranger))).toBe(CloseCode.notPaired);
  });

  it('closes with internalError and says what to do when the pairings file is corrupt', async () => {
    const { bridge, home, pairing, logs } = await pairedBridge();
    await writeFile(path.join(home, 'pairings.json'), '{"pairings": [');

    expect(await closeCodeOf(connectToRelay(bridge.port, pairing))).toBe(CloseCode.internalError);
    expect(logs.join('')).toContain('is not a valid pairings file');
    expect(logs.join('')).toContain('hospiai-mcp pair');
  });

  it('refuses a proof made with the wrong key', async () => {
    const { bridge, pairing } = await pairedBridge();
    const forged = { pairingId: pairing.pairingId, key: new Uint8Array(32) };

    // The client stops at the relay's proof (the relay proves a key the client does not hold).
    await expect(connectToRelay(bridge.port, forged)).rejects.toThrow(RelayNotProvenError);
  });

  it('refuses a proof captured from an earlier connection (replay)', async () => {
    const { bridge, pairing } = await pairedBridge();
    // An eavesdropper records a complete, successful handshake…
    const first = await openRawConnection(bridge.port);
    const hello = {
      type: 'hello',
      v: PROTOCOL_VERSION,
      mode: 'auth',
      nonce: randomNonce(),
      pairingId: pairing.pairingId,
    } as const;
    first.send(hello);
    const challenge = (await first.nextMessage()) as { nonce: string; portal: string };
    const captured = await signProof('ext', pairing.key, {
      mode: 'auth',
      port: bridge.port,
      portal: challenge.portal,
      extensionNonce: hello.nonce,
      relayNonce: challenge.nonce,
      pairingId: pairing.pairingId,
    });
    first.send({ type: 'proof', proof: captured });
    expect(await first.nextMessage()).toMatchObject({ type: 'ready' });
    await first.close();

    // …and replays the same hello and proof on a new connection: the relay's nonce is fresh.
    const replay = await openRawConnection(bridge.port);
    replay.send(hello);
    expect(await replay.nextMessage()).toMatchObject({ type: 'challenge' });
    replay.send({ type: 'proof', proof: captured });

    expect((await replay.closed).code).toBe(CloseCode.authFailed);
  });
});

describe('a program squatting a relay port', () => {
  it('cannot prove itself during pairing, and receives nothing after the hello', async () => {
    const fake = await startFakeRelay();
    try {
      await expect(pairWithRelay(fake.port, 'ABCD-EFGH', fast)).rejects.toThrow(
        RelayNotProvenError,
      );
      await fake.allClosed();
      expect(fake.received.map((f) => (f as { type: string }).type)).toEqual(['hello']);
    } finally {
      await fake.close();
    }
  });

  it('cannot prove itself to a paired extension, which then sends no proof and no token', async () => {
    const fake = await startFakeRelay();
    try {
      const pairing = { pairingId: 'abcdefgh12345678', key: new Uint8Array(32).fill(7) };
      await expect(connectToRelay(fake.port, pairing)).rejects.toThrow(/not your relay/);
      await fake.allClosed();
      expect(fake.received).toEqual([expect.objectContaining({ type: 'hello', mode: 'auth' })]);
    } finally {
      await fake.close();
    }
  });
});

describe('pairing files', () => {
  it('are 0600, and neither the home nor the logs ever contain the code', async () => {
    const { bridge, home, logs } = await startTestBridge();
    const printed: string[] = [];
    await pair({
      args: ['--json'],
      env: {},
      home,
      out: (text) => printed.push(text),
      err: () => {},
      logger: silentLogger,
    });
    const { code } = JSON.parse(printed.join('')) as { code: string };
    const normalized = normalizePairingCode(code) ?? '';

    // A wrong try first, so that the pending file is rewritten, then the real pairing (with
    // the real PBKDF2 cost, as the extension does).
    await closeCodeOf(pairWithRelay(bridge.port, wrongCode(code), { ignoreRelayProof: true }));
    const pending = await readFile(path.join(home, 'pending-pairing.json'), 'utf8');
    await pairWithRelay(bridge.port, code);

    const names = await readdir(home);
    expect(names).toEqual(['pairings.json']);
    for (const name of names) {
      const file = path.join(home, name);
      expect((await stat(file)).mode & 0o777, name).toBe(0o600);
      const text = await readFile(file, 'utf8');
      expect(text).not.toContain(code);
      expect(text).not.toContain(normalized);
    }
    expect(pending).not.toContain(normalized);
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    const allLogs = logs.join('');
    expect(allLogs).toContain('pairing succeeded');
    expect(allLogs).not.toContain(code);
    expect(allLogs).not.toContain(normalized);
  });
});

describe('a squatter that forwards to the real relay from another port of the range', () => {
  // The proofs bind the port: the relay signs with its own port, the extension checks against the
  // port it dialled, so a handshake passed through from another port never verifies.
  it('is refused by the extension before any token is sent', async () => {
    const { bridge, pairing } = await pairedBridge();
    const forwarder = await startForwardingRelay(bridge.port);
    try {
      const outcome = await connectToRelay(forwarder.port, pairing).catch(
        (error: unknown) => error,
      );
      expect(outcome).toBeInstanceOf(RelayNotProvenError);
      await forwarder.extensionClosed;
      const types = forwarder.seen.map((s) => (s.frame as { type: string }).type);
      expect(types).toEqual(expect.arrayContaining(['hello', 'challenge']));
      expect(types).not.toContain('proof');
      expect(types).not.toContain('token');
    } finally {
      await forwarder.close();
    }
  });
});
