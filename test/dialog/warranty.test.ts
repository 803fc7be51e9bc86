/** The 三包 windows for one purchase date, against the editable data. */
import { describe, expect, it } from 'vitest';
import { readDialogContent } from '../../server/dialog/content.js';
import { purchaseSpan } from '../../server/dialog/purchaseSpan.js';
import { warrantyStatus, warrantySummary } from '../../server/dialog/warranty.js';

const rules = readDialogContent().content!.warranty;
const on = (iso: string) => new Date(`${iso}T12:00:00+08:00`);
const covered = (s: ReturnType<typeof warrantyStatus>) => Object.fromEntries(s!.parts.map((p) => [p.id, p.covered]));

describe('warrantyStatus', () => {
  it.each([
    // purchase, today, return, exchange, main, battery, charger, headset
    ['2026-11-20', '2026-11-24', true, true, true, true, true, true],
    ['2026-11-17', '2026-11-24', true, true, true, true, true, true],
    ['2026-11-16', '2026-11-24', false, true, true, true, true, true],
    ['2026-11-09', '2026-11-24', false, true, true, true, true, true],
    ['2026-11-08', '2026-11-24', false, false, true, true, true, true],
    ['2026-08-24', '2026-11-24', false, false, true, true, true, true],
    ['2026-08-23', '2026-11-24', false, false, true, true, true, false],
    ['2026-05-24', '2026-11-24', false, false, true, true, true, false],
    ['2026-05-23', '2026-11-24', false, false, true, false, true, false],
    ['2025-11-24', '2026-11-24', false, false, true, false, true, false],
    ['2025-11-23', '2026-11-24', false, false, false, false, false, false],
  ] as const)('bought %s, asked %s', (bought, today, ret, exch, main, battery, charger, headset) => {
    const s = warrantyStatus(bought, on(today), rules, 'zh');
    expect(s).not.toBeNull();
    expect([s!.canReturn, s!.canExchange]).toEqual([ret, exch]);
    expect(covered(s)).toEqual({ main_unit: main, battery, charger, wired_headset: headset });
  });

  it('clamps month ends: bought 31 August, the battery warranty ends on 28 February', () => {
    const s = warrantyStatus('2026-08-31', on('2026-09-01'), rules, 'en')!;
    expect(s.parts.find((p) => p.id === 'battery')!.until).toBe('2027-02-28');
    expect(s.parts.find((p) => p.id === 'main_unit')!.until).toBe('2027-08-31');
  });

  it('refuses future and impossible dates', () => {
    expect(warrantyStatus('2026-12-01', on('2026-11-24'), rules, 'zh')).toBeNull();
    expect(warrantyStatus('2026-02-30', on('2026-11-24'), rules, 'zh')).toBeNull();
  });

  it('writes numbered lines in the asked language', () => {
    const zh = warrantySummary(warrantyStatus('2026-11-20', on('2026-11-24'), rules, 'zh')!, rules, 'zh');
    expect(zh.split('\n')[0]).toMatch(/^1\. 购买 4 天，还在 7 天内：出现性能故障，可以选择退货、换货或免费维修/);
    expect(zh.split('\n')).toHaveLength(5);
    const en = warrantySummary(warrantyStatus('2026-11-20', on('2026-11-24'), rules, 'en')!, rules, 'en');
    expect(en).toMatch(/^1\. Bought 4 day\(s\) ago, within 7 days/);
  });
});

describe('a purchase known only to the month, and brand policies', () => {
  it.each([
    ['去年12月', '2025-12-01', { from: '2025-12-01', to: '2025-12-31' }],
    ['3月份', '2026-03-01', { from: '2026-03-01', to: '2026-03-31' }],
    ['去年12月下旬', '2025-12-21', { from: '2025-12-21', to: '2025-12-31' }],
    ['去年年底', '2025-12-01', { from: '2025-12-01', to: '2025-12-31' }],
    ['in March', '2026-03-01', { from: '2026-03-01', to: '2026-03-31' }],
    ['去年12月5号', '2025-12-05', null],
    ['八个月', '2026-04-03', null],
    ['昨天', '2026-11-23', null],
    ['3 months ago', '2026-08-24', null],
    ['March 5', '2026-03-05', null],
    ['10 March 2026', '2026-03-10', null],
    ['the 3rd of May', '2026-05-03', null],
    ['bought it on 1 Dec 2025', '2025-12-01', null],
  ] as const)('「%s」 (%s) may be any day of %j', (typed, iso, span) => {
    expect(purchaseSpan(typed, iso)).toEqual(span);
  });

  it('refuses a month that has not begun yet instead of counting from today (「2027年5月买的」 in 2026)', () => {
    expect(warrantyStatus('2027-05-01', on('2026-12-04'), rules, 'zh', { span: { from: '2027-05-01', to: '2027-05-31' } })).toBeNull();
    // The month under way counts up to today.
    const s = warrantyStatus('2026-12-01', on('2026-12-04'), rules, 'zh', { span: { from: '2026-12-01', to: '2026-12-31' } })!;
    expect(s.span).toEqual({ from: '2026-12-01', to: '2026-12-04' });
    expect(s.canReturn).toBe(true);
  });

  it('never calls a window over that is still open for a later day of the month', () => {
    const s = warrantyStatus('2025-12-01', on('2026-12-02'), rules, 'zh', { span: { from: '2025-12-01', to: '2025-12-31' } })!;
    const main = s.parts.find((p) => p.id === 'main_unit')!;
    expect(main.covered).toBe(true);
    expect(main.coveredIfFrom).toBe('2025-12-02');
    expect(warrantySummary(s, rules, 'zh')).toMatch(/如果是 2025-12-02 及以后买的，仍在保修期内/);
    // The day given: over is over.
    expect(warrantyStatus('2025-12-01', on('2026-12-02'), rules, 'zh')!.parts.find((p) => p.id === 'main_unit')!.covered).toBe(false);
  });

  it('applies a brand\'s longer period (Apple: battery one year) and says the statutory one', () => {
    const s = warrantyStatus('2026-01-05', on('2026-12-02'), rules, 'zh', { brand: 'apple' })!;
    const battery = s.parts.find((p) => p.id === 'battery')!;
    expect(battery).toMatchObject({ months: 12, statutoryMonths: 6, covered: true, until: '2027-01-05' });
    expect(warrantyStatus('2026-01-05', on('2026-12-02'), rules, 'zh', { brand: 'xiaomi' })!.parts.find((p) => p.id === 'battery')!.covered).toBe(false);
  });
});
