/**
 * The gate every tool call of an unpaired relay passes (pairing with no terminal):
 * - a pairing waiting for the patient's check: the call answers NOT_PAIRED with the value to
 *   compare, whatever the client (the code went through the chat or the install settings);
 * - a client with forms (MCP elicitation): the relay shows a code of its own in the form — the
 *   model never sees it — and the patient types it into the extension's window; the form closes
 *   itself once the extension has it, the token arrives, and the call goes on;
 * - any other client: the tool's NOT_PAIRED answer names the other ways.
 */

import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { clientSupportsFormElicitation } from '../confirm/patient-confirmation';
import { ErrorCode, RelayError } from '../errors';
import type { Translate } from '../i18n/messages';
import type { Logger } from '../logger';
import type { TokenVault } from '../token/token-vault';
import type { PairingChannel, PatientPairingOutcome } from './patient-pairing';

/** Tools that run without a pairing: they must never show a code. */
const WITHOUT_PAIRING = new Set(['connection_status', 'connect_extension']);
/** After pairing, how long to wait for the extension to deliver the token. */
const TOKEN_WAIT_MS = 5_000;
/** After the patient closed the form, how long the extension still has to finish pairing. */
const AFTER_FORM_MS = 10_000;

export interface PairingGateOptions {
  server: Server;
  pairing: PairingChannel;
  vault: TokenVault;
  t: Translate;
  logger: Logger;
  /** How long the form stays open for the patient (default: the code's lifetime). */
  formTimeoutMs?: number;
  tokenWaitMs?: number;
}

/** Returns the gate tool calls pass through; it throws only when the patient must act. */
export function createPairingGate(options: PairingGateOptions) {
  const { server, pairing, vault, t, logger } = options;
  /** One form at a time, whatever the number of calls the model makes meanwhile. */
  let asking: Promise<void> | null = null;

  async function showCodeInForm(): Promise<void> {
    const { code, expiresAt } = await pairing.showCode();
    // The machine's local time, as the patient's clock shows it (HH:MM).
    const until = new Date(expiresAt).toTimeString().slice(0, 5);
    const version = vault.version;
    const form = new AbortController();
    const paired = pairing.waitForPairing(Date.parse(expiresAt) - Date.now(), form.signal);
    const answered = server
      .elicitInput(
        {
          mode: 'form',
          message: t('PAIR_SHOW', { code, until }),
          requestedSchema: { type: 'object', properties: {} },
        },
        {
          timeout: options.formTimeoutMs ?? Math.max(0, Date.parse(expiresAt) - Date.now()),
          signal: form.signal,
        },
      )
      .then(
        (answer) => answer.action,
        (error: unknown) => {
          if (!form.signal.aborted)
            logger.info('the pairing form ended without an answer', {
              error: (error as Error).message,
            });
          return 'cancel' as const;
        },
      );
    const first = await Promise.race([paired.then(() => 'paired' as const), answered]);
    // Paired while the form was open: it has served, close it (the client is told to).
    if (first === 'paired' || (await waitAfterForm(first, paired))) {
      form.abort();
      logger.info('paired with the code shown in the AI client’s form');
      await vault.waitForNewer(version, options.tokenWaitMs ?? TOKEN_WAIT_MS);
      return;
    }
    form.abort();
    if (first === 'accept') {
      throw new RelayError(ErrorCode.NOT_PAIRED, t('PAIR_SHOWN_NOT_TYPED', { until }), {
        pairing: 'code_shown',
      });
    }
    // Declined or closed: the call says NOT_PAIRED; the code stays valid until it expires.
  }

  /**
   * "OK" right after typing: the extension may still be stretching the code — waited for only
   * when an extension did ask for it just now.
   */
  async function waitAfterForm(action: string, paired: Promise<boolean>): Promise<boolean> {
    if (action !== 'accept' || !pairing.pairingUnderWay(AFTER_FORM_MS)) return false;
    return Promise.race([
      paired,
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), AFTER_FORM_MS)),
    ]);
  }

  return async function pairingGate(toolName: string): Promise<void> {
    if (WITHOUT_PAIRING.has(toolName)) return;
    const waiting = pairing.awaitingCheck();
    if (waiting) throw checkError(waiting.checkValue, t);
    // A token in hand (HOSPIAI_TOKEN, or one delivered) or one taken back: no code to show.
    if (vault.info().state !== 'none' || vault.info().reason !== 'never_delivered') return;
    if (!clientSupportsFormElicitation(server)) return;
    if (await pairing.isPaired()) return;
    asking ??= showCodeInForm().finally(() => {
      asking = null;
    });
    await asking;
  };
}

/** The pairing waits for the patient to compare `value` with the extension's window. */
export function checkError(value: string, t: Translate): RelayError {
  return new RelayError(ErrorCode.NOT_PAIRED, t('PAIR_CHECK', { value }), {
    pairing: 'check',
    checkValue: value,
  });
}

/** Why a code told to the relay did not reach the check step, as the tool's answer. */
export function failure(
  result: Exclude<PatientPairingOutcome, { outcome: 'check' }>,
  t: Translate,
) {
  switch (result.outcome) {
    case 'invalid_code':
      return new RelayError(ErrorCode.NOT_PAIRED, t('PAIR_CODE_INVALID'), {
        pairing: 'invalid_code',
      });
    case 'not_recognised':
      return new RelayError(ErrorCode.NOT_PAIRED, t('PAIR_NOT_RECOGNISED'), {
        pairing: 'not_recognised',
      });
    default:
      return new RelayError(ErrorCode.NOT_PAIRED, t('PAIR_NO_ANSWER'), { pairing: 'no_answer' });
  }
}
