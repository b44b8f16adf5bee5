/**
 * Which assistant asks, in words a patient knows: the name an MCP client gives in `initialize`
 * (`clientInfo.title`, else `name`) is outside text — cleaned and bounded like any — and the
 * ids of well-known clients become their product names (`claude-ai` → "Claude").
 * Browser-safe: the extension names the assistant on every confirmation with it.
 */
import { forPopup } from './untrusted-text';

/** Client ids (as sent in clientInfo.name, lower-cased) of assistants patients know by name. */
const KNOWN_ASSISTANTS: Record<string, string> = {
  'claude-ai': 'Claude',
  'claude-code': 'Claude Code',
  'cursor-vscode': 'Cursor',
  cursor: 'Cursor',
  'visual studio code': 'VS Code',
  'visual studio code - insiders': 'VS Code',
  vscode: 'VS Code',
  goose: 'Goose',
  zed: 'Zed',
  windsurf: 'Windsurf',
  'lm studio': 'LM Studio',
  lmstudio: 'LM Studio',
  continue: 'Continue',
  'mistral-vibe': 'Mistral Vibe',
};

const NAME_CHARS = 60;

/** The assistant's display name, or null when it gave none usable. */
export function assistantName(
  client: { name: string; version?: string; title?: string } | null,
): string | null {
  if (!client) return null;
  const id = forPopup(client.name, NAME_CHARS);
  const known = KNOWN_ASSISTANTS[id.toLowerCase()];
  if (known) return known;
  const title = client.title === undefined ? '' : forPopup(client.title, NAME_CHARS);
  return title || id || null;
}
