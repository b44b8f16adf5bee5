/**
 * Requests from the relays that wait for the patient's yes or no: bookings and cancellations
 * (always), and reads the patient chose to approve each time. Each is answered to the relay that
 * asked, at most once, and forgotten when it expires (the relay then treats it as "not done").
 */
import type {
  ConfirmationRequestFrame,
  ReadApprovalRequestFrame,
} from '../../relay/protocol/protocol';

export type ConfirmationRequest = ConfirmationRequestFrame | ReadApprovalRequestFrame;

/** What the popup shows for one pending request. */
export interface ConfirmationView {
  id: string;
  /** The AI client that asked, by the name it gave. */
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

  /** Takes the request out: the port to answer on, or null when unknown or expired. */
  settle(id: string): { port: number } | null {
    const entry = this.pending.get(id);
    this.pending.delete(id);
    if (!entry || Date.parse(entry.view.expiresAt) <= this.now()) return null;
    return { port: entry.port };
  }

  list(): ConfirmationView[] {
    this.dropExpired();
    return [...this.pending.values()].map((entry) => entry.view);
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
