/**
 * Calendar arithmetic on the portal's wall clock. HospiAI is a French portal, so "today" and
 * "now" are Europe/Paris time whatever the machine's zone; dates are `YYYY-MM-DD` strings and
 * times `HH:MM`, compared as strings (both formats sort lexically).
 */
export interface WallClock {
  date: string;
  time: string;
}

const PARIS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export function parisNow(now: Date = new Date()): WallClock {
  const parts = Object.fromEntries(PARIS.formatToParts(now).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
  };
}

/** Noon UTC keeps day arithmetic clear of any DST edge. */
const toUtcNoon = (date: string) => new Date(`${date}T12:00:00Z`);

export function addDays(date: string, days: number): string {
  const d = toUtcNoon(date);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function isWeekday(date: string): boolean {
  const day = toUtcNoon(date).getUTCDay();
  return day !== 0 && day !== 6;
}

/** The nearest weekday on or after (direction 1) or on or before (direction -1) `date`. */
export function nearestWeekday(date: string, direction: 1 | -1): string {
  let d = date;
  while (!isWeekday(d)) d = addDays(d, direction);
  return d;
}

/** A real calendar date in `YYYY-MM-DD` form (rejects 2025-02-30). */
export function isCalendarDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && toUtcNoon(text).toISOString().slice(0, 10) === text;
}

export function isClockTime(text: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(text);
}

export const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

export const timeOf = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Minutes since the epoch day 0 of a wall-clock moment, for distances between slots. */
export const absoluteMinutes = (date: string, time: string) =>
  Math.round(toUtcNoon(date).getTime() / 86_400_000) * 1440 + minutesOf(time);

export const isBefore = (a: WallClock, b: WallClock) =>
  a.date < b.date || (a.date === b.date && a.time < b.time);
