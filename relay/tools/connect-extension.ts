import { z } from 'zod';
import { ErrorCode, RelayError } from '../errors';
import { failure } from '../pairing/pairing-elicitation';
import { defineTool } from './define-tool';

/**
 * For AI clients with no form (no MCP elicitation): the patient tells the assistant the code
 * their HospiAI extension shows. The code went through the model, so it pairs nothing by
 * itself: once the extension and this relay both proved it, each shows a check value, and the
 * patient confirms in the extension's window that they match. A program that learnt the code
 * gets another value, so the patient's own relay is the only one they can confirm.
 */
export const connectExtension = defineTool({
  name: 'connect_extension',
  title: 'Connect the HospiAI browser extension',
  description:
    'Connects this AI assistant to the patient’s HospiAI browser extension, once, with the one-time code the extension shows (8 letters and digits such as K7QM-2XD9). Call it only with a code the patient gave you in this conversation — never invent or reuse one. It waits up to 30 seconds for the extension, then answers with a check value: show the patient that value exactly as given, and let them confirm in the extension’s window that it shows the same. Needed only when another HospiAI tool answered NOT_PAIRED.',
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
    /** The value the patient compares with the extension's window (`482 913`). */
    checkValue: z
      .string()
      .regex(/^\d{3} \d{3}$/)
      .optional(),
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
    const result = await pairing.tellCode(code);
    if (result.outcome !== 'check') throw failure(result, t);
    return {
      structured: {
        paired: false,
        checkValue: result.checkValue,
        message: t('PAIR_CHECK', { value: result.checkValue }),
      },
      resourceIds: [],
      outcome: 'awaiting_check',
    };
  },
});
