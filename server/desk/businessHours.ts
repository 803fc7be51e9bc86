/**
 * When people are at the desk, in China time (Asia/Shanghai), knowing China's
 * public holidays and the 调休 make-up working days (from chinese-days, which
 * follows the State Council's yearly notice — not a hand-made table).
 *
 *   BUSINESS_HOURS=24x7                                  always
 *   BUSINESS_HOURS=09:00-21:00                           every day, holidays too
 *   BUSINESS_HOURS="workdays 09:00-18:00; restdays 10:00-16:00"
 *   BUSINESS_HOURS="workdays 09:00-18:00; restdays closed"
 *
 * A workday is what the calendar says is one (Monday–Friday that is no
 * holiday, and the Saturdays and Sundays worked in lieu); a rest day is
 * every other day. "24:00" may end a range.
 */
import chineseDays from 'chinese-days';

export interface DayHours {
  /** Minutes after midnight; `to` is exclusive. */
  from: number;
  to: number;
}

export interface BusinessHours {
  /** Text the operator wrote, normalised: shown back in messages. */
  readonly text: string;
  isOpen(at: Date): boolean;
  /** Today's hours (China time) at `at`, or null when closed all day — for 「服务时间 09:00–21:00」. */
  hoursOn(at: Date): DayHours | null;
  /** The next time it opens after `at` (null when always open, or when it never opens within two weeks). */
  nextOpening(at: Date): Date | null;
}

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;

function minutes(text: string): number | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  const v = Number(m[1]) * 60 + Number(m[2]);
  return v > 24 * 60 ? null : v;
}

function range(text: string): DayHours | null | 'closed' {
  const t = text.trim().toLowerCase();
  if (t === 'closed') return 'closed';
  const [a, b, ...rest] = t.split('-');
  if (a === undefined || b === undefined || rest.length > 0) return null;
  const from = minutes(a);
  const to = minutes(b);
  return from !== null && to !== null && from < to ? { from, to } : null;
}

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** `at` as a China calendar day and minutes after midnight. */
export function chinaTime(at: Date): { day: string; minute: number } {
  const parts = Object.fromEntries(dayFormat.formatToParts(at).map((p) => [p.type, p.value]));
  return { day: `${parts.year}-${parts.month}-${parts.day}`, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

export const formatMinutes = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** The years chinese-days has a holiday schedule for; other years fall back to Monday–Friday. */
export function holidayDataCovers(year: number): boolean {
  return chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
}

/** Parses BUSINESS_HOURS; null when it is not one of the forms above. */
export function parseBusinessHours(text: string): BusinessHours | null {
  const t = text.trim();
  if (/^24x7$/i.test(t)) return always();
  const single = range(t);
  if (single !== null) return single === 'closed' ? null : byKind({ workdays: single, restdays: single }, t);
  const kinds: { workdays?: DayHours | 'closed'; restdays?: DayHours | 'closed' } = {};
  for (const part of t.split(/[;,]/).map((p) => p.trim()).filter(Boolean)) {
    const m = /^(workdays|restdays)\s+(.+)$/i.exec(part);
    if (!m) return null;
    const hours = range(m[2]!);
    if (hours === null) return null;
    kinds[m[1]!.toLowerCase() as 'workdays' | 'restdays'] = hours;
  }
  if (!kinds.workdays || !kinds.restdays) return null;
  return byKind({ workdays: kinds.workdays === 'closed' ? null : kinds.workdays, restdays: kinds.restdays === 'closed' ? null : kinds.restdays }, t);
}

function always(): BusinessHours {
  return { text: '24x7', isOpen: () => true, hoursOn: () => ({ from: 0, to: 24 * 60 }), nextOpening: () => null };
}

function byKind(h: { workdays: DayHours | null; restdays: DayHours | null }, text: string): BusinessHours {
  const hoursOnDay = (day: string) => (chineseDays.isWorkday(day) ? h.workdays : h.restdays);
  const hoursOn = (at: Date) => hoursOnDay(chinaTime(at).day);
  return {
    text,
    hoursOn,
    isOpen(at) {
      const { day, minute } = chinaTime(at);
      const hours = hoursOnDay(day);
      return hours !== null && minute >= hours.from && minute < hours.to;
    },
    nextOpening(at) {
      // Walk forward a day at a time (China has no DST: a day is 24 hours).
      const { day, minute } = chinaTime(at);
      const midnight = new Date(`${day}T00:00:00+08:00`).getTime();
      for (let d = 0; d < 15; d++) {
        const start = new Date(midnight + d * 86_400_000);
        const hours = hoursOnDay(chinaTime(start).day);
        if (!hours) continue;
        if (d === 0 && minute >= hours.to) continue;
        const opens = d === 0 && minute >= hours.from ? at.getTime() : start.getTime() + hours.from * 60_000;
        return new Date(opens);
      }
      return null;
    },
  };
}
