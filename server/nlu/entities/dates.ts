/**
 * Purchase dates, absolute or relative, resolved against `now` to an ISO
 * date on the China calendar (Asia/Shanghai, UTC+8, as ticket ids use): at
 * 07:00 Beijing time on the 25th, 「昨天」 is the 24th. 「上个月买的」「买了十个月」「2025年3月5号」「半年前」
 * 「一年半前」「去年年底」「上周五」「3月份买的」「last month」「3 months ago」「in March」.
 * A period without a day (a month, 年底, 下旬) resolves to its first day.
 */

export interface DateSpan {
  type: 'purchase_date';
  value: string;
  from: number;
  to: number;
}

type Unit = 'day' | 'week' | 'month' | 'year';

/** A lookup table keyed by what the user typed: a Map, so 「constructor」 finds nothing. */
const table = <T>(entries: Record<string, T>): ReadonlyMap<string, T> => new Map(Object.entries(entries));

const ZH_DIGITS = table<number>({ 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 });
const EN_NUMBERS = table<number>({
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
});
const ZH_UNITS = table<Unit>({ 天: 'day', 日: 'day', 周: 'week', 星期: 'week', 礼拜: 'week', 月: 'month', 年: 'year' });
const FESTIVALS = table<[number, number]>({ 双十一: [11, 11], 双11: [11, 11], 双十二: [12, 12], 双12: [12, 12], '618': [6, 18], 春节: [1, 1], 元旦: [1, 1], 国庆: [10, 1] });
/** Parts of a year and of a month → their first month / day. */
const YEAR_PARTS = table<number>({ 年初: 1, 上半年: 1, 年中: 7, 下半年: 7, 年底: 12, 年末: 12 });
const MONTH_PARTS = table<number>({ 初: 1, 上旬: 1, 中: 11, 中旬: 11, 下旬: 21, 底: 21, 末: 21 });
const EN_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * 1..99 written in digits or Chinese numerals (十, 十二, 二十三, 两); a range
 * of two neighbours (两三, 七八) gives the larger, 十几 15; null otherwise.
 */
export function parseNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (s === '半') return 0.5;
  if (EN_NUMBERS.get(s) !== undefined) return EN_NUMBERS.get(s)!;
  const range = /^([一二两三四五六七八])([二三四五六七八九])$/.exec(s);
  if (range && ZH_DIGITS.get(range[2]!)! === ZH_DIGITS.get(range[1]!)! + 1) return ZH_DIGITS.get(range[2]!)!;
  if (s === '十几') return 15;
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || s === '') return null;
  if (!m[2]) return m[1] && !m[3] ? ZH_DIGITS.get(m[1])! : null;
  return (m[1] ? ZH_DIGITS.get(m[1])! : 1) * 10 + (m[3] ? ZH_DIGITS.get(m[3])! : 0);
}

function yearOf(s: string): number | null {
  if (/^\d{4}$/.test(s)) return Number(s);
  if (/^[零〇一二三四五六七八九]{4}$/.test(s)) return Number([...s].map((c) => ZH_DIGITS.get(c)).join(''));
  if (/^\d{2}$/.test(s)) return 2000 + Number(s);
  return null;
}

function iso(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1990 || y > 2100) return null;
  return date.toISOString().slice(0, 10);
}

function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The last month `mo`, day `d` that is not ahead: this year's, or an earlier one (2月29号 looks back to a leap year). */
function latest(now: Date, mo: number, d: number): string | null {
  for (let y = now.getUTCFullYear(); y >= now.getUTCFullYear() - 4; y--) {
    const date = iso(y, mo, d);
    if (date && date <= today(now)) return date;
  }
  return null;
}

/**
 * `now` minus `n` units; months clamp to the month's last day (3-31 minus 1
 * month → 2-28), and a part of a month counts 30 days to the month (一个半月).
 */
export function minus(now: Date, n: number, unit: Unit): string {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  if (unit === 'day' || unit === 'week') {
    return new Date(Date.UTC(y, m, d - Math.round(n * (unit === 'week' ? 7 : 1)))).toISOString().slice(0, 10);
  }
  const exact = n * (unit === 'year' ? 12 : 1);
  const months = Math.floor(exact + 1e-9);
  const days = Math.round((exact - months) * 30);
  const target = new Date(Date.UTC(y, m - months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  const day = Math.min(d, last) - days;
  return new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), day)).toISOString().slice(0, 10);
}

