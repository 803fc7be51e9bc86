/**
 * How precisely a purchase date was given. The NLU resolves 「去年12月」 to the
 * 1st; a warranty window that ends within that month must not be called over
 * for a user who may have bought on the 20th. This names the days the purchase
 * may have been on, from the words the user typed.
 */
import type { PurchaseSpan } from './warranty.js';

/** A day is named (「5号」「昨天」「上周五」「双十一」「3 months ago」 count as precise enough). */
const DAY_GIVEN =
  /[日号天周]|星期|礼拜|双十一|双11|双十二|双12|618|春节|元旦|国庆|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}(?:st|nd|rd|th)\b|\b(?:yesterday|today|day|days|week|weeks)\b|个月|个半月|年前|年半|年多|\bago\b|月\s*\d{1,2}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b/i;

function endOfMonth(y: number, m: number): string {
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);

/** The span of possible purchase days for `typed` (what the user wrote) resolved to `iso`; null when a day was given. */
export function purchaseSpan(typed: string, iso: string): PurchaseSpan | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const text = typed.toLowerCase();
  if (DAY_GIVEN.test(text)) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (/年底|年末/.test(text)) return { from: day(y, 12, 1), to: endOfMonth(y, 12) };
  if (/年初/.test(text)) return { from: day(y, 1, 1), to: endOfMonth(y, 2) };
  if (/年中/.test(text)) return { from: day(y, 6, 1), to: endOfMonth(y, 8) };
  if (/上半年/.test(text)) return { from: day(y, 1, 1), to: endOfMonth(y, 6) };
  if (/下半年/.test(text)) return { from: day(y, 7, 1), to: endOfMonth(y, 12) };
  if (/月|month|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/.test(text)) {
    if (/上旬|月初/.test(text)) return { from: day(y, mo, 1), to: day(y, mo, 10) };
    if (/中旬|月中/.test(text)) return { from: day(y, mo, 11), to: day(y, mo, 20) };
    if (/下旬|月底|月末/.test(text)) return { from: day(y, mo, 21), to: endOfMonth(y, mo) };
    return { from: day(y, mo, 1), to: endOfMonth(y, mo) };
  }
  if (/年|year/.test(text)) return { from: day(y, 1, 1), to: endOfMonth(y, 12) };
  return null;
}
