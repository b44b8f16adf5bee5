/**
 * The extension's side of one handshake, step by step, decided from the frames alone: our hello;
 * the relay's challenge, checked before anything of ours is sent (the relay proves itself
 * first), answered with our proof — in pair mode for the offer made with our code, or refused;
 * then `ready`, or — with a code we made — the pairing that waits for the patient's check. The
 * connection around it (socket, deadline, order) is relay-connection.ts. Shared by the extension
 * and the relay's `doctor` and tests, so it lives with the contract, free of browser and Node.
 * (Over 250 lines: the credentials and guards its callers pass in are declared here, beside the
 * one place that reads them.)
 */
import {
  deriveCheckValue,
  derivePairingKey,
  fromBase64Url,
  type HandshakeContext,
  importPairingKey,
  type PairingKey,
  randomNonce,
  signProof,
  stretchPairingCode,
  verifyProof,
} from './handshake-crypto';
import {
  AwaitingConfirmationFrame,
  ChallengeFrame,
  ChallengeVersion,
  CloseCode,
  type HelloFrame,
  type McpClientInfo,
  PairChallengeFrame,
  type PairProofFrame,
  PROTOCOL_VERSION,
  parseFrame,
  ReadyFrame,
} from './protocol';
import type { RelayCloseOutcome } from './relay-close-outcome';

/** The pairing secret shared by the extension and the relays of a home. */
export interface Pairing {
  pairingId: string;
  /** A non-extractable CryptoKey in the extension; raw bytes in the relay's tools and tests. */
  key: PairingKey;
}

export type RelayCredentials =
  | { mode: 'auth'; pairing: Pairing }
  /** Like auth, but the relay answers `ready` and `status` and closes: `doctor` uses it so that
   * the extension's own session with the relay is left as it is. */
  | { mode: 'probe'; pairing: Pairing }
  /** The pairing the patient confirmed (the check values matched): the relay keeps it. */
  | { mode: 'confirm'; pairing: Pairing }
  /** `code`: the normalised code the patient typed (the relay made it and showed it). */
  | { mode: 'pair'; codeMadeBy: 'relay'; code: string; typed?: TypedCodeGuard }
  /**
   * `code`: the normalised code we made and showed; a `guard` counts the relays' wrong proofs
   * as tries (see pending-pairing.ts).
   */
  | { mode: 'pair'; codeMadeBy: 'extension'; code: string; guard?: PairingGuard };

/**
 * Tries of a code the patient typed (the relay made it). A wrong typed code never reaches the
 * relay (its proof simply does not verify), so the extension counts them itself, per relay code
 * (salt), to tell the patient how many are left and to stop checking after the last one.
 */
export interface TypedCodeGuard {
  /** May this relay code be checked against a typed code? No once its tries are spent. */
  admit(salt: string): boolean;
  /** The typed `code` did not verify against the relay code `salt`. */
  wrong(salt: string, code: string): void;
}

/** Tries of a code the extension made, judged per salt (the code the relay stretched). */
export interface PairingGuard {
  /** May the relay's proof for this salt be checked? No: the connection ends, nothing sent. */
  admit(salt: string): boolean;
  /** It did not verify: spends a try of that port (the relay is told nothing about tries). */
  refuse(salt: string): void;
  match(salt: string): void;
}

export interface RelayReady {
  relayId: string;
  mcpClient: McpClientInfo | null;
  /** The pairing this connection proved; a new one (with its key K) in pair mode. */
  pairing: Pairing;
  /** The portal the relay serves, as its proof covered it. */
  portal: string;
}

/** Pair mode with a code we made: what the patient must confirm before we pair. */
export interface PairingCandidate {
  /** The new pairing, kept by neither side until the patient confirms. */
  pairing: Pairing;
  /** The value both sides show (`482 913`). */
  checkValue: string;
  /** What the AI client calls itself — its word, never an identity. */
  mcpClient: McpClientInfo | null;
  expiresAt: string;
  portal: string;
}

/** What the connection does next. */
export type ClientStep =
  | { kind: 'send'; frame: object }
  | { kind: 'ready'; ready: RelayReady }
  | { kind: 'awaiting'; candidate: PairingCandidate }
  /** `send`: a last frame for an unproven relay (our refusal of its codes), then close. */
  | { kind: 'fail'; outcome: RelayCloseOutcome; detail: string; code?: number; send?: object };

