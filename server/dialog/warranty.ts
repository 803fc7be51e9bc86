/**
 * The 三包 windows applied to one purchase date: which of return, exchange and
 * free repair (per part) still apply on a given day. Pure; the windows come
 * from dialogs/data/warranty.yaml.
 */
import type { Lang } from '../nlu/types.js';
import type { Warranty } from './schema.js';
import { calendarDay } from '../core/ticketId.js';

export interface PartCoverage {
  id: string;
  name: string;
  /** The free-repair period that applies: the brand's when longer than the statutory one. */
  months: number;
  /** The statutory (三包) period, when the brand's is longer. */
  statutoryMonths?: number;
  /** Last day (ISO) of free repair, for the latest possible purchase day. */
  until: string;
  /** With a span of purchase days: the last day of free repair for its first day. */
  untilEarliest?: string;
  covered: boolean;
  /**
   * Only a month (or a longer span) of purchase is known and the part is
   * covered for some days of it only: covered when bought on or after this day.
   */
  coveredIfFrom?: string;
}

/** What is known of the purchase day: one day, or a span of days (「去年12月」). */
export interface PurchaseSpan {
  from: string;
  to: string;
}

export interface WarrantyStatus {
  purchaseDate: string;
  /** Set when only a span of days is known (the windows are then counted from its last day, and hedged). */
  span?: PurchaseSpan;
  /** Whole days from the purchase day to today (7-day and 15-day windows: days ≤ N, the purchase day not counted). */
  days: number;
  canReturn: boolean;
  canExchange: boolean;
  parts: PartCoverage[];
  anyCovered: boolean;
}

const DAY_MS = 86_400_000;

function parseIsoDay(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === iso ? t : null;
}

/**
 * The last day of a window of `months` from `iso`. As in the Civil Code's
 * rules on periods (the purchase day itself is not counted), it ends on the
 * same date `months` later, or that month's last day when it has no such date.
 */
function lastDayOf(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const monthEnd = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  const end = Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d, monthEnd));
  return new Date(end).toISOString().slice(0, 10);
}

