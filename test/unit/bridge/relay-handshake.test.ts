/**
 * The relay's handshake steps on their own, without a socket: what each hello and each answer
 * gets, and what is kept (a pairing, a candidate) only when the proofs say so.
 */
import { describe, expect, it } from 'vitest';
import { PairingOffers } from '../../../relay/bridge/pairing-offers';
import { listPairings } from '../../../relay/bridge/pairing-store';
import { type HandshakeStep, RelayHandshake } from '../../../relay/bridge/relay-handshake';
import { createLogger } from '../../../relay/logger';
import {
  deriveCheckValue,
  derivePairingKey,
  fromBase64Url,
  type HandshakeContext,
  normalizePairingCode,
  randomNonce,
  signProof,
  stretchPairingCode,
  verifyProof,
} from '../../../relay/protocol/handshake-crypto';
import { CloseCode, PairChallengeFrame, PROTOCOL_VERSION } from '../../../relay/protocol/protocol';
import { EXTENSION_ORIGIN } from '../../support/bridge-test-client';
import { FAST_ITERATIONS, TEST_PORTAL, tempHome } from './bridge-fixture';

const PORT = 47_615;

async function handshake() {
  const home = await tempHome();
  const offers = new PairingOffers({ home, iterations: FAST_ITERATIONS });
  const logs: string[] = [];
  const relay = new RelayHandshake({
    offers,
    portal: TEST_PORTAL,
    origin: EXTENSION_ORIGIN,
    port: PORT,
    logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
  });
  return { home, offers, relay, logs };
}

const pairHello = (codeMadeBy: 'relay' | 'extension') =>
  ({
    type: 'hello',
    v: PROTOCOL_VERSION,
    mode: 'pair',
    nonce: randomNonce(),
    codeMadeBy,
  }) as const;

function closed(step: HandshakeStep): number | null {
  return step.kind === 'close' ? step.code : null;
}

/** The extension's answer to a pair challenge, with the code it holds. */
async function answerWith(
  code: string,
  hello: ReturnType<typeof pairHello>,
  step: HandshakeStep,
  checkNonce?: string,
) {
  if (step.kind !== 'challenge') throw new Error(`no challenge: ${JSON.stringify(step)}`);
  const challenge = PairChallengeFrame.parse(step.frame);
  const [offer] = challenge.offers;
  if (!offer) throw new Error('no offer');
  const ctx: HandshakeContext = {
    mode: 'pair',
    port: PORT,
    portal: challenge.portal,
    extensionNonce: hello.nonce,
    relayNonce: challenge.nonce,
    codeMadeBy: hello.codeMadeBy,
    salt: offer.salt,
    checkNonce,
  };
  const stretched = await stretchPairingCode(
    normalizePairingCode(code) ?? '',
    fromBase64Url(offer.salt),
    FAST_ITERATIONS,
  );
  const relayProved = await verifyProof('relay', stretched, ctx, offer.proof);
  const frame = {
    type: 'proof' as const,
    salt: offer.salt,
    proof: await signProof('ext', stretched, ctx),
    ...(checkNonce ? { checkNonce } : {}),
  };
  const key = await derivePairingKey(stretched, ctx.extensionNonce, ctx.relayNonce);
  return { frame, relayProved, key, ctx, portal: challenge.portal };
}

