/**
 * Run-time schemas of every message that reaches the background, and of the content script's
 * answers to it. A message is a request from another context of the extension, but the content
 * script runs in a web page's process: nothing it says is trusted before it is parsed here and
 * its sender checked (sender-checks.ts). Only the background imports this module (zod stays out
 * of the popup bundle); the popup and content script get the inferred types, type-only.
 */
import { z } from 'zod';
import {
  ConfirmationId,
  Decision,
  IsoDateTime,
  PolicyFrame,
  ReadGrant,
  Scope,
  TokenFrame,
} from '../../relay/protocol/protocol';
import { ContentScriptDecision } from '../background/page-decisions';
import { ConsentScopes } from '../consent/consent-store';

// ── what a portal page looks like (content script → background) ─────────────

export const PortalPageKind = z.enum(['dashboard', 'tokens', 'login', 'other']);

export const PortalPage = z
  .object({
    kind: PortalPageKind,
    /** The `data-patient-id` of the page: null when the page is logged out. */
    patientId: z.string().min(1).max(200).nullable(),
    patientName: z.string().max(200).nullable(),
  })
  .strict();
export type PortalPage = z.infer<typeof PortalPage>;

// ── requests to the background ───────────────────────────────────────────────

const Empty = z.object({}).strict();

export const BackgroundRequests = {
  // from the popup and the options page (extension pages)
  'popup:pair': z.object({ code: z.string().min(1).max(40) }).strict(),
  'popup:consent': z.object({ scopes: ConsentScopes, allowReads: z.boolean() }).strict(),
  'popup:setReadPolicy': z.object({ reads: PolicyFrame.shape.reads }).strict(),
  /**
   * Pause: every relay, connected now or later, drops the token and gets none until Resume;
   * consent, token and pairing are kept.
   */
  'popup:pause': Empty,
  'popup:resume': Empty,
  /** Revoke at the portal, wipe, withdraw consent, forget the pairing. */
  'popup:stopAndRevoke': Empty,
  'popup:openPortal': Empty,
  'popup:startPairingCode': Empty,
  'popup:cancelPairingCode': Empty,
  /** The check value the assistant shows matches the one in the extension's window: pair. */
  'popup:confirmPairingCheck': Empty,
  /** It does not match: pair nothing, void the code. */
  'popup:declinePairingCheck': Empty,
  'popup:capture': z.object({ allowReads: z.boolean() }).strict(),
  'popup:ignoreCapture': Empty,
  'popup:confirm': z
    .object({ id: ConfirmationId, decision: Decision, readGrant: ReadGrant.optional() })
    .strict(),
  'popup:dismissReceipt': z.object({ key: ConfirmationId }).strict(),
  /** A remote server's sign-in (sign-in-requests.ts): the patient's answer, in the extension. */
  /** With the request the patient was shown: an Allow never goes to one that replaced it. */
  'popup:allowSignIn': z
    .object({
      scopes: z.array(Scope).min(1).max(10),
      server: z.string().min(1).max(300),
      request: z.uuid(),
    })
    .strict(),
  'popup:denySignIn': Empty,
  /** The popup got the server's host permission inside the patient's click: ask it now. */
  'popup:signInPermission': z.object({ server: z.string().min(1).max(300) }).strict(),
  'popup:revokeSignIn': z.object({ tokenId: z.string().min(1).max(200) }).strict(),
  'options:getConfig': Empty,
  'options:setConfig': z
    .object({
      portalOrigin: z.string().min(1).max(300),
      firstPort: z.number().int(),
      lastPort: z.number().int(),
    })
    .strict(),
  // from the content script on a portal page
  'content:page': z.object({ page: PortalPage }).strict(),
  /**
   * A consent page's `#hospiai-connect=` pointer, read on a portal page: only a pointer — the
   * worker asks the server what it is, and the patient decides in the extension's page.
   */
  'content:signInRequest': z
    .object({ server: z.string().min(1).max(300), request: z.uuid() })
    .strict(),
  // The page only points to the extension: consent and capture are decided in the popup.
  'content:openExtension': Empty,
  'content:dismissConsent': Empty,
  /** A token the Tokens API page shows: checked with the portal by the worker, then offered. */
  'content:tokenShown': z
    .object({ token: TokenFrame.shape.token, tokenId: z.string().min(1).max(200) })
    .strict(),
  /** What the content script decided alone for its page (page-decisions.ts): nothing to offer. */
  'content:pageDecided': z.object({ decision: ContentScriptDecision }).strict(),
} as const;

export type BackgroundRequestType = keyof typeof BackgroundRequests;
export type BackgroundRequestData<K extends BackgroundRequestType> = z.infer<
  (typeof BackgroundRequests)[K]
>;

export const BackgroundRequest = z.object({
  type: z.enum(
    Object.keys(BackgroundRequests) as [BackgroundRequestType, ...BackgroundRequestType[]],
  ),
  data: z.unknown(),
});

// ── the content script's answers to the background's portal requests ─────────

/** `POST /api/tokens/generate` as the portal answers it (201). */
export const GeneratedToken = z.object({
  id: z.string().min(1).max(200),
  tokenMcp: TokenFrame.shape.token,
  name: z.string().max(200),
  scopes: z.array(Scope).max(20),
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
});

/** A portal call made by the content script: the page it ran on, and the HTTP outcome. */
export const PortalCallAnswer = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), page: PortalPage.nullable(), body: z.unknown() }),
  z.object({
    ok: z.literal(false),
    page: PortalPage.nullable(),
    /** HTTP status, or 0 when the portal could not be reached. */
    status: z.number().int(),
    code: z.string().max(100).nullable(),
  }),
]);
export type PortalCallAnswer = z.infer<typeof PortalCallAnswer>;

export const GenerateAnswerBody = z.object({ token: GeneratedToken });
export const SessionAnswerBody = z.union([
  z.object({
    user: z.object({
      id: z.string().min(1),
      email: z.string().optional(),
      name: z.string().optional(),
    }),
    expires: z.string().optional(),
  }),
  z.object({}).strict(),
]);
