/**
 * Routes a runtime message to its background handler after two checks: the sender is allowed
 * to send this kind of message (sender-checks.ts), and the payload parses. Anything else gets
 * no answer at all, as if nobody were listening.
 */
import {
  BackgroundRequest,
  type BackgroundRequestData,
  BackgroundRequests,
  type BackgroundRequestType,
} from './message-schemas';
import type { BackgroundAnswers } from './protocol-map';
import {
  isFromExtensionPage,
  isFromPortalContentScript,
  type MessageSender,
  type TrustAnchors,
} from './sender-checks';

export type BackgroundHandlers = {
  [K in BackgroundRequestType]: (
    data: BackgroundRequestData<K>,
    sender: MessageSender,
  ) => Promise<BackgroundAnswers[K]>;
};

export type RouteResult =
  | { handled: true; answer: Promise<unknown> }
  | { handled: false; reason: 'malformed' | 'untrusted_sender' | 'invalid_payload' };

export function isAllowedSender(
  type: BackgroundRequestType,
  sender: MessageSender,
  anchors: TrustAnchors,
): boolean {
  return type.startsWith('content:')
    ? isFromPortalContentScript(sender, anchors)
    : isFromExtensionPage(sender, anchors);
}

export function routeBackgroundMessage(
  message: unknown,
  sender: MessageSender,
  anchors: TrustAnchors,
  handlers: BackgroundHandlers,
): RouteResult {
  const envelope = BackgroundRequest.safeParse(message);
  if (!envelope.success) return { handled: false, reason: 'malformed' };
  const { type } = envelope.data;
  if (!isAllowedSender(type, sender, anchors))
    return { handled: false, reason: 'untrusted_sender' };
  const payload = BackgroundRequests[type].safeParse(envelope.data.data);
  if (!payload.success) return { handled: false, reason: 'invalid_payload' };
  const handler = handlers[type] as (data: unknown, sender: MessageSender) => Promise<unknown>;
  return { handled: true, answer: handler(payload.data, sender) };
}
