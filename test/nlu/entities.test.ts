import { describe, expect, it } from 'vitest';
import { NOW, fastNlu } from './helpers.js';
import { findDates, minus, parseNumber } from '../../server/nlu/entities/dates.js';
import { findNumbers } from '../../server/nlu/entities/numbers.js';
import { luhnValid } from '../../server/core/luhn.js';
import { maskEntityValue } from '../../server/privacy/mask.js';
import type { Entity } from '../../server/nlu/types.js';

async function entities(text: string): Promise<Entity[]> {
  return (await fastNlu()).understand(text, { now: NOW }).entities;
}

/** What the user typed at each entity's offsets, with its type and value. */
async function spans(text: string): Promise<[string, string, string][]> {
  return (await entities(text)).map((e) => [e.type, e.value, text.slice(e.start, e.end)]);
}

describe('IMEI and phone numbers', () => {
  it('checks the Luhn digit', () => {
    expect(luhnValid('490154203237518')).toBe(true);
    expect(luhnValid('490154203237519')).toBe(false);
  });

  it('finds a valid and an invalid IMEI with offsets into the original', async () => {
    expect(await spans('IMEI：４９０１５４２０３２３７５１８')).toEqual([['imei', '490154203237518', '４９０１５４２０３２３７５１８']]);
    expect(await spans('串号是490154203237519对吗')).toEqual([['imei_invalid', '490154203237519', '490154203237519']]);
  });

  it('keeps a mobile number whole, and masks it when printed', async () => {
    const text = '我的号码是 +86 138-1234-5678，帮我查查';
    const found = await entities(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ type: 'phone', value: '13812345678' });
    expect(text.slice(found[0]!.start, found[0]!.end)).toBe('+86 138-1234-5678');
    expect(maskEntityValue(found[0]!.type, found[0]!.value)).toBe('138****5678');
  });

  it('recognises a number the user already masked', () => {
    expect(findNumbers('尾号是138****5678的那个')).toEqual([{ type: 'phone', value: '138****5678', from: 3, to: 14 }]);
  });

  it('ignores digit runs that are neither', () => {
    expect(findNumbers('订单号 12345678 和 2025 年')).toEqual([]);
    expect(findNumbers('02112345678')).toEqual([]); // landline-like, not a mobile number
    expect(findNumbers('4901542032375180')).toEqual([]); // 16 digits
  });

  it.each([
    // Two numbers in one run of groups are read one by one.
    ['两个IMEI 490154203237518 356938035643809', [['imei', '490154203237518', '490154203237518'], ['imei', '356938035643809', '356938035643809']]],
    ['2025 13812345678', [['phone', '13812345678', '13812345678']]],
    // A grouped IMEI that starts with 86 is no country code.
    ['串号86-753109-123456-3', [['imei', '867531091234563', '86-753109-123456-3']]],
    // A country code makes a phone number even where the digits count 15.
    ['0086 13812345678', [['phone', '13812345678', '0086 13812345678']]],
    ['电话8613812345678', [['phone', '13812345678', '8613812345678']]],
    ['imei490154203237518', [['imei', '490154203237518', '490154203237518']]],
    // Other labelled numbers are no IMEI; a waybill glued to letters is nothing.
    ['订单号202503051234567', []],
    ['QQ号：123456789012345', []],
    ['快递单号 SF1234567890123', []],
  ])('%j', async (text, expected) => {
    expect(await spans(text)).toEqual(expected);
  });
});

describe('carriers, brands, models', () => {
  it.each([
    ['中国移动的卡没信号', [['carrier', 'cmcc', '中国移动']]],
    ['联通卡上不了网', [['carrier', 'cucc', '联通']]],
    ['电信信号差', [['carrier', 'ctcc', '电信']]],
    ['广电5G怎么样', [['carrier', 'cbn', '广电']]],
    ['CMCC no service', [['carrier', 'cmcc', 'CMCC']]],
    ['移动数据打不开', []], // mobile data, not China Mobile
    ['红米手机卡顿', [['brand', 'xiaomi', '红米']]],
    ['玩王者荣耀卡', []], // a game, not the Honor brand
    ['手机快没电信号也差', []], // 没电 + 信号, no China Telecom
    ['我的电信号码', [['carrier', 'ctcc', '电信']]],
    ['一加一等于几', []],
    ['屏幕上有个dead pixel', []],
    ['HUAWEI P60 Art开不了机', [['brand', 'huawei', 'HUAWEI P60 Art'], ['model', 'HUAWEI P60 Art', 'HUAWEI P60 Art']]],
    ['苹果15pro被偷了', [['brand', 'apple', '苹果15pro'], ['model', '苹果15pro', '苹果15pro']]],
    ['iphone15promax', [['brand', 'apple', 'iphone15promax'], ['model', 'iphone15promax', 'iphone15promax']]],
    ['OPPO和vivo哪个好', [['brand', 'oppo', 'OPPO'], ['brand', 'vivo', 'vivo']]],
  ])('%j', async (text, expected) => {
    expect(await spans(text)).toEqual(expected);
  });

  it('reads a model as the user wrote it, with its brand', async () => {
    expect(await spans('我的iPhone 15 Pro开不了机')).toEqual([
      ['brand', 'apple', 'iPhone 15 Pro'],
      ['model', 'iPhone 15 Pro', 'iPhone 15 Pro'],
    ]);
    expect(await spans('华为Mate60卡')).toEqual([
      ['brand', 'huawei', '华为Mate60'],
      ['model', '华为Mate60', '华为Mate60'],
    ]);
  });
});

