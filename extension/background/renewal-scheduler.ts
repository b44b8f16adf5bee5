/**
 * When the token's renewal is due: a timer, precise while the service worker is awake, and an
 * alarm that wakes the worker if it slept in between (Chrome delays alarms to 30 s at least).
 */
import { browser } from 'wxt/browser';

export const RENEWAL_ALARM = 'token-renewal';
const MIN_ALARM_DELAY_MS = 30_000;

export class RenewalScheduler {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly onDue: () => void) {}

  /** Renew at `dueAt` (epoch ms); null cancels. */
  schedule(dueAt: number | null): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void browser.alarms.clear(RENEWAL_ALARM);
    if (dueAt === null) return;
    this.timer = setTimeout(this.onDue, Math.max(0, dueAt - Date.now()));
    void browser.alarms.create(RENEWAL_ALARM, {
      when: Math.max(dueAt, Date.now() + MIN_ALARM_DELAY_MS),
    });
  }

  /** An alarm fired: true if it was ours (and renewal ran). */
  onAlarm(name: string): boolean {
    if (name !== RENEWAL_ALARM) return false;
    this.onDue();
    return true;
  }
}