export interface ExtensionHandshakeOptions {
  port: number;
  credentials: RelayCredentials;
  /** Pair mode: PBKDF2 iterations (tests lower it together with the relay's). */
  stretchIterations?: number;
  /** Pair mode: how the new K is held (default: a non-extractable key). */
  holdKey?: (key: Uint8Array) => Promise<PairingKey>;
}

const fail = (
  outcome: RelayCloseOutcome,
  detail: string,
  code: number = CloseCode.protocolError,
  send?: object,
): ClientStep => ({ kind: 'fail', outcome, detail, code, ...(send ? { send } : {}) });

export class ExtensionHandshake {
  #nonce = randomNonce();
  #proved: { stretched: Uint8Array | null; ctx: HandshakeContext } | null = null;

  constructor(private readonly options: ExtensionHandshakeOptions) {}

  hello(): HelloFrame {
    const { credentials } = this.options;
    return credentials.mode === 'pair'
      ? {
          type: 'hello',
          v: PROTOCOL_VERSION,
          mode: 'pair',
          nonce: this.#nonce,
          codeMadeBy: credentials.codeMadeBy,
        }
      : {
          type: 'hello',
          v: PROTOCOL_VERSION,
          mode: credentials.mode,
          nonce: this.#nonce,
          pairingId: credentials.pairing.pairingId,
        };
  }

  /** The relay's challenge. `stillOpen` is asked between the slow steps (PBKDF2). */
  async challenge(data: string, stillOpen: () => boolean): Promise<ClientStep> {
    const version = parseFrame(ChallengeVersion, data);
    if (!version.ok) return fail('untrusted', `no valid challenge: ${version.error}`);
    if (version.frame.v !== PROTOCOL_VERSION) {
      return fail(
        'version_mismatch',
        `relay speaks protocol v${version.frame.v}`,
        CloseCode.versionMismatch,
      );
    }
    const { credentials } = this.options;
    if (credentials.mode === 'pair') return this.#answerOffers(data, credentials, stillOpen);

    const parsed = parseFrame(ChallengeFrame, data);
    if (!parsed.ok) return fail('untrusted', `no valid challenge: ${parsed.error}`);
    const challenge = parsed.frame;
    const ctx: HandshakeContext = {
      mode: credentials.mode,
      port: this.options.port,
      portal: challenge.portal,
      extensionNonce: this.#nonce,
      relayNonce: challenge.nonce,
      pairingId: credentials.pairing.pairingId,
    };
    const { key } = credentials.pairing;
    if (!(await verifyProof('relay', key, ctx, challenge.proof))) {
      // The one rule that matters most: an unproven relay gets nothing more from us.
      return fail('untrusted', 'the relay could not prove it knows the pairing secret');
    }
    this.#proved = { stretched: null, ctx };
    return { kind: 'send', frame: { type: 'proof', proof: await signProof('ext', key, ctx) } };
  }

