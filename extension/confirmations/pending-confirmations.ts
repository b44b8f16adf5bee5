/**
 * Requests from the relays that wait for the patient's yes or no: bookings and cancellations
 * (always), and reads the patient chose to approve each time. Each is answered to the relay that
 * asked, at most once, and forgotten when it expires (the relay then treats it as "not done").
 * Then what the portal answered to an approved write ("Booked ✓"), kept in view for a while or
 * until the patient hides it.
 */
import type {
  ConfirmationRequestFrame,
  ReadApprovalRequestFrame,
  WriteOutcomeFrame,
} from '../../relay/protocol/protocol';

export type ConfirmationRequest = ConfirmationRequestFrame | ReadApprovalRequestFrame;

/** What the popup shows for one pending request. */
export interface ConfirmationView {
  id: string;
  /** The AI client that asked, by the name patients know it by (assistant-name.ts). */
  client: string | null;
  expiresAt: string;
  request: ConfirmationRequest;
}

interface Pending {
  port: number;
  view: ConfirmationView;
}

export class PendingConfirmations {
  private pending = new Map<string, Pending>();

  constructor(private readonly now: () => number = Date.now) {}

  add(port: number, request: ConfirmationRequest, client: string | null): ConfirmationView {
    const view: ConfirmationView = {
      id: request.id,
      client,
      expiresAt: request.expiresAt,
      request,
    };
    this.pending.set(request.id, { port, view });
    return view;
  }

  /** Takes the request out: the port to answer on and what was asked, or null when unknown or expired. */
  settle(id: string): { port: number; request: ConfirmationRequest } | null {
    const entry = this.pending.get(id);
    this.pending.delete(id);
    if (!entry || Date.parse(entry.view.expiresAt) <= this.now()) return null;
    return { port: entry.port, request: entry.view.request };
  }

  list(): ConfirmationView[] {
    this.dropExpired();
    return [...this.pending.values()].map((entry) => entry.view);
  }

  /** How many requests wait for the patient now (the toolbar badge). */
  count(): number {
    return this.list().length;
  }

  /** Forgets the requests whose time is up (the relay no longer waits); returns their ids. */
  dropExpired(): string[] {
    const now = this.now();
    const expired: string[] = [];
    for (const [id, entry] of this.pending) {
      if (Date.parse(entry.view.expiresAt) <= now) {
        this.pending.delete(id);
        expired.push(id);
      }
    }
    return expired;
  }
}

/** What the portal answered to a write the patient approved, as the popup shows it. */
export interface WriteReceipt {
  /** The confirmation's id, or a local one when the AI client's own form asked. */
  key: string;
  action: WriteOutcomeFrame['action'];
  outcome: WriteOutcomeFrame['outcome'];
  summary: WriteOutcomeFrame['summary'];
  problem?: string;
  client: string | null;
  at: string;
}

/** How long a receipt stays in view unless the patient hides it first. */
export const RECEIPT_VISIBLE_MS = 30 * 60 * 1000;
const MAX_RECEIPTS = 5;

export class WriteReceipts {
  private receipts: WriteReceipt[] = [];
  private counter = 0;

  constructor(private readonly now: () => number = Date.now) {}

  add(frame: WriteOutcomeFrame, client: string | null): WriteReceipt {
    const receipt: WriteReceipt = {
      key: frame.id ?? `local${(this.counter++).toString(36).padStart(10, '0')}`,
      action: frame.action,
      outcome: frame.outcome,
      summary: frame.summary,
      problem: frame.problem,
      client,
      at: new Date(this.now()).toISOString(),
    };
    this.receipts = [receipt, ...this.receipts.filter((r) => r.key !== receipt.key)].slice(
      0,
      MAX_RECEIPTS,
    );
    return receipt;
  }

  dismiss(key: string): boolean {
    const before = this.receipts.length;
    this.receipts = this.receipts.filter((receipt) => receipt.key !== key);
    return this.receipts.length < before;
  }

  /** Newest first, without the ones past their time in view. */
  list(): WriteReceipt[] {
    const cutoff = this.now() - RECEIPT_VISIBLE_MS;
    this.receipts = this.receipts.filter((receipt) => Date.parse(receipt.at) > cutoff);
    return [...this.receipts];
  }
}