describe('the relay’s handshake steps', () => {
  it('asks to pair with no code offered: closed, nothing kept', async () => {
    const { relay, home } = await handshake();
    expect(closed(await relay.hello(pairHello('relay')))).toBe(CloseCode.noPendingCode);
    expect(closed(await relay.hello(pairHello('extension')))).toBe(CloseCode.noPendingCode);
    expect(await listPairings(home)).toEqual([]);
  });

  it('proves the code it showed first, under its portal, and pairs on the extension’s proof', async () => {
    const { relay, offers, home } = await handshake();
    const { code } = await offers.showCode();
    const hello = pairHello('relay');
    const step = await relay.hello(hello);
    expect(step).toMatchObject({ kind: 'challenge', pairing: true });
    const answer = await answerWith(code, hello, step);
    expect(answer.relayProved).toBe(true);
    expect(answer.portal).toBe(TEST_PORTAL);
    const done = await relay.answer(answer.frame, () => true);
    expect(done.kind).toBe('ready');
    expect((await listPairings(home)).map((p) => p.pairingId)).toEqual([
      done.kind === 'ready' ? done.pairingId : '',
    ]);
  });

  it('with a told code, keeps a candidate whose check value both sides derive alike — and no pairing', async () => {
    const { relay, offers, home } = await handshake();
    await offers.tellCode('K7QM2XD9');
    const hello = pairHello('extension');
    const step = await relay.hello(hello);
    const checkNonce = randomNonce();
    const answer = await answerWith('K7QM-2XD9', hello, step, checkNonce);
    const done = await relay.answer(answer.frame, () => true);
    expect(done.kind).toBe('awaiting');
    const value = await deriveCheckValue(answer.key, {
      extensionNonce: answer.ctx.extensionNonce,
      relayNonce: answer.ctx.relayNonce,
      checkNonce,
    });
    expect(offers.candidate()?.checkValue).toBe(value);
    expect(await listPairings(home)).toEqual([]);
  });

  it('refuses a told code’s proof without a check nonce, and a proof for a code not offered', async () => {
    const { relay, offers } = await handshake();
    await offers.tellCode('K7QM2XD9');
    const hello = pairHello('extension');
    const step = await relay.hello(hello);
    const answer = await answerWith('K7QM-2XD9', hello, step);
    expect(closed(await relay.answer(answer.frame, () => true))).toBe(CloseCode.protocolError);
    // Nothing was spent on it: the code is offered again, and a proof for another salt fails.
    const other = await relay.hello(pairHello('extension'));
    expect(other.kind).toBe('challenge');
    const stray = { ...answer.frame, salt: 'A'.repeat(22), checkNonce: randomNonce() };
    expect(closed(await relay.answer(stray, () => true))).toBe(CloseCode.protocolError);
  });

  it('a refusal ends the connection and keeps the told code offered', async () => {
    const { relay, offers } = await handshake();
    await offers.tellCode('K7QM2XD9');
    await relay.hello(pairHello('extension'));
    const step = await relay.answer({ type: 'pair_refused', reason: 'code_mismatch' }, () => true);
    expect(closed(step)).toBe(CloseCode.codeMismatch);
    expect(await offers.offers('extension')).toHaveLength(1);
  });

  it('a confirm for no candidate, or an auth for an unknown pairing, is told not paired', async () => {
    const { relay } = await handshake();
    for (const mode of ['confirm', 'auth', 'probe'] as const) {
      const step = await relay.hello({
        type: 'hello',
        v: PROTOCOL_VERSION,
        mode,
        nonce: randomNonce(),
        pairingId: 'abcdefgh12345678',
      });
      expect(closed(step)).toBe(CloseCode.notPaired);
    }
  });

  it('keeps nothing from a confirm whose connection ended before its proof was checked', async () => {
    const { relay, offers, home } = await handshake();
    await offers.tellCode('K7QM2XD9');
    const hello = pairHello('extension');
    const answer = await answerWith('K7QM-2XD9', hello, await relay.hello(hello), randomNonce());
    const awaiting = await relay.answer(answer.frame, () => true);
    if (awaiting.kind !== 'awaiting') throw new Error('not awaiting');
    const confirm = new RelayHandshake({
      offers,
      portal: TEST_PORTAL,
      origin: EXTENSION_ORIGIN,
      port: PORT,
      logger: createLogger({ level: 'error', write: () => {} }),
    });
    const confirmHello = {
      type: 'hello',
      v: PROTOCOL_VERSION,
      mode: 'confirm',
      nonce: randomNonce(),
      pairingId: awaiting.pairingId,
    } as const;
    const challenge = await confirm.hello(confirmHello);
    if (challenge.kind !== 'challenge' || !('proof' in challenge.frame))
      throw new Error('no challenge');
    const ctx: HandshakeContext = {
      mode: 'confirm',
      port: PORT,
      portal: TEST_PORTAL,
      extensionNonce: confirmHello.nonce,
      relayNonce: challenge.frame.nonce,
      pairingId: awaiting.pairingId,
    };
    const proof = { type: 'proof' as const, proof: await signProof('ext', answer.key, ctx) };
    expect(closed(await confirm.answer(proof, () => false))).toBe(CloseCode.notPaired);
    expect(await listPairings(home)).toEqual([]);
    expect(offers.candidate()).not.toBeNull();
  });
});
