/**
 * The relay's side of one handshake, step by step, decided from the frames alone: the
 * extension's hello gets our challenge (we prove ourselves first: with the pairing key, or one
 * proof per code we offer), its proof gets `ready`, a probe's answer, or — for a code the
 * extension made — the pairing that waits for the patient's check (pairing-offers.ts). The
 * connection around it (deadlines, order, limits) is extension-session.ts.
 */
import { z } from 'zod';
import type { Logger } from '../logger';
import {
  deriveCheckValue,
  derivePairingKey,
  type HandshakeContext,
  randomNonce,
  signProof,
  verifyProof,
} from '../protocol/handshake-crypto';
import {
  type ChallengeFrame,
  CloseCode,
  type CodeMadeBy,
  type HelloFrame,
  type PairChallengeFrame,
  PairProofFrame,
  PairRefusedFrame,
  PROTOCOL_VERSION,
  ProofFrame,
} from '../protocol/protocol';
import type { PairAttempt, PairingOffers } from './pairing-offers';
import { findPairingKey } from './pairing-store';

/** What the session does next. */
export type HandshakeStep =
  /**
   * Send our challenge; `pairing`: the extension stretches a code first, or its confirmation
   * may wait for the candidate's quiet time — give it the pairing deadline.
   */
  | { kind: 'challenge'; frame: ChallengeFrame | PairChallengeFrame; pairing: boolean }
  | { kind: 'ready'; pairingId: string }
  /** `doctor`'s probe: ready and status, then goodbye. */
  | { kind: 'probe'; pairingId: string }
  /** Both proofs of a code the extension made verified: the patient compares the values. */
  | { kind: 'awaiting'; pairingId: string; expiresAt: string }
  | { kind: 'close'; code: CloseCode; reason: string };

export interface RelayHandshakeOptions {
  offers: PairingOffers;
  /** The portal this relay serves: stated in every challenge, covered by its proof. */
  portal: string;
  /** The connection's `Origin`, checked at the upgrade; a pairing pins it. */
  origin: string;
  /** The port this relay listens on, bound into every proof. */
  port: number;
  logger: Logger;
}

/** What a pair-mode extension answers our challenge with. */
const PairAnswerFrame = z.discriminatedUnion('type', [PairProofFrame, PairRefusedFrame]);

type Challenged =
  | { mode: 'pair'; ctx: HandshakeContext; codeMadeBy: CodeMadeBy; salts: string[] }
  | {
      mode: 'auth' | 'probe' | 'confirm';
      ctx: HandshakeContext;
      key: Uint8Array;
      pairingId: string;
    };

const close = (code: CloseCode, reason: string): HandshakeStep => ({ kind: 'close', code, reason });

export class RelayHandshake {
  #challenged: Challenged | null = null;
  readonly #log: Logger;

  constructor(private readonly options: RelayHandshakeOptions) {
    this.#log = options.logger;
  }

  /** The schema the extension's answer to our challenge must match. */
  get answerSchema(): z.ZodType<z.infer<typeof PairAnswerFrame> | z.infer<typeof ProofFrame>> {
    return this.#challenged?.mode === 'pair' ? PairAnswerFrame : ProofFrame;
  }

