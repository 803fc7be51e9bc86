/** The 三包 windows for one purchase date, against the editable data. */
import { describe, expect, it } from 'vitest';
import { readDialogContent } from '../../server/dialog/content.js';
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