const NUM = '(\\d{1,2}|[一二两三四五六七八九十]{1,3}|十几|半)';
const ZH_NUM = '(\\d{1,2}|[一二两三四五六七八九十]{1,3})';
/** A month number as a name: no 两 (「两月」 is two months). */
const MONTH = '(\\d{1,2}|十[一二]?|[一二三四五六七八九])';
const YEAR = '(\\d{4}|[零〇一二三四五六七八九]{4}|\\d{2})';
/** An amount of time: 「三个月」「一个半月」「一年半」「两年多」; groups n, half, unit, half again. */
const AMOUNT = `${NUM}个?(半)?多?(天|周|星期|礼拜|月|年)(半)?多?`;
const DAY_OR_PART = `(?:${ZH_NUM}[日号]|(上旬|中旬|下旬|初|底|末|中))`;

/** The amount matched by AMOUNT whose number is group `i`. */
function amountOf(m: RegExpExecArray, i: number, now: Date): string | null {
  const n = parseNumber(m[i]!);
  if (!n) return null;
  return minus(now, n + (m[i + 1] || m[i + 3] ? 0.5 : 0), ZH_UNITS.get(m[i + 2]!)!);
}

/** 1 (Monday) … 7 (Sunday) for 一…六, 日/天 and 1–7. */
function weekdayOf(s: string): number {
  return '一二三四五六'.indexOf(s) + 1 || (/\d/.test(s) ? Number(s) : 7);
}

/** Days since this week's Monday (weeks start on Monday in China). */
function daysSinceMonday(now: Date): number {
  return (now.getUTCDay() + 6) % 7;
}

/** Day `m[i]` (a number) or part `m[i + 1]` (上旬, 底…) of a month; 1 when neither. */
function dayOf(m: RegExpExecArray, i: number): number | null {
  if (m[i]) return parseNumber(m[i]!);
  return m[i + 1] ? MONTH_PARTS.get(m[i + 1]!)! : 1;
}

interface Rule {
  /** What every match of `re` that resolves holds: a rule is tried only on a text where all of these occur. */
  needs: RegExp[];
  re: RegExp;
  resolve(m: RegExpExecArray, now: Date): string | null;
}

/** A unit of time as AMOUNT writes it (天, 周, 星期, 礼拜, 月, 年). */
const UNIT_CHAR = /[天周期拜月年]/;
/** The words next to which a month or a part of a year counts (买, 购, 入手, 拿到). */
const BUYING_CHAR = /[买购入拿]/;
const WEEK = /周|星期|礼拜/;

