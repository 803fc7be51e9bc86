/**
 * Ticket ids are read aloud and typed by people: `T` + the service day in
 * China (Asia/Shanghai, where the carrier's day starts) + a per-day sequence.
 */

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** `now`'s calendar day in China, ISO `YYYY-MM-DD`. */
export function calendarDay(now: Date): string {
  return dayFormat.format(now);
}

/** `T20261124-0001` for the first ticket of 2026-11-24 (China time). */
export function formatTicketId(now: Date, sequence: number): string {
  return `T${calendarDay(now).replace(/-/g, '')}-${String(sequence).padStart(4, '0')}`;
}

/** Per-day sequences kept in memory (tests, the REPL, the memory store): `take(day, n)` reserves n numbers and returns the first. */
export class DayCounter {
  private readonly last = new Map<string, number>();

  take(day: string, count = 1): number {
    const n = (this.last.get(day) ?? 0) + count;
    this.last.set(day, n);
    return n - count + 1;
  }
}
