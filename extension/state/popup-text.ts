/**
 * Every piece of text in the popup's snapshot that someone else wrote — what an AI client calls
 * itself, resource ids and outcomes a relay reported, what a confirmation summarises, the
 * patient's name as a page gave it — goes through the popup's sink (forPopup) here, once, so no
 * component can show it raw.
 */
import type { AuditEntry, WriteSummary } from '../../relay/protocol/protocol';
import { forPopup } from '../../relay/protocol/untrusted-text';
import type { PendingPairingView } from '../bridge/pending-pairing';
import type { RelayView } from '../bridge/relay-views';
import type { ConfirmationView, WriteReceipt } from '../confirmations/pending-confirmations';

const NAME_CHARS = 80;

export function safeRelayView(relay: RelayView): RelayView {
  const portal =
    relay.relayPortal === undefined ? {} : { relayPortal: forPopup(relay.relayPortal, 120) };
  if (!relay.client) return { ...relay, ...portal };
  return {
    ...relay,
    ...portal,
    client: {
      name: forPopup(relay.client.name, NAME_CHARS),
      version: forPopup(relay.client.version, 40),
    },
  };
}

/** What the relay that proved our code calls itself is its own word: made safe like any. */
export function safePendingPairing(view: PendingPairingView): PendingPairingView {
  const { candidate } = view;
  if (!candidate?.client) return view;
  return { ...view, candidate: { ...candidate, client: forPopup(candidate.client, NAME_CHARS) } };
}

export function safeAuditEntry(entry: AuditEntry): AuditEntry {
  return {
    ...entry,
    client: entry.client === null ? null : forPopup(entry.client, NAME_CHARS),
    tool: forPopup(entry.tool, 64),
    resourceIds: entry.resourceIds.map((id) => forPopup(id, 64)),
    outcome: forPopup(entry.outcome, 64),
  };
}

export function safeConfirmationView(view: ConfirmationView): ConfirmationView {
  const client = view.client === null ? null : forPopup(view.client, NAME_CHARS);
  const { request } = view;
  if (request.type === 'read_approval_request') return { ...view, client };
  return { ...view, client, request: { ...request, summary: safeSummary(request.summary) } };
}

export function safeWriteReceipt(receipt: WriteReceipt): WriteReceipt {
  return {
    ...receipt,
    client: receipt.client === null ? null : forPopup(receipt.client, NAME_CHARS),
    summary: safeSummary(receipt.summary),
  };
}

/** A write's details: the portal's (and the reason the assistant wrote), each bounded. */
function safeSummary(summary: WriteSummary): WriteSummary {
  const optional = (text: string | undefined, max: number) =>
    text === undefined ? undefined : forPopup(text, max);
  return {
    patient: optional(summary.patient, 120),
    doctor: forPopup(summary.doctor, 120),
    specialty: optional(summary.specialty, 120),
    date: forPopup(summary.date, 20),
    time: forPopup(summary.time, 10),
    reason: optional(summary.reason, 200),
    hospital: optional(summary.hospital, 120),
    city: optional(summary.city, 120),
    address: optional(summary.address, 200),
  };
}