const RULES: Rule[] = [
  // English: last March, this May, March last year, in december of last year
  {
    needs: [/last|this/],
    re: /\b(?:(?:in|on|since|around) )?(?:(last|this) )?(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?:,? (?:of )?(last|this) year)?\b/g,
    resolve: (m, now) => {
      const prefix = m[1];
      const suffix = m[3];
      if (!prefix && !suffix) return null;
      if (m[2] === 'may' && prefix === 'this' && !suffix) return null; // "this may help"
      const word = /(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*/.exec(m[0])![0];
      if (!/^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)$/.test(word)) return null;
      const mo = EN_MONTHS.indexOf(m[2]!.slice(0, 3)) + 1;
      const year = now.getUTCFullYear();
      if (suffix === 'last') return iso(year - 1, mo, 1);
      if (suffix === 'this' || prefix === 'this') return mo <= now.getUTCMonth() + 1 ? iso(year, mo, 1) : null;
      // "last March": the latest March before this month (said in March, a year ago)
      return iso(mo < now.getUTCMonth() + 1 ? year : year - 1, mo, 1);
    },
  },
  // 2025年3月5号, 2025年3月底
  {
    needs: [/年/, /月/],
    re: new RegExp(`${YEAR}年${ZH_NUM}月份?${DAY_OR_PART}?`, 'g'),
    resolve: (m) => {
      const y = yearOf(m[1]!);
      const mo = parseNumber(m[2]!);
      const d = dayOf(m, 3);
      return y && mo && d ? iso(y, mo, d) : null;
    },
  },
  // 2025-03-05, 2025/3/5, 2025.3.5
  { needs: [/\d[-/.]\d/], re: /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g, resolve: (m) => iso(Number(m[1]), Number(m[2]), Number(m[3])) },
  // 去年双十一, 去年3月, 去年年底, 前年
  {
    needs: [/[今去前]年/],
    re: new RegExp(`(今年|去年|前年)(双十一|双11|双十二|双12|618|春节|元旦|国庆|年初|年中|年底|年末|上半年|下半年|${ZH_NUM}月份?${DAY_OR_PART}?)?`, 'g'),
    resolve: (m, now) => {
      const y = now.getUTCFullYear() - ({ 今年: 0, 去年: 1, 前年: 2 } as Record<string, number>)[m[1]!]!;
      const fest = m[2] ? FESTIVALS.get(m[2]) : undefined;
      if (fest) return iso(y, fest[0], fest[1]);
      if (m[2] && YEAR_PARTS.get(m[2])) return iso(y, YEAR_PARTS.get(m[2])!, 1);
      if (m[3]) {
        const mo = parseNumber(m[3]);
        const d = dayOf(m, 4);
        return mo && d ? iso(y, mo, d) : null;
      }
      if (m[1] === '今年') return null;
      return iso(y, now.getUTCMonth() + 1, Math.min(now.getUTCDate(), 28));
    },
  },
  // 上个月15号, 上个月底, 上上个月
  {
    needs: [/上个?月/],
    re: new RegExp(`(上上|上)个?月${DAY_OR_PART}?`, 'g'),
    resolve: (m, now) => {
      const back = minus(now, m[1] === '上上' ? 2 : 1, 'month');
      if (!m[2] && !m[3]) return back;
      const d = dayOf(m, 2);
      return d ? iso(Number(back.slice(0, 4)), Number(back.slice(5, 7)), d) : null;
    },
  },
  // 这个月3号, 本月初
  {
    needs: [/(?:这个|本)月/],
    re: new RegExp(`(?:这个|本)月${DAY_OR_PART}`, 'g'),
    resolve: (m, now) => {
      const d = dayOf(m, 1);
      const date = d ? iso(now.getUTCFullYear(), now.getUTCMonth() + 1, d) : null;
      return date && date <= today(now) ? date : null;
    },
  },
  // 这周一, 本周三: not yet ahead
  {
    needs: [/[这本]/, WEEK],
    re: /(?:这|本)(?:个)?(?:周|星期|礼拜)([一二三四五六日天1-7])(?![直下些次般样点共起\d])/g,
    resolve: (m, now) => {
      const back = daysSinceMonday(now) - (weekdayOf(m[1]!) - 1);
      return back >= 0 ? minus(now, back, 'day') : null;
    },
  },
  // 上周, 上个星期, 上周五 (weeks start on Monday); 「上周一直卡」 is no Monday
  {
    needs: [/上/, WEEK],
    re: /(上上|上)个?(周|星期|礼拜)(?:([一二三四五六日天1-7])(?![直下些次般样点共起\d]))?/g,
    resolve: (m, now) => {
      const weeks = m[1] === '上上' ? 2 : 1;
      if (!m[3]) return minus(now, weeks, 'week');
      return minus(now, daysSinceMonday(now) + 7 * weeks - (weekdayOf(m[3]) - 1), 'day');
    },
  },
  // 3月5号, 3月底 (this year, or last year if that is still ahead)
  {
    needs: [/月/],
    re: new RegExp(`(?<![年\\d个])${MONTH}月份?${DAY_OR_PART}`, 'g'),
    resolve: (m, now) => {
      const mo = parseNumber(m[1]!);
      const d = dayOf(m, 2);
      return mo && d ? latest(now, mo, d) : null;
    },
  },
  // 双十一 alone: the last one
  {
    needs: [/双/],
    re: /(?<![今去前]年)(双十一|双11|双十二|双12)/g,
    resolve: (m, now) => latest(now, ...FESTIVALS.get(m[1]!)!),
  },
  // 年底买的: the last one
  {
    needs: [/年/, BUYING_CHAR],
    re: /(?<![今去前]年|[年\d])(年初|年中|年底|年末|上半年|下半年)(?=.{0,4}(?:买|购|入手|拿到))/g,
    resolve: (m, now) => latest(now, YEAR_PARTS.get(m[1]!)!, 1),
  },
  // 三个月前, 一年半前, 半个月之前
  {
    needs: [/前/, UNIT_CHAR],
    re: new RegExp(`${AMOUNT}(前|以前|之前)`, 'g'),
    resolve: (m, now) => amountOf(m, 1, now),
  },
  // 买了十个月, 用了两年, 买了不到半年, 刚买三天
  {
    needs: [/[买购入用]/, UNIT_CHAR],
    re: new RegExp(`(?:买|购买|入手|用)了?(?:快|将近|差不多|大概|大约|有|不到|还不到|没到|才|刚)?${AMOUNT}`, 'g'),
    resolve: (m, now) => amountOf(m, 1, now),
  },
  { needs: [/天/], re: /大前天|昨天|前天|今天/g, resolve: (m, now) => minus(now, ({ 大前天: 3, 前天: 2, 昨天: 1, 今天: 0 } as Record<string, number>)[m[0]]!, 'day') },
  // 3月份买的, 十月买的: a month alone only next to buying
  {
    needs: [/月/, BUYING_CHAR],
    re: new RegExp(`(?<![年\\d个上])${MONTH}月份?(?![\\d一二三四五六七八九十])(?=.{0,4}(?:买|购|入手|拿到))`, 'g'),
    resolve: (m, now) => {
      const mo = parseNumber(m[1]!);
      return mo ? latest(now, mo, 1) : null;
    },
  },
  // A bare duration as the whole answer to 「什么时候买的？」: 「大概三个月」「一年多了」
  {
    needs: [UNIT_CHAR],
    re: new RegExp(`^(?:大概|差不多|快|将近|有|大约|不到)?${AMOUNT}(?:了|左右|吧)?$`, 'g'),
    resolve: (m, now) => amountOf(m, 1, now),
  },
  // English: last month, 3 months ago, a year ago, half a year ago, yesterday
  {
    needs: [/last/],
    re: /\blast (week|month|year)\b/g,
    resolve: (m, now) => minus(now, 1, m[1] as Unit),
  },
  {
    needs: [/ago/],
    re: /\b(\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half a) (day|week|month|year)s? ago\b/g,
    resolve: (m, now) => {
      const n = m[1] === 'half a' ? 0.5 : parseNumber(m[1]!);
      return n ? minus(now, n, m[2] as Unit) : null;
    },
  },
  { needs: [/day/], re: /\b(?:the day before yesterday|yesterday|today)\b/g, resolve: (m, now) => minus(now, m[0] === 'today' ? 0 : m[0] === 'yesterday' ? 1 : 2, 'day') },
  // in March, on March 5th, since march 2025, 5 march 2025 ("may" only with a day or a year)
  {
    needs: [/jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/],
    re: /\b(?:(?:in|on|since|around) )?(?:(\d{1,2})(?:st|nd|rd|th)? (?:of )?)?(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?: (\d{1,2})(?:st|nd|rd|th)?)?(?:,? (\d{4}))?\b/g,
    resolve: (m, now) => {
      const word = m[0].replace(/^(?:in|on|since|around) /, '');
      if (!/^(?:\d{1,2}(?:st|nd|rd|th)? (?:of )?)?(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b/.test(word)) return null;
      if (m[2] === 'may' && !m[1] && !m[3] && !m[4] && !/^(?:in|since|around) /.test(m[0])) return null;
      if (!m[1] && !m[3] && !m[4] && m[0] === word) return null;
      const mo = EN_MONTHS.indexOf(m[2]!.slice(0, 3)) + 1;
      const d = Number(m[1] ?? m[3] ?? 1);
      return m[4] ? iso(Number(m[4]), mo, d) : latest(now, mo, d);
    },
  },
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
/** Every rule needs one of these; most messages have none, and skip the rules. */
// English words only at a word's start (every rule has them there: not "smart", "decide"); 号码 is no day.
const MAY_HAVE_DATE = /[年月周期拜天日昨今双\d]|号(?!码)|\b(?:ago|last|yesterday|today|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/;

/** Whether every one of `needs` occurs in `text` (a loop: no closure made per rule and call). */
function allFound(needs: readonly RegExp[], text: string): boolean {
  for (const n of needs) if (!n.test(text)) return false;
  return true;
}

/** Whether `[from, to)` shares a character with a date already found (an empty span shares none). */
function isTaken(found: readonly DateSpan[], from: number, to: number): boolean {
  for (const d of found) if (from < d.to && d.from < to) return true;
  return false;
}

export function findDates(text: string, instant: Date): DateSpan[] {
  return datesIn(text, instant, true);
}

/** findDates trying every rule on every text: what the pre-tests must not change (for tests). */
export function findDatesWithoutPretests(text: string, instant: Date): DateSpan[] {
  return datesIn(text, instant, false);
}

function datesIn(text: string, instant: Date, pretests: boolean): DateSpan[] {
  if (pretests && !MAY_HAVE_DATE.test(text)) return [];
  const now = chinaWallClock(instant);
  const out: DateSpan[] = [];
  for (const rule of RULES) {
    if (pretests && !allFound(rule.needs, text)) continue;
    // exec on the rule's own regex, as matchAll would on a copy of it (no copy made per rule and call).
    const re = rule.re;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0] === '') re.lastIndex++;
      const from = m.index;
      const to = from + m[0].length;
      if (isTaken(out, from, to)) continue;
      const value = rule.resolve(m, now);
      if (!value) continue;
      out.push({ type: 'purchase_date', value, from, to });
    }
  }
  return out.sort((a, b) => a.from - b.from);
}
