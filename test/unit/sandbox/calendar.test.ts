import { describe, expect, it } from 'vitest';
import {
  addDays,
  isCalendarDate,
  isClockTime,
  nearestWeekday,
  parisNow,
} from '../../sandbox/calendar';

describe('sandbox calendar', () => {
  it('reads the wall clock in Paris whatever the machine zone', () => {
    expect(parisNow(new Date('2025-01-15T23:30:00Z'))).toEqual({
      date: '2025-01-16',
      time: '00:30',
    });
    expect(parisNow(new Date('2025-07-15T22:30:00Z'))).toEqual({
      date: '2025-07-16',
      time: '00:30',
    });
  });

  it('adds days across months, years and DST changes', () => {
    expect(addDays('2025-03-29', 2)).toBe('2025-03-31');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
  });

  it('moves weekend dates to the nearest weekday in the given direction', () => {
    expect(nearestWeekday('2025-01-18', 1)).toBe('2025-01-20');
    expect(nearestWeekday('2025-01-19', -1)).toBe('2025-01-17');
    expect(nearestWeekday('2025-01-15', 1)).toBe('2025-01-15');
  });

  it('accepts only real dates and 24-hour HH:MM times', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-1-5')).toBe(false);
    expect(isClockTime('09:30')).toBe(true);
    expect(isClockTime('24:00')).toBe(false);
    expect(isClockTime('9:30')).toBe(false);
  });
});
