/**
 * The confirmation card of remote mode, an MCP App (`@modelcontextprotocol/ext-apps`): the
 * resource `ui://hospiai/confirmation.html` (one self-contained HTML file, relay/card/) and the
 * metadata that makes a host show it beside the answers of book_appointment and
 * cancel_appointment. When such a write is to be confirmed on this server's page, the card
 * shows the question and a button that asks the host to open the page; the yes is given there,
 * never in the card. Registered by remote mode's tool servers only, on either SDK line (v1
 * sessions, v2 requests), through this one function — the stdio relay never loads the card.
 */

import cardHtml from 'virtual:hospiai-confirmation-card';
import { RESOURCE_MIME_TYPE, RESOURCE_URI_META_KEY } from '@modelcontextprotocol/ext-apps/server';
import type { ToolKind } from './define-tool';

export const CONFIRMATION_CARD_URI = 'ui://hospiai/confirmation.html';

/**
 * What the card may reach: nothing. No network (connect), no outside scripts, styles, images or
 * fonts (resource), no frames, no base URI: hosts build the frame's Content-Security-Policy
 * from these lists, and the HTML carries its own strict policy too (card-html.mjs).
 */
export const CONFIRMATION_CARD_CSP = {
  connectDomains: [],
  resourceDomains: [],
  frameDomains: [],
  baseUriDomains: [],
} as const;

/** The resource's `_meta.ui` (MCP Apps' McpUiResourceMeta), in resources/list and read. */
const CARD_UI_META = { csp: CONFIRMATION_CARD_CSP, permissions: {}, prefersBorder: true };

/** The one method the card is registered by, as both SDK lines' McpServer have it. */
export interface ResourceRegistrar {
  registerResource(
    name: string,
    uri: string,
    config: {
      title: string;
      description: string;
      mimeType: string;
      _meta: Record<string, unknown>;
    },
    read: () => Promise<{
      contents: { uri: string; mimeType: string; text: string; _meta: Record<string, unknown> }[];
    }>,
  ): unknown;
}

export function registerConfirmationCard(server: ResourceRegistrar): void {
  server.registerResource(
    'confirmation-card',
    CONFIRMATION_CARD_URI,
    {
      title: 'HospiAI confirmation',
      description:
        'Shows a booking or cancellation the patient confirms on HospiAI’s own page, with a button that opens the page.',
      mimeType: RESOURCE_MIME_TYPE,
      _meta: { ui: CARD_UI_META },
    },
    async () => ({
      contents: [
        {
          uri: CONFIRMATION_CARD_URI,
          mimeType: RESOURCE_MIME_TYPE,
          text: cardHtml,
          _meta: { ui: CARD_UI_META },
        },
      ],
    }),
  );
}

/**
 * The `_meta` a write tool gets so that hosts show the card with its result — the nested form and
 * the older flat key, as ext-apps' registerAppTool writes them. `visibility: ['model']`: the card
 * may not call the tool (nor could a yes come from it).
 */
export function confirmationCardToolMeta(tool: { kind: ToolKind }): Record<string, unknown> {
  if (tool.kind !== 'write' && tool.kind !== 'destructive') return {};
  return {
    ui: { resourceUri: CONFIRMATION_CARD_URI, visibility: ['model'] },
    [RESOURCE_URI_META_KEY]: CONFIRMATION_CARD_URI,
  };
}
