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
  months: number;
  /** Last day (ISO) of free repair. */
  until: string;
  covered: boolean;
}

export interface WarrantyStatus {
  purchaseDate: string;
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

/** null when the date is not a real date or lies in the future. */
export function warrantyStatus(purchaseDate: string, now: Date, rules: Warranty, lang: Lang): WarrantyStatus | null {
  const bought = parseIsoDay(purchaseDate);
  const today = calendarDay(now);
  const todayMs = parseIsoDay(today);
  if (bought === null || todayMs === null || bought > todayMs) return null;
  const days = Math.round((todayMs - bought) / DAY_MS);
  const parts = rules.parts.map((p) => {
    const until = lastDayOf(purchaseDate, p.months);
    return { id: p.id, name: p.name[lang], months: p.months, until, covered: today <= until };
  });
  return {
    purchaseDate,
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
  } else {
    lines.push(
      zh
        ? `购买已 ${s.days} 天，已过退货（${rules.returnDays} 天）和换货（${rules.exchangeDays} 天）期限。`
        : `Bought ${s.days} days ago: past the ${rules.returnDays}-day return and ${rules.exchangeDays}-day exchange periods.`,
    );
  }
  for (const p of s.parts) {
    lines.push(
      p.covered
        ? zh
          ? `${p.name}：保修 ${p.months} 个月，至 ${p.until}，期内免费维修。`
          : `${p.name}: ${p.months}-month warranty until ${p.until}, free repair.`
        : zh
          ? `${p.name}：保修 ${p.months} 个月，已于 ${p.until} 到期。`
          : `${p.name}: ${p.months}-month warranty, ended ${p.until}.`,
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
