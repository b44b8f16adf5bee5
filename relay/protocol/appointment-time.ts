/**
 * An appointment's day and time as a patient reads them, in their language: "lundi 7 décembre
 * 2026 à 10:00", "Monday, 7 December 2026 at 10:00". The portal gives a wall-clock date and time
 * (YYYY-MM-DD, HH:MM) at the hospital: formatted in UTC so no time zone shifts them. Shared by
 * the relay (its elicitation question) and the extension (the confirmation card). Browser-safe.
 */

/** The locale used for each language of the product (British English: day before month). */
const LOCALES = { en: 'en-GB', fr: 'fr-FR' } as const;
export type DisplayLang = keyof typeof LOCALES;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The full date and time, or null when either is not the portal's format. */
export function formatAppointmentTime(
  date: string,
  time: string,
  lang: DisplayLang,
): string | null {
  const day = DATE.exec(date);
  const clock = TIME.exec(time);
  if (!day || !clock) return null;
  const at = new Date(
    Date.UTC(
      Number(day[1]),
      Number(day[2]) - 1,
      Number(day[3]),
      Number(clock[1]),
      Number(clock[2]),
    ),
  );
  // 2026-02-31 would roll over to March: not a date the portal meant.
  if (at.getUTCDate() !== Number(day[3])) return null;
  return new Intl.DateTimeFormat(LOCALES[lang], {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(at);
}

/** The language of a BCP 47 tag as the product speaks it: French for `fr*`, else English. */
export function displayLangOf(tag: string): DisplayLang {
  return tag.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}