  async hello(hello: HelloFrame): Promise<HandshakeStep> {
    const base = {
      port: this.options.port,
      portal: this.options.portal,
      extensionNonce: hello.nonce,
      relayNonce: randomNonce(),
    };
    if (hello.mode === 'pair') return this.#challengePairing(hello.codeMadeBy, base);

    const { offers, origin } = this.options;
    const key =
      hello.mode === 'confirm'
        ? offers.candidateKey(hello.pairingId, origin)
        : await findPairingKey(offers.home, hello.pairingId, origin);
    if (!key) {
      this.#log.info('connection refused: unknown pairing', {
        pairingId: hello.pairingId,
        mode: hello.mode,
      });
      return close(
        CloseCode.notPaired,
        hello.mode === 'confirm'
          ? 'no pairing waits for confirmation: show a new code'
          : 'not paired with this relay: pair again',
      );
    }
    const ctx: HandshakeContext = { mode: hello.mode, ...base, pairingId: hello.pairingId };
    this.#challenged = { mode: hello.mode, ctx, key, pairingId: hello.pairingId };
    const proof = await signProof('relay', key, ctx);
    return {
      kind: 'challenge',
      pairing: hello.mode === 'confirm',
      frame: {
        type: 'challenge',
        v: PROTOCOL_VERSION,
        nonce: base.relayNonce,
        portal: base.portal,
        proof,
      },
    };
  }

  /**
   * The extension's answer to our challenge (parsed with `answerSchema`). `stillOpen` is asked
   * before anything is kept, so a connection that ended meanwhile confirms nothing.
   */
  async answer(
    frame: z.infer<typeof PairAnswerFrame> | z.infer<typeof ProofFrame>,
    stillOpen: () => boolean,
  ): Promise<HandshakeStep> {
    const challenged = this.#challenged;
    if (!challenged) return close(CloseCode.protocolError, 'a proof before any challenge');
    if (challenged.mode === 'pair') {
      return frame.type === 'proof' && 'salt' in frame
        ? this.#pairProof(frame, challenged)
        : this.#pairRefused(challenged);
    }
    if (frame.type !== 'proof') return close(CloseCode.protocolError, 'expected a proof');
    const valid = await verifyProof('ext', challenged.key, challenged.ctx, frame.proof);
    if (!valid) {
      this.#log.warn('connection refused: wrong proof', { pairingId: challenged.pairingId });
      return close(CloseCode.authFailed, 'authentication failed');
    }
    const { pairingId } = challenged;
    if (challenged.mode === 'probe') return { kind: 'probe', pairingId };
    if (challenged.mode === 'confirm') {
      if (!stillOpen() || !(await this.options.offers.confirm(pairingId))) {
        return close(CloseCode.notPaired, 'the pairing to confirm expired: show a new code');
      }
      this.#log.info('pairing confirmed by the patient', { pairingId });
    }
    return { kind: 'ready', pairingId };
  }

  /** Pair mode: a proof per code we hold of the kind the extension holds, ours first. */
  async #challengePairing(
    codeMadeBy: CodeMadeBy,
    base: Omit<HandshakeContext, 'mode'>,
  ): Promise<HandshakeStep> {
    const offers = await this.options.offers.offers(codeMadeBy);
    if (offers === 'locked') {
      this.#log.warn('pairing refused: too many wrong codes, the code is now void');
      return close(CloseCode.pairingLocked, 'too many wrong codes: run hospiai-mcp pair again');
    }
    if (offers.length === 0) {
      this.#log.info('pairing refused: no pending pairing code', { codeMadeBy });
      return close(CloseCode.noPendingCode, 'no pairing code is waiting: run hospiai-mcp pair');
    }
    const ctx: HandshakeContext = { mode: 'pair', ...base, codeMadeBy };
    const signed = await Promise.all(
      offers.map(async ({ salt, stretched }) => ({
        salt,
        proof: await signProof('relay', stretched, { ...ctx, salt }),
      })),
    );
    this.#challenged = { mode: 'pair', ctx, codeMadeBy, salts: signed.map((offer) => offer.salt) };
    return {
      kind: 'challenge',
      pairing: true,
      frame: {
        type: 'challenge',
        v: PROTOCOL_VERSION,
        nonce: base.relayNonce,
        portal: base.portal,
        offers: signed,
      },
    };
  }

  /** Whoever sent it proved nothing: it ends this connection and changes nothing else. */
  #pairRefused(challenged: Extract<Challenged, { mode: 'pair' }>): HandshakeStep {
    this.#log.info('pairing refused by the peer: its code differs');
    if (challenged.codeMadeBy === 'extension') this.options.offers.noteRefused(challenged.salts);
    return close(CloseCode.codeMismatch, 'the extension’s code differs');
  }

  async #pairProof(
    frame: z.infer<typeof PairProofFrame>,
    challenged: Extract<Challenged, { mode: 'pair' }>,
  ): Promise<HandshakeStep> {
    if (!challenged.salts.includes(frame.salt)) {
      return close(CloseCode.protocolError, 'a proof for a code that was not offered');
    }
    if (challenged.codeMadeBy === 'extension' && !frame.checkNonce) {
      return close(CloseCode.protocolError, 'a code the extension made needs a check nonce');
    }
    const ctx: HandshakeContext = {
      ...challenged.ctx,
      salt: frame.salt,
      checkNonce: frame.checkNonce,
    };
    const attempt = await this.options.offers.attempt({
      codeMadeBy: challenged.codeMadeBy,
      salt: frame.salt,
      origin: this.options.origin,
      verify: (stretched) => verifyProof('ext', stretched, ctx, frame.proof),
      deriveKey: (stretched) => derivePairingKey(stretched, ctx.extensionNonce, ctx.relayNonce),
      checkValue: (key) =>
        deriveCheckValue(key, {
          extensionNonce: ctx.extensionNonce,
          relayNonce: ctx.relayNonce,
          checkNonce: frame.checkNonce ?? '',
        }),
    });
    return this.#afterAttempt(attempt);
  }

  #afterAttempt(attempt: PairAttempt): HandshakeStep {
    switch (attempt.outcome) {
      case 'paired':
        this.#log.info('pairing succeeded', { pairingId: attempt.pairingId });
        return { kind: 'ready', pairingId: attempt.pairingId };
      case 'awaiting':
        this.#log.info('pairing waits for the patient to compare the check values', {
          pairingId: attempt.pairingId,
        });
        return { kind: 'awaiting', pairingId: attempt.pairingId, expiresAt: attempt.expiresAt };
      case 'wrongProof':
        this.#log.warn('pairing failed: wrong code', { triesLeft: attempt.triesLeft });
        return close(CloseCode.authFailed, `wrong pairing code (${attempt.triesLeft} tries left)`);
      case 'locked':
        this.#log.warn('pairing refused: too many wrong codes, the code is now void');
        return close(CloseCode.pairingLocked, 'too many wrong codes: run hospiai-mcp pair again');
      case 'answeredTwice':
        this.#log.warn('pairing refused: two programs proved the code the extension made; it is void');
        return close(CloseCode.codeAnsweredTwice, 'another program answered this code: it is void');
      case 'noPendingCode':
        this.#log.info('pairing failed: the code expired or was used meanwhile');
        return close(CloseCode.noPendingCode, 'the pairing code expired or was already used');
    }
  }
}
