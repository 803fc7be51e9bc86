/**
 * Purchase dates, absolute or relative, resolved against `now` to an ISO
 * date on the China calendar (Asia/Shanghai, UTC+8, as ticket ids use): at
 * 07:00 Beijing time on the 25th, 「昨天」 is the 24th. 「上个月买的」「买了十个月」「2025年3月5号」「半年前」
 * 「去年双十一」「last month」「3 months ago」.
 */

export interface DateSpan {
  type: 'purchase_date';
  value: string;
  from: number;
  to: number;
}

type Unit = 'day' | 'week' | 'month' | 'year';

const ZH_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const EN_NUMBERS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
};
const ZH_UNITS: Record<string, Unit> = { 天: 'day', 日: 'day', 周: 'week', 星期: 'week', 礼拜: 'week', 月: 'month', 年: 'year' };
const FESTIVALS: Record<string, [number, number]> = { 双十一: [11, 11], 双11: [11, 11], 双十二: [12, 12], 双12: [12, 12], '618': [6, 18], 春节: [1, 1], 元旦: [1, 1], 国庆: [10, 1] };

/** 1..99 written in digits or Chinese numerals (十, 十二, 二十三, 两); null otherwise. */
export function parseNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (s === '半') return 0.5;
  if (EN_NUMBERS[s] !== undefined) return EN_NUMBERS[s]!;
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || s === '') return null;
  if (!m[2]) return m[1] && !m[3] ? ZH_DIGITS[m[1]]! : null;
  return (m[1] ? ZH_DIGITS[m[1]]! : 1) * 10 + (m[3] ? ZH_DIGITS[m[3]]! : 0);
}

function yearOf(s: string): number | null {
  if (/^\d{4}$/.test(s)) return Number(s);
  if (/^[零〇一二三四五六七八九]{4}$/.test(s)) return Number([...s].map((c) => ZH_DIGITS[c]).join(''));
  if (/^\d{2}$/.test(s)) return 2000 + Number(s);
  return null;
}

function iso(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1990 || y > 2100) return null;
  return date.toISOString().slice(0, 10);
}

