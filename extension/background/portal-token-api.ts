/**
 * The token manager's way to the portal's token routes: through our content script in a portal
 * tab (the routes need the session and refuse cross-site calls). Every answer is parsed here;
 * who is logged in is never taken from these answers (the page could forge them).
 */
import { PortalCallAnswer } from '../messaging/message-schemas';
import { callPortalTab, type PortalTabCall } from '../portal/portal-tabs';
import type { PortalTokenApi } from '../token/token-manager';

/** Where a revocation opens a tab when none is open: the page listing the tokens. */
const REVOCATION_PAGE = '/dashboard/tokens';

export function createPortalTokenApi(portalOrigin: () => string): PortalTokenApi {
  return {
    generate: async (input, tabId) =>
      parseAnswer(await callPortalTab(portalOrigin(), 'portal:generateToken', input, { tabId })),
    revoke: async (tokenId, { tabId, open }) =>
      parseAnswer(
        await callPortalTab(
          portalOrigin(),
          'portal:revokeToken',
          { tokenId },
          { tabId, openPath: open ? REVOCATION_PAGE : undefined },
        ),
      ),
  };
}

async function parseAnswer(call: PortalTabCall): Promise<PortalCallAnswer> {
  if (!call.ok) return { ok: false, page: null, status: 0, code: 'no_portal_tab' };
  const answer = PortalCallAnswer.safeParse(call.answer);
  if (!answer.success) return { ok: false, page: null, status: 0, code: 'bad_answer' };
  return answer.data;
}
