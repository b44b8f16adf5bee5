/**
 * What a tool result carries in `_meta` for the client rather than the model: the failure's code,
 * sentence and details (tool-result.ts), and — for a write to confirm on this server's page — the
 * question as the patient reads it there, for an MCP App card (relay/card/) to show beside the
 * page's link. Shared by the relay, which writes them, and the card, which reads them in the
 * host's frame.
 */
import { z } from 'zod';
import { WriteTool } from './extension-frames';
import { WriteSummary } from './relay-frames';

/** The `_meta` key holding a failure's code, sentence and details. */
export const ERROR_META_KEY = 'hospiai/error';

/** The `_meta` key holding the question of a write the patient confirms on the page. */
export const PAGE_QUESTION_META_KEY = 'hospiai/page-question';

/** Which write, and its details as the portal gave them (whose record, doctor, date…). */
export const PageQuestion = z.object({ action: WriteTool, summary: WriteSummary }).strict();
export type PageQuestion = z.infer<typeof PageQuestion>;

/** The reason of a NOT_CONFIRMED whose details carry the page's link (`confirmUrl`). */
export const CONFIRM_ON_PAGE = 'confirm_on_page';
