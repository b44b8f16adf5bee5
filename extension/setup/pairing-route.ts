/**
 * How an AI client pairs with no terminal, by what it can show the patient:
 * - `form`: the client shows MCP elicitation forms (VS Code, Cursor, Goose, Claude Code — late
 *   2026): HospiAI shows a code there, which the model never sees, and the patient types it into
 *   the extension's window;
 * - `chat`: no form (Claude Desktop's chat and the rest): the patient tells the assistant the
 *   code the extension shows, then compares the check values.
 * Only the first view shown depends on it: the patient can switch (a client may add or lack
 * forms), and both ways stay safe whatever the choice.
 */
import type { ClientId } from './assistant-setup';

export type PairingRoute = 'form' | 'chat';

const SHOWS_FORMS: ReadonlySet<string> = new Set(['vscode', 'cursor', 'goose', 'claude-code']);

export function pairingRouteOf(clientId: ClientId): PairingRoute {
  return SHOWS_FORMS.has(clientId) ? 'form' : 'chat';
}
