import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { parseBusinessHours } from '../../server/desk/businessHours.js';

/** A China wall-clock time. */
const cn = (local: string) => new Date(`${local}+08:00`);

describe('business hours (China time, public holidays and 调休)', () => {
  const office = parseBusinessHours('workdays 09:00-18:00; restdays closed')!;
  const daily = parseBusinessHours('09:00-21:00')!;
  const split = parseBusinessHours('workdays 09:00-21:00, restdays 10:00-16:00')!;

  it.each([
    ['a Wednesday morning', '2026-12-02T10:00', true],
    ['a Wednesday evening', '2026-12-02T18:00', false],
    ['a Saturday', '2026-12-05T10:00', false],
    ['National Day', '2026-10-01T10:00', false],
    ['a Saturday worked in lieu of the National Day holiday (调休)', '2026-10-10T10:00', true],
    ['Spring Festival eve holiday', '2026-02-16T10:00', false],
  ])('office hours on %s', (_what, at, open) => {
    expect(office.isOpen(cn(at))).toBe(open);
  });

  it('every day, holidays too, and rest days their own hours', () => {
    expect(daily.isOpen(cn('2026-10-01T20:59'))).toBe(true);
    expect(daily.isOpen(cn('2026-10-01T21:00'))).toBe(false);
    expect(split.isOpen(cn('2026-12-05T15:00'))).toBe(true);
    expect(split.isOpen(cn('2026-12-05T17:00'))).toBe(false);
    expect(split.hoursOn(cn('2026-12-05T12:00'))).toEqual({ from: 600, to: 960 });
    expect(parseBusinessHours('24x7')!.isOpen(cn('2026-10-01T03:00'))).toBe(true);
  });

  it('knows when it opens next (after a holiday week, after a weekend)', () => {
    expect(office.nextOpening(cn('2026-10-01T10:00'))).toEqual(cn('2026-10-08T09:00'));
    expect(office.nextOpening(cn('2026-12-04T19:00'))).toEqual(cn('2026-12-07T09:00'));
    expect(office.nextOpening(cn('2026-12-02T10:00'))).toEqual(cn('2026-12-02T10:00'));
  });

  it.each(['', 'always', '9-18', '18:00-09:00', '09:00-25:00', 'workdays 09:00-18:00', 'weekends closed; workdays 09:00-18:00'])('refuses %j', (text) => {
    expect(parseBusinessHours(text)).toBeNull();
  });

  it('refuses a bad BUSINESS_HOURS at start-up, naming it', () => {
    expect(() => loadConfig({ BUSINESS_HOURS: '9 to 5' })).toThrow(ConfigError);
    expect(() => loadConfig({ BUSINESS_HOURS: '9 to 5' })).toThrow(/^BUSINESS_HOURS: expected "24x7"/);
  });
});
