import { browser } from 'wxt/browser';

/** Times as the patient reads them, in the browser's language. */
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndClock = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** "14:32" today, "3 Dec 14:32" otherwise. */
export function formatWhen(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  return date.toDateString() === now.toDateString() ? clock.format(date) : dayAndClock.format(date);
}

/** The language the extension's messages are shown in, for Intl (falls back to the default). */
function uiLanguage(): string | undefined {
  try {
    return browser.i18n.getUILanguage() || undefined;
  } catch {
    return undefined;
  }
}

/** "14:32" / "2:32 PM", in the language of the extension's messages. */
export function formatClock(iso: string): string {
  return new Intl.DateTimeFormat(uiLanguage(), { hour: 'numeric', minute: '2-digit' }).format(
    new Date(iso),
  );
}

/** "6 December 2026, 14:32", in the language of the extension's messages. */
export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(uiLanguage(), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(iso));
}