describe('purchase dates (now = 2026-06-15)', () => {
  it.each([
    ['上个月买的', '2026-05-15'],
    ['上上个月买的', '2026-04-15'],
    ['买了十个月', '2025-08-15'],
    ['买了两年了', '2024-06-15'],
    ['用了半年', '2025-12-15'],
    ['2025年3月5号买的', '2025-03-05'],
    ['二〇二五年三月五日', '2025-03-05'],
    ['2025-03-05', '2025-03-05'],
    ['半年前买的', '2025-12-15'],
    ['三个月前', '2026-03-15'],
    ['去年双十一买的', '2025-11-11'],
    ['双十一买的', '2025-11-11'], // this year's is still ahead
    ['去年3月买的', '2025-03-01'],
    ['8月20号买的', '2025-08-20'], // a date still ahead this year means last year
    ['昨天刚买', '2026-06-14'],
    ['bought it last month', '2026-05-15'],
    ['3 months ago', '2026-03-15'],
    ['half a year ago', '2025-12-15'],
    ['手機是去年買的', '2025-06-15'],
    ['大概三个月', '2026-03-15'], // the whole answer to 「什么时候买的？」
    ['一年多了', '2025-06-15'],
    // Halves, ranges and parts of a period (the first day of a period without one).
    ['一年半前买的', '2024-12-15'],
    ['买了一年半', '2024-12-15'],
    ['一个半月前', '2026-04-30'],
    ['半个月前', '2026-05-31'],
    ['两三个月前买的', '2026-03-15'],
    ['十几天前', '2026-05-31'],
    ['买了不到半年', '2025-12-15'],
    ['大前天买的', '2026-06-12'],
    ['上周五买的', '2026-06-12'], // 2026-06-15 is a Monday
    ['上个礼拜天', '2026-06-14'],
    ['上个月15号买的', '2026-05-15'],
    ['上个月底', '2026-05-21'],
    ['去年年底买的', '2025-12-01'],
    ['去年下半年', '2025-07-01'],
    ['年底买的', '2025-12-01'],
    ['三月份买的', '2026-03-01'],
    ['我是十二月在京东买的', '2025-12-01'],
    ['2025年3月底', '2025-03-21'],
    ['2月29号买的', '2024-02-29'], // the last one there was
    ['bought it in march', '2026-03-01'],
    ['i bought it last march', '2026-03-01'],
    ['last june', '2025-06-01'], // said in June: a year ago
    ['last December', '2025-12-01'],
    ['in march last year', '2025-03-01'],
    ['bought it march of last year', '2025-03-01'],
    ['this april', '2026-04-01'],
    ['since 5 march 2025', '2025-03-05'],
    ['i got it in may', '2026-05-01'],
    ['这个月3号买的', '2026-06-03'],
    ['本月初', '2026-06-01'],
    ['今天刚买的', '2026-06-15'],
    ['bought it today', '2026-06-15'],
    ['the day before yesterday', '2026-06-13'],
  ])('%j → %s', (text, iso) => {
    const found = findDates(text.toLowerCase(), NOW);
    expect(found.map((d) => d.value)).toEqual([iso]);
  });

  it('rejects impossible dates and clamps months', () => {
    expect(findDates('2025年2月30号', NOW)).toEqual([]);
    expect(findDates('2月30号买的', NOW)).toEqual([]);
    expect(minus(new Date('2026-03-31T00:00:00Z'), 1, 'month')).toBe('2026-02-28');
  });

  it('resolves on the China calendar (UTC+8), as ticket ids do', () => {
    const values = (text: string, at: string) => findDates(text, new Date(at)).map((d) => d.value);
    // 07:00 in Beijing on the 25th is still the 24th in UTC.
    expect(values('昨天买的', '2026-11-24T23:00:00Z')).toEqual(['2026-11-24']);
    expect(values('前天买的', '2026-11-24T23:00:00Z')).toEqual(['2026-11-23']);
    expect(values('yesterday', '2026-11-24T15:59:00Z')).toEqual(['2026-11-23']);
    expect(values('上个月买的', '2026-11-30T16:30:00Z')).toEqual(['2026-11-01']);
    // New Year's morning in Beijing: 去年 is already 2026.
    expect(values('去年双十一', '2026-12-31T17:00:00Z')).toEqual(['2026-11-11']);
    expect(values('12月31号买的', '2026-12-31T17:00:00Z')).toEqual(['2026-12-31']);
  });

  it('parses Chinese numerals', () => {
    expect([parseNumber('十'), parseNumber('十二'), parseNumber('二十三'), parseNumber('两'), parseNumber('半')]).toEqual([10, 12, 23, 2, 0.5]);
    expect(parseNumber('abc')).toBeNull();
    expect([parseNumber('两三'), parseNumber('七八'), parseNumber('十几'), parseNumber('三五')]).toEqual([3, 8, 15, null]);
  });

  it('needs a purchase, a day or a year for a month alone', () => {
    const values = (text: string) => findDates(text, NOW).map((d) => d.value);
    expect(values('12月份的话费')).toEqual([]);
    expect(values('it may be broken')).toEqual([]);
    expect(values('this may help, last march is fine')).toEqual(['2026-03-01']);
    expect(values('this may be the battery')).toEqual([]);
    // On Wednesday 2026-06-17: 「上周一直卡」 is last week, not last Monday.
    const wednesday = new Date('2026-06-17T04:00:00Z');
    expect(findDates('上周一直卡', wednesday).map((d) => d.value)).toEqual(['2026-06-10']);
    expect(findDates('上周一买的', wednesday).map((d) => d.value)).toEqual(['2026-06-08']);
  });

  it('gives offsets into the original text', async () => {
    expect(await spans('手機上個月買的，沒訊號')).toEqual([['purchase_date', '2026-05-15', '上個月']]);
  });
});