function addDays(iso: string, n: number): string {
  return new Date(parseIsoDay(iso)! + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * null when the date is not a real date or lies in the future. `brand` applies
 * that brand's longer periods (data/warranty.yaml `brands`); `span` is the
 * range of days the purchase may have been on, when only a month is known: a
 * part then counts as covered if it is for the latest possible day, and says
 * from which day on.
 */
export function warrantyStatus(
  purchaseDate: string,
  now: Date,
  rules: Warranty,
  lang: Lang,
  opts: { brand?: string | undefined; span?: PurchaseSpan | undefined } = {},
): WarrantyStatus | null {
  const today = calendarDay(now);
  const todayMs = parseIsoDay(today);
  const span = opts.span && parseIsoDay(opts.span.from) !== null && parseIsoDay(opts.span.to) !== null && opts.span.from < opts.span.to
    ? { from: opts.span.from, to: opts.span.to <= today ? opts.span.to : today }
    : undefined;
  // A month that has not begun yet (「2027年5月买的」 in 2026) is a future date, not a purchase made today.
  if (span && span.from > today) return null;
  const latest = span ? span.to : purchaseDate;
  const bought = parseIsoDay(latest);
  if (bought === null || todayMs === null || bought > todayMs || parseIsoDay(purchaseDate) === null) return null;
  const days = Math.round((todayMs - bought) / DAY_MS);
  const policy = opts.brand ? rules.brands[opts.brand] : undefined;
  const parts = rules.parts.map((p) => {
    const brandMonths = policy?.parts[p.id];
    const months = brandMonths && brandMonths > p.months ? brandMonths : p.months;
    const until = lastDayOf(latest, months);
    const covered = today <= until;
    const part: PartCoverage = { id: p.id, name: p.name[lang], months, until, covered };
    if (months !== p.months) part.statutoryMonths = p.months;
    if (span) part.untilEarliest = lastDayOf(span.from, months);
    if (span && covered && today > lastDayOf(span.from, months)) {
      let day = span.from;
      while (day < span.to && lastDayOf(day, months) < today) day = addDays(day, 1);
      part.coveredIfFrom = day;
    }
    return part;
  });
  return {
    purchaseDate,
    ...(span ? { span } : {}),
    days,
    canReturn: days <= rules.returnDays,
    canExchange: days <= rules.exchangeDays,
    parts,
    anyCovered: parts.some((p) => p.covered),
  };
}

/** The numbered summary the warranty dialog shows. */
export function warrantySummary(s: WarrantyStatus, rules: Warranty, lang: Lang): string {
  const lines: string[] = [];
  const zh = lang === 'zh';
  if (s.canReturn) {
    lines.push(
      zh
        ? `购买 ${s.days} 天，还在 ${rules.returnDays} 天内：出现性能故障，可以选择退货、换货或免费维修。`
        : `Bought ${s.days} day(s) ago, within ${rules.returnDays} days: for a performance fault you can return it, exchange it or have it repaired free.`,
    );
  } else if (s.canExchange) {
    lines.push(
      zh
        ? `购买 ${s.days} 天，还在 ${rules.exchangeDays} 天内：出现性能故障，可以选择换货或免费维修（已过 ${rules.returnDays} 天退货期）。`
        : `Bought ${s.days} days ago, within ${rules.exchangeDays} days: for a performance fault you can exchange it or have it repaired free (the ${rules.returnDays}-day return period has passed).`,
    );
  } else if (s.span) {
    lines.push(
      zh
        ? `已过退货（${rules.returnDays} 天）和换货（${rules.exchangeDays} 天）期限。`
        : `Past the ${rules.returnDays}-day return and ${rules.exchangeDays}-day exchange periods.`,
    );
  } else {
    lines.push(
      zh
        ? `购买已 ${s.days} 天，已过退货（${rules.returnDays} 天）和换货（${rules.exchangeDays} 天）期限。`
        : `Bought ${s.days} days ago: past the ${rules.returnDays}-day return and ${rules.exchangeDays}-day exchange periods.`,
    );
  }
  for (const p of s.parts) {
    const period = p.statutoryMonths
      ? zh
        ? `品牌保修 ${p.months} 个月（三包规定至少 ${p.statutoryMonths} 个月）`
        : `${p.months}-month brand warranty (the statutory minimum is ${p.statutoryMonths} months)`
      : zh
        ? `保修 ${p.months} 个月`
        : `${p.months}-month warranty`;
    if (p.coveredIfFrom) {
      lines.push(
        zh
          ? `${p.name}：${period}；如果是 ${p.coveredIfFrom} 及以后买的，仍在保修期内（最晚至 ${p.until}），更早买的已经到期，请以发票日期为准。`
          : `${p.name}: ${period}; if you bought it on ${p.coveredIfFrom} or later it is still covered (at most until ${p.until}); if earlier, it has ended — the invoice date decides.`,
      );
      continue;
    }
    if (p.untilEarliest && p.untilEarliest !== p.until) {
      lines.push(
        p.covered
          ? zh
            ? `${p.name}：${period}，按发票日期到 ${p.untilEarliest} 至 ${p.until} 之间，期内免费维修。`
            : `${p.name}: ${period}, until a day between ${p.untilEarliest} and ${p.until} depending on the invoice date, free repair.`
          : zh
            ? `${p.name}：${period}，最晚已于 ${p.until} 到期。`
            : `${p.name}: ${period}, ended by ${p.until} at the latest.`,
      );
      continue;
    }
    lines.push(
      p.covered
        ? zh
          ? `${p.name}：${period}，至 ${p.until}，期内免费维修。`
          : `${p.name}: ${period} until ${p.until}, free repair.`
        : zh
          ? `${p.name}：${period}，已于 ${p.until} 到期。`
          : `${p.name}: ${period}, ended ${p.until}.`,
    );
  }
  return lines.map((l, i) => `${i + 1}. ${l}`).join('\n');
}

/** The windows without a purchase date: 「1. 7 天内……」, numbered like the summary. */
export function warrantyRules(rules: Warranty, lang: Lang): string {
  const zh = lang === 'zh';
  const parts = rules.parts
    .map((p) => (zh ? `${p.name.zh} ${p.months} 个月` : `${p.name.en.toLowerCase()} ${p.months} months`))
    .join(zh ? '，' : ', ');
  const lines = zh
    ? [
        `购买 ${rules.returnDays} 天内出现性能故障，可以选择退货、换货或免费维修。`,
        `${rules.exchangeDays} 天内出现性能故障，可以选择换货或免费维修。`,
        `免费维修的期限：${parts}，都从购机发票上的日期算起。`,
      ]
    : [
        `A performance fault within ${rules.returnDays} days of purchase: return, exchange or free repair.`,
        `Within ${rules.exchangeDays} days: exchange or free repair.`,
        `Free repair: ${parts}, all counted from the date on the invoice.`,
      ];
  return lines.map((l, i) => `${i + 1}. ${l}`).join('\n');
}