  /** The relay's last handshake frame: `ready`, or, with a code we made, the check to make. */
  async final(data: string): Promise<ClientStep> {
    const proved = this.#proved;
    if (!proved) return fail('protocol_error', 'frame out of turn');
    const { credentials } = this.options;
    if (credentials.mode === 'pair' && credentials.codeMadeBy === 'extension') {
      return this.#awaiting(data, proved);
    }
    const parsed = parseFrame(ReadyFrame, data);
    if (!parsed.ok) return fail('protocol_error', `expected ready: ${parsed.error}`);
    const ready = parsed.frame;
    let pairing: Pairing;
    if (credentials.mode !== 'pair') {
      if (ready.pairingId !== credentials.pairing.pairingId) {
        return fail('protocol_error', 'ready for another pairing');
      }
      pairing = credentials.pairing;
    } else {
      if (!proved.stretched) return fail('protocol_error', 'pairing state lost');
      const raw = await derivePairingKey(
        proved.stretched,
        proved.ctx.extensionNonce,
        proved.ctx.relayNonce,
      );
      pairing = { pairingId: ready.pairingId, key: await this.#hold(raw) };
    }
    return {
      kind: 'ready',
      ready: {
        relayId: ready.relayId,
        mcpClient: ready.mcpClient,
        pairing,
        portal: proved.ctx.portal,
      },
    };
  }

  /** Pair mode: find the relay's offer made with our code; answer it, or refuse them all. */
  async #answerOffers(
    data: string,
    credentials: Extract<RelayCredentials, { mode: 'pair' }>,
    stillOpen: () => boolean,
  ): Promise<ClientStep> {
    const parsed = parseFrame(PairChallengeFrame, data);
    if (!parsed.ok) return fail('untrusted', `no valid pairing challenge: ${parsed.error}`);
    const challenge = parsed.frame;
    const base: HandshakeContext = {
      mode: 'pair',
      port: this.options.port,
      portal: challenge.portal,
      extensionNonce: this.#nonce,
      relayNonce: challenge.nonce,
      codeMadeBy: credentials.codeMadeBy,
    };
    const admit = (salt: string) =>
      credentials.codeMadeBy === 'extension'
        ? (credentials.guard?.admit(salt) ?? true)
        : (credentials.typed?.admit(salt) ?? true);
    const judged: string[] = [];
    let found: { salt: string; stretched: Uint8Array } | null = null;
    for (const offer of challenge.offers) {
      if (judged.includes(offer.salt) || !admit(offer.salt)) continue;
      judged.push(offer.salt);
      const stretched = await stretchPairingCode(
        credentials.code,
        fromBase64Url(offer.salt),
        this.options.stretchIterations,
      );
      if (!stillOpen()) return fail('closed', 'closed while checking the relay');
      if (await verifyProof('relay', stretched, { ...base, salt: offer.salt }, offer.proof)) {
        found = { salt: offer.salt, stretched };
        break;
      }
    }
    if (!found) return refuseOffers(credentials, judged);
    if (credentials.codeMadeBy === 'extension') credentials.guard?.match(found.salt);
    const checkNonce = credentials.codeMadeBy === 'extension' ? randomNonce() : undefined;
    const ctx: HandshakeContext = { ...base, salt: found.salt, checkNonce };
    this.#proved = { stretched: found.stretched, ctx };
    const answer: PairProofFrame = {
      type: 'proof',
      salt: found.salt,
      proof: await signProof('ext', found.stretched, ctx),
      checkNonce,
    };
    return { kind: 'send', frame: answer };
  }

  /** A code we made: the relay holds the new key; we compute the check value and stop here. */
  async #awaiting(
    data: string,
    proved: { stretched: Uint8Array | null; ctx: HandshakeContext },
  ): Promise<ClientStep> {
    const parsed = parseFrame(AwaitingConfirmationFrame, data);
    if (!parsed.ok) return fail('protocol_error', `expected awaiting: ${parsed.error}`);
    const { ctx, stretched } = proved;
    if (!stretched || !ctx.checkNonce) return fail('protocol_error', 'pairing state lost');
    const raw = await derivePairingKey(stretched, ctx.extensionNonce, ctx.relayNonce);
    const checkValue = await deriveCheckValue(raw, {
      extensionNonce: ctx.extensionNonce,
      relayNonce: ctx.relayNonce,
      checkNonce: ctx.checkNonce,
    });
    return {
      kind: 'awaiting',
      candidate: {
        pairing: { pairingId: parsed.frame.pairingId, key: await this.#hold(raw) },
        checkValue,
        mcpClient: parsed.frame.mcpClient,
        expiresAt: parsed.frame.expiresAt,
        portal: ctx.portal,
      },
    };
  }

  #hold(raw: Uint8Array): Promise<PairingKey> {
    return (this.options.holdKey ?? importPairingKey)(raw);
  }
}

/**
 * None of the relay's offers is our code (or none could be judged). An unproven relay learns
 * only that: with a code we made, `pair_refused`, and each wrong offer spends a try.
 */
function refuseOffers(
  credentials: Extract<RelayCredentials, { mode: 'pair' }>,
  judged: string[],
): ClientStep {
  if (judged.length === 0) {
    return credentials.codeMadeBy === 'extension'
      ? fail('no_pending_code', 'these codes were already judged', CloseCode.normal)
      : fail('pairing_locked', 'too many wrong codes typed', CloseCode.normal);
  }
  if (credentials.codeMadeBy === 'extension') {
    for (const salt of judged) credentials.guard?.refuse(salt);
    return fail('code_mismatch', 'the relay has another code', CloseCode.codeMismatch, {
      type: 'pair_refused',
      reason: 'code_mismatch',
    });
  }
  for (const salt of judged) credentials.typed?.wrong(salt, credentials.code);
  return fail('untrusted', 'the relay could not prove it knows the typed code');
}
