import { z } from 'zod';
import { ErrorCode, RelayError } from '../errors';
import { failure } from '../pairing/pairing-elicitation';
import { defineTool } from './define-tool';

/**
 * For AI clients with no form (no MCP elicitation) and no install settings: the patient tells the
 * assistant the code their HospiAI extension shows. Only a code pending in this patient's
 * extension pairs — the extension checks this relay's proof of it in the handshake — so a
 * guessed code does nothing, and the extension allows a few wrong ones only.
 */
export const connectExtension = defineTool({
  name: 'connect_extension',
  title: 'Connect the HospiAI browser extension',
  description:
    'Connects this AI assistant to the patient’s HospiAI browser extension, once, with the one-time code the extension shows (8 letters and digits such as K7QM-2XD9). Call it only with a code the patient gave you in this conversation — never invent or reuse one. It waits up to 30 seconds for the extension to confirm. Needed only when another HospiAI tool answered NOT_PAIRED.',
  scope: null,
  kind: 'local',
  input: {
    code: z
      .string()
      .trim()
      .min(1)
      .max(20)
      .describe('The code the HospiAI extension shows, e.g. “K7QM-2XD9”.'),
  },
  output: {
    paired: z.boolean(),
    message: z.string(),
  },
  async handle({ code }, context) {
    const { t } = context;
    const pairing = context.pairing?.() ?? null;
    if (!pairing) throw new RelayError(ErrorCode.NOT_PAIRED, t('PAIR_UNAVAILABLE'));
    if (await pairing.isPaired()) {
      return {
        structured: { paired: true, message: t('PAIR_ALREADY') },
        resourceIds: [],
        outcome: 'already_paired',
      };
    }
    const result = await pairing.pairWithCode(code);
    if (result.outcome !== 'paired') throw failure(result, t);
    return {
      structured: { paired: true, message: t('PAIR_DONE') },
      resourceIds: [],
    };
  },
});
