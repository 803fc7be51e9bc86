/**
 * Digit entities: IMEI (15 digits, Luhn-checked) and mainland mobile numbers.
 * Works on the normalised text (full-width digits are ASCII by then).
 */

import { luhnValid } from '../../core/luhn.js';
import { unitAt } from '../codeUnits.js';

export interface Span {
  type: 'imei' | 'imei_invalid' | 'phone';
  value: string;
  from: number;
  to: number;
}

/**
 * Runs of digit groups joined by single spaces or dashes (「138 1234 5678」,
 * 「35-693803-564380-9」), with an optional +; a run may follow the Latin
 * label imei/meid directly (「imei490154203237518」) but no other letters
 * (「SF1234567890123」 is a waybill).
 */
const DIGIT_RUN = /(?<![0-9+])\+?\d+(?:[- ]\d+)*(?![0-9a-z])/g;
const MASKED_PHONE = /(?<!\d)1[3-9]\d[*x×]{4}\d{4}(?!\d)/g;
/** Digits with a country code: a phone number, even when the whole is 15 digits long (0086 138…). */
const WITH_COUNTRY_CODE = /^(?:\+86|0086|86)(1[3-9]\d{9})$/;
/** Labels of other long numbers: 15 digits after one of these are no IMEI (订单号 202503051234567). */
const OTHER_NUMBER = /(?:订单|单号|运单|快递|工单|流水|发票|身份证|银行卡|卡号|账号|账户|qq|qq号|微信号)[号码是为:：\s]{0,3}$/;

/** IMEIs and phone numbers with their spans in `text`. */
export function findNumbers(text: string): Span[] {
  const out: Span[] = [];
  // Both patterns need ASCII digits (full-width ones are ASCII after normalisation): a masked number 7,
  // a number read off digit groups at least 11 (a phone number; an IMEI 15). 「4G」「30km」「40分钟」 have fewer.
  const digits = digitsUpTo(text, 11);
  if (digits < 7) return out;
  for (const m of digits < 11 ? NO_RUNS : text.matchAll(DIGIT_RUN)) {
    if (m.index > 0 && /[a-z]/.test(text[m.index - 1]!) && !/(?:imei|meid)$/.test(text.slice(0, m.index))) continue;
    const labelled = OTHER_NUMBER.test(text.slice(Math.max(0, m.index - 8), m.index));
    // One run may hold several numbers (two IMEIs side by side): read it group by group.
    const groups = [...m[0].matchAll(/\+?\d+/g)];
    for (let i = 0; i < groups.length; ) {
      const found = numberAt(groups, i, labelled);
      if (!found) {
        i++;
        continue;
      }
      const from = m.index + groups[i]!.index;
      const last = groups[found.end - 1]!;
      out.push({ type: found.type, value: found.value, from, to: m.index + last.index + last[0].length });
      i = found.end;
    }
  }
  for (const m of text.matchAll(MASKED_PHONE)) {
    out.push({ type: 'phone', value: m[0].replace(/[x×]/g, '*'), from: m.index, to: m.index + m[0].length });
  }
  return out;
}

const NO_RUNS: readonly RegExpExecArray[] = [];

/** How many ASCII digits `text` holds, counted up to `most`. */
function digitsUpTo(text: string, most: number): number {
  let count = 0;
  const n = text.length;
  for (let i = 0; i < n && count < most; i++) {
    const unit = unitAt(text, i);
    if (unit >= 0x30 && unit <= 0x39) count++;
  }
  return count;
}

/** The shortest run of groups from `i` that spells a phone number or a 15-digit IMEI; `end` is the group after it. */
function numberAt(groups: RegExpMatchArray[], i: number, labelled: boolean): { type: Span['type']; value: string; end: number } | null {
  let digits = '';
  for (let j = i; j < groups.length && digits.length < 15; j++) {
    // A group that is a whole number by itself is not the tail of another (「2025 13812345678」).
    if (j > i && isWhole(groups[j]![0]) && !/^(?:\+86|0086|86)$/.test(digits)) return null;
    digits += groups[j]![0];
    const country = WITH_COUNTRY_CODE.exec(digits);
    if (country) return { type: 'phone', value: country[1]!, end: j + 1 };
    if (digits.startsWith('+')) continue;
    if (digits.length === 11 && /^1[3-9]/.test(digits)) return { type: 'phone', value: digits, end: j + 1 };
    if (digits.length === 15 && !labelled) return { type: luhnValid(digits) ? 'imei' : 'imei_invalid', value: digits, end: j + 1 };
  }
  return null;
}

function isWhole(group: string): boolean {
  return group.length === 15 || (group.length === 11 && /^1[3-9]/.test(group));
}