/** `now` minus `n` units; months clamp to the month's last day (3-31 minus 1 month → 2-28). */
export function minus(now: Date, n: number, unit: Unit): string {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  if (unit === 'day' || unit === 'week') {
    return new Date(Date.UTC(y, m, d - Math.round(n * (unit === 'week' ? 7 : 1)))).toISOString().slice(0, 10);
  }
  const months = Math.round(n * (unit === 'year' ? 12 : 1));
  const target = new Date(Date.UTC(y, m - months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}

const NUM = '(\\d{1,2}|[一二两三四五六七八九十]{1,3}|半)';
const ZH_NUM = '(\\d{1,2}|[一二两三四五六七八九十]{1,3})';
const YEAR = '(\\d{4}|[零〇一二三四五六七八九]{4}|\\d{2})';

interface Rule {
  re: RegExp;
  resolve(m: RegExpExecArray, now: Date): string | null;
}

const RULES: Rule[] = [
  // 2025年3月5号, 2025-03-05, 2025/3/5, 2025.3.5
  {
    re: new RegExp(`${YEAR}年${ZH_NUM}月(?:${ZH_NUM}[日号])?`, 'g'),
    resolve: (m) => {
      const y = yearOf(m[1]!);
      const mo = parseNumber(m[2]!);
      const d = m[3] ? parseNumber(m[3]) : 1;
      return y && mo && d ? iso(y, mo, d) : null;
    },
  },
  { re: /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g, resolve: (m) => iso(Number(m[1]), Number(m[2]), Number(m[3])) },
  // 去年双十一, 去年3月, 前年
  {
    re: new RegExp(`(今年|去年|前年)(双十一|双11|双十二|双12|618|春节|元旦|国庆|${ZH_NUM}月(?:${ZH_NUM}[日号])?)?`, 'g'),
    resolve: (m, now) => {
      const y = now.getUTCFullYear() - ({ 今年: 0, 去年: 1, 前年: 2 } as Record<string, number>)[m[1]!]!;
      const fest = m[2] ? FESTIVALS[m[2]] : undefined;
      if (fest) return iso(y, fest[0], fest[1]);
      if (m[3]) {
        const mo = parseNumber(m[3]);
        const d = m[4] ? parseNumber(m[4]) : 1;
        return mo && d ? iso(y, mo, d) : null;
      }
      if (m[1] === '今年') return null;
      return iso(y, now.getUTCMonth() + 1, Math.min(now.getUTCDate(), 28));
    },
  },
  // 3月5号 (this year, or last year if that is still ahead)
  {
    re: new RegExp(`(?<![年\\d])${ZH_NUM}月${ZH_NUM}[日号]`, 'g'),
    resolve: (m, now) => {
      const mo = parseNumber(m[1]!);
      const d = parseNumber(m[2]!);
      if (!mo || !d) return null;
      const thisYear = iso(now.getUTCFullYear(), mo, d);
      if (thisYear && thisYear > now.toISOString().slice(0, 10)) return iso(now.getUTCFullYear() - 1, mo, d);
      return thisYear;
    },
  },
  // 双十一 alone: the last one
  {
    re: /(?<![今去前]年)(双十一|双11|双十二|双12)/g,
    resolve: (m, now) => {
      const [mo, d] = FESTIVALS[m[1]!]!;
      const thisYear = iso(now.getUTCFullYear(), mo, d);
      return thisYear && thisYear > now.toISOString().slice(0, 10) ? iso(now.getUTCFullYear() - 1, mo, d) : thisYear;
    },
  },
  // 上个月, 上上个月, 上周, 上个星期
  {
    re: /(上上|上)(个)?(月|周|星期|礼拜)/g,
    resolve: (m, now) => minus(now, m[1] === '上上' ? 2 : 1, ZH_UNITS[m[3]!]!),
  },
  // 三个月前, 半年前, 两周之前
  {
    re: new RegExp(`${NUM}(个)?(多)?(天|周|星期|礼拜|月|年)(多)?(前|以前|之前)`, 'g'),
    resolve: (m, now) => {
      const n = parseNumber(m[1]!);
      return n ? minus(now, n, ZH_UNITS[m[4]!]!) : null;
    },
  },
  // 买了十个月, 用了两年, 买了半年
  {
    re: new RegExp(`(?:买|购买|入手|用)了?(?:快|将近|差不多|大概|大约|有)?${NUM}(个)?(多)?(天|周|星期|礼拜|月|年)`, 'g'),
    resolve: (m, now) => {
      const n = parseNumber(m[1]!);
      return n ? minus(now, n, ZH_UNITS[m[4]!]!) : null;
    },
  },
  { re: /昨天|前天/g, resolve: (m, now) => minus(now, m[0] === '昨天' ? 1 : 2, 'day') },
  // A bare duration as the whole answer to 「什么时候买的？」: 「大概三个月」「一年多了」
  {
    re: new RegExp(`^(?:大概|差不多|快|将近|有|大约)?${NUM}(个)?(多)?(天|周|星期|礼拜|月|年)(多)?(?:了|左右|吧)?$`, 'g'),
    resolve: (m, now) => {
      const n = parseNumber(m[1]!);
      return n ? minus(now, n, ZH_UNITS[m[4]!]!) : null;
    },
  },
  // English: last month, 3 months ago, a year ago, half a year ago, yesterday
  {
    re: /\blast (week|month|year)\b/g,
    resolve: (m, now) => minus(now, 1, m[1] as Unit),
  },
  {
    re: /\b(\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half a) (day|week|month|year)s? ago\b/g,
    resolve: (m, now) => {
      const n = m[1] === 'half a' ? 0.5 : parseNumber(m[1]!);
      return n ? minus(now, n, m[2] as Unit) : null;
    },
  },
  { re: /\byesterday\b/g, resolve: (_m, now) => minus(now, 1, 'day') },
];

/** China has kept UTC+8 without daylight saving since 1991. */
const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/**
 * `now` shifted so that its UTC fields read the wall clock in China: the
 * rules below work on UTC fields and so resolve on the China calendar.
 */
export function chinaWallClock(now: Date): Date {
  return new Date(now.getTime() + CHINA_OFFSET_MS);
}

/** Every date expression in `text` (normalised), earliest rule winning where two overlap. */
export function findDates(text: string, instant: Date): DateSpan[] {
  const now = chinaWallClock(instant);
  const taken = new Uint8Array(text.length);
  const out: DateSpan[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (const m of text.matchAll(rule.re)) {
      const from = m.index;
      const to = from + m[0].length;
      if (taken.subarray(from, to).some((x) => x === 1)) continue;
      const value = rule.resolve(m as RegExpExecArray, now);
      if (!value) continue;
      taken.fill(1, from, to);
      out.push({ type: 'purchase_date', value, from, to });
    }
  }
  return out.sort((a, b) => a.from - b.from);
}
