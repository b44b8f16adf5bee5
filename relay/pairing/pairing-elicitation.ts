/**
 * An unpaired relay, on a tool call, asks the patient for the code their HospiAI extension
 * shows — through the AI client's own form (MCP elicitation), so the code never passes through
 * the model — then waits for the extension to pair and deliver its token, and lets the call go
 * on. Clients without elicitation get the tool's NOT_PAIRED answer, which names the other ways.
 */

import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { clientSupportsFormElicitation } from '../confirm/patient-confirmation';
import { ErrorCode, RelayError } from '../errors';
import type { Translate } from '../i18n/messages';
import type { Logger } from '../logger';
import type { TokenVault } from '../token/token-vault';
import type { PairingChannel, PatientPairingOutcome } from './patient-pairing';

/** Tools that run without a pairing: they must never ask for a code. */
const WITHOUT_PAIRING = new Set(['connection_status', 'connect_extension']);
/** Times the form is shown for one call (a typo, then a second typo) before giving up. */
const MAX_ASKS = 3;
/** After pairing, how long to wait for the extension to deliver the token. */
const TOKEN_WAIT_MS = 5_000;

export interface PairingGateOptions {
  server: Server;
  pairing: PairingChannel;
  vault: TokenVault;
  t: Translate;
  logger: Logger;
  /** How long the patient has to fill the form. */
  formTimeoutMs?: number;
  tokenWaitMs?: number;
}

/** Returns the gate tool calls pass through; it throws only when the patient must act. */
export function createPairingGate(options: PairingGateOptions) {
  const { server, pairing, vault, t, logger } = options;
  /** One form at a time, whatever the number of calls the model makes meanwhile. */
  let asking: Promise<void> | null = null;

  async function ask(): Promise<void> {
    let message = t('PAIR_ASK');
    for (let round = 0; round < MAX_ASKS; round++) {
      const code = await askForCode(message);
      if (code === null) return; // declined or no answer: the call says NOT_PAIRED
      const version = vault.version;
      const result = await pairing.pairWithCode(code);
      logger.info('pairing with the code typed into the AI client', { outcome: result.outcome });
      if (result.outcome === 'paired') {
        await vault.waitForNewer(version, options.tokenWaitMs ?? TOKEN_WAIT_MS);
        return;
      }
      const next = retryMessage(result, t);
      if (next === null) throw failure(result, t);
      message = next;
    }
  }

  async function askForCode(message: string): Promise<string | null> {
    try {
      const answer = await server.elicitInput(
        {
          mode: 'form',
          message,
          requestedSchema: {
            type: 'object',
            properties: {
              code: {
                type: 'string',
                title: t('PAIR_CODE_FIELD'),
                description: t('PAIR_CODE_FIELD_HELP'),
                minLength: 8,
                maxLength: 12,
              },
            },
            required: ['code'],
          },
        },
        { timeout: options.formTimeoutMs ?? 300_000 },
      );
      const code = answer.action === 'accept' ? answer.content?.code : undefined;
      return typeof code === 'string' ? code : null;
    } catch (error) {
      logger.info('the pairing form ended without an answer', {
        error: (error as Error).message,
      });
      return null;
    }
  }

  return async function pairingGate(toolName: string): Promise<void> {
    if (WITHOUT_PAIRING.has(toolName)) return;
    // A token in hand (HOSPIAI_TOKEN, or one delivered) or one taken back: no code to ask for.
    if (vault.info().state !== 'none' || vault.info().reason !== 'never_delivered') return;
    if (!clientSupportsFormElicitation(server)) return;
    if (await pairing.isPaired()) return;
    asking ??= ask().finally(() => {
      asking = null;
    });
    await asking;
  };
}

/** The sentence to show in the form again, or null when asking again cannot help. */
function retryMessage(result: PatientPairingOutcome, t: Translate): string | null {
  switch (result.outcome) {
    case 'invalid_code':
      return t('PAIR_ASK_INVALID');
    case 'code_mismatch':
      return result.triesLeft > 0 ? t('PAIR_ASK_MISMATCH', { tries: result.triesLeft }) : null;
    default:
      return null;
  }
}

/** Why pairing through the form did not work, as the tool's answer. */
export function failure(result: PatientPairingOutcome, t: Translate): RelayError {
  switch (result.outcome) {
    case 'code_mismatch':
      return new RelayError(
        ErrorCode.NOT_PAIRED,
        result.triesLeft > 0
          ? t('PAIR_CODE_MISMATCH', { tries: result.triesLeft })
          : t('PAIR_CODE_LOCKED'),
        { pairing: 'code_mismatch', triesLeft: result.triesLeft },
      );
    case 'invalid_code':
      return new RelayError(ErrorCode.NOT_PAIRED, t('PAIR_CODE_INVALID'), {
        pairing: 'invalid_code',
      });
    case 'superseded':
      return new RelayError(ErrorCode.NOT_PAIRED, t('PAIR_SUPERSEDED'), { pairing: 'superseded' });
    default:
      return new RelayError(ErrorCode.NOT_PAIRED, t('PAIR_NO_ANSWER'), { pairing: 'no_answer' });
  }
}
