import { Writable } from 'node:stream';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log.js';
import { normalize } from '../../server/nlu/normalize.js';
import { maskEntityValue, maskSensitive } from '../../server/privacy/mask.js';
import type { Nlu } from '../../server/nlu/types.js';
import { fastNlu } from '../nlu/helpers.js';

describe('maskSensitive', () => {
  it.each([
    ['我的号码13812345678', '我的号码138****5678'],
    ['号码是 138 1234 5678 谢谢', '号码是 138 **** 5678 谢谢'],
    ['139-1234-5678', '139-****-5678'],
    ['+86 13912345678', '+86 139****5678'],
    ['8613912345678', '86139****5678'],
    ['１３８１２３４５６７８', '１３８****５６７８'],
    ['IMEI: 356938035643809', 'IMEI: 35693803*******'],
    ['两个 13812345678 和 15900001111', '两个 138****5678 和 159****1111'],
  ])('%j → %j', (text, masked) => {
    expect(maskSensitive(text)).toBe(masked);
  });

  it.each([
    '订单号 123456789012',
    '12812345678 is not a mobile number',
    '1381234567 has ten digits',
    '138123456789 has twelve digits',
    '价格 1999 元',
    '',
  ])('leaves %j alone', (text) => {
    expect(maskSensitive(text)).toBe(text);
  });
});

/* ---------------------------------------------------------------- what the NLU reads, masking hides */


/** The digits a reader can see in `text` (full-width folded), in order. */
const visibleDigits = (text: string) => text.normalize('NFKC').replace(/\D/g, '');

/** Every code point (all planes, surrogates left out), as a string. */
function* everyCodePoint(): Generator<string> {
  for (let cp = 0; cp < 0x110000; cp++) if (cp < 0xd800 || cp > 0xdfff) yield String.fromCodePoint(cp);
}

/**
 * What the NLU's normalize makes of every character, once: the separators it
 * drops or turns into a space between two digits (zero-width characters, soft
 * hyphen, controls, every Unicode space…), and every way of writing each digit
 * that it folds to that ASCII digit (full-width, superscript, circled,
 * mathematical…). Taken from normalize itself, so a character it learns to
 * fold is covered here too.
 */
const { SEPARATORS, SPELLINGS } = (() => {
  const separators = ['-', '  ', ' - '];
  const spellings: string[][] = Array.from({ length: 10 }, () => []);
  for (const ch of everyCodePoint()) {
    const between = normalize(`1${ch}2`).text;
    if (between === '12' || between === '1 2') separators.push(ch);
    const folded = normalize(`x${ch}`).text;
    if (folded.length === 2 && folded[1]! >= '0' && folded[1]! <= '9') spellings[Number(folded[1])]!.push(ch);
  }
  return { SEPARATORS: separators, SPELLINGS: spellings };
})();

describe('masking sees what the NLU sees', () => {
  let nlu: Nlu;
  beforeAll(async () => {
    nlu = await fastNlu();
  });

  it.each([
    ['zero-width spaces', '我的手机号是138\u200b0013\u200b8000'],
    ['soft hyphens', '我的手机号是138\u00ad0013\u00ad8000'],
    ['NBSP grouping', '手机号 138\u00a00013\u00a08000'],
    ['ideographic spaces', '手机号 138\u30000013\u30008000'],
    ['two spaces', '手机号 138  0013  8000'],
    ['a space between every digit', '号码 1 3 8 0 0 1 3 8 0 0 0'],
    ['a spaced IMEI', 'IMEI 35 693803 564380 9'],
    ['an IMEI with a zero-width character', 'imei 35693803\u200b5643809'],
    ['full-width digits and +86', '打＋８６　１３８００１３８０００找我'],
  ])('%s', (_name, text) => {
    const found = nlu.understand(text).entities.filter((e) => e.type === 'phone' || e.type === 'imei' || e.type === 'imei_invalid');
    expect(found.length).toBeGreaterThan(0);
    const masked = maskSensitive(text);
    expect(masked.length).toBe(text.length);
    for (const e of found) expect(visibleDigits(masked)).not.toContain(e.value);
  });

  it('the tables above hold what they should: every Unicode space and invisible character, every style of digit', () => {
    for (const ch of ['\u200b', '\u00ad', '\u00a0', '\u3000', '\u2028', '\u1680', '\ufeff', '\t']) expect(SEPARATORS).toContain(ch);
    expect(SEPARATORS.length).toBeGreaterThan(90);
    for (const ch of ['1', '１', '¹', '₁', '①', '𝟏', '𝟙']) expect(SPELLINGS[1]).toContain(ch);
    expect(SPELLINGS[0]).toContain('⓪');
  });

  it('every separator, between every digit of a phone number and of an IMEI, is masked as the NLU reads it', () => {
    const missed: string[] = [];
    for (const sep of SEPARATORS) {
      for (const text of [`我的手机号是${[...'13800138000'].join(sep)}`, `IMEI ${[...'356938035643809'].join(sep)}`]) {
        const found = nlu.understand(text).entities.filter((e) => e.type === 'phone' || e.type === 'imei' || e.type === 'imei_invalid');
        for (const e of found) if (visibleDigits(maskSensitive(text)).includes(e.value)) missed.push(JSON.stringify(sep));
      }
    }
    expect(missed).toEqual([]);
  });

  it('every way of writing a digit that the NLU folds is masked', () => {
    const missed: string[] = [];
    for (let d = 0; d < 10; d++) {
      for (const ch of SPELLINGS[d]!) {
        // 138 0013 8000 with every 8 and one other digit written this way.
        const phone = [...'13800138000'].map((x) => (x === String(d) ? ch : x)).join('');
        const text = `我的手机号是${phone}`;
        for (const e of nlu.understand(text).entities)
          if (e.type === 'phone' && visibleDigits(maskSensitive(text)).includes(e.value)) missed.push(ch);
        expect(maskSensitive(text).length).toBe(text.length);
      }
    }
    expect(missed).toEqual([]);
  });

  it('property: no phone number or IMEI the NLU reads survives masking, nor a log line, whatever separators and digits spell it', () => {
    const digitsOf = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
    const phone = fc.tuple(fc.constantFrom('13', '15', '17', '18', '19'), digitsOf(9)).map(([a, b]) => a + b);
    const imei = digitsOf(15);
    const separator = fc.oneof(fc.constant(''), fc.constant(''), fc.constantFrom(...SEPARATORS));
    const spelled = fc
      .tuple(
        fc.oneof(phone, imei),
        fc.array(separator, { minLength: 15, maxLength: 15 }),
        fc.array(fc.nat(), { minLength: 15, maxLength: 15 }),
        fc.constantFrom('plain', 'one style', 'mixed'),
        fc.boolean(),
      )
      .map(([digits, seps, picks, style, plus86]) => {
        const ch = (d: string, i: number) => {
          if (style === 'plain') return d;
          const ways = SPELLINGS[Number(d)]!;
          return ways[(style === 'one style' ? picks[0]! : picks[i]!) % ways.length]!;
        };
        const body = [...digits].map((d, i) => (i > 0 ? seps[i]! : '') + ch(d, i)).join('');
        return (plus86 && digits.length === 11 ? '+86 ' : '') + body;
      });
    const context = fc.constantFrom<[string, string]>(['我的手机号是', '，麻烦回电'], ['IMEI: ', ''], ['号码 ', ' 谢谢'], ['my number is ', ' thanks'], ['', '']);
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
    fc.assert(
      fc.property(spelled, context, (number, [before, after]) => {
        const text = `${before}${number}${after}`;
        const masked = maskSensitive(text);
        expect(masked.length).toBe(text.length);
        lines.length = 0;
        log.info({ text }, text);
        for (const e of nlu.understand(text).entities) {
          if (e.type !== 'phone' && e.type !== 'imei' && e.type !== 'imei_invalid') continue;
          expect(visibleDigits(masked)).not.toContain(e.value);
          expect(visibleDigits(lines.join(''))).not.toContain(e.value);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('keeps public service lines readable when asked to', () => {
    const text = '在境外可免费拨打 +86 13800100186，您的号码 13912345678 已登记';
    expect(maskSensitive(text, { keep: new Set(['13800100186']) })).toBe('在境外可免费拨打 +86 13800100186，您的号码 139****5678 已登记');
  });

  it('prints entity values masked', () => {
    expect(maskEntityValue('phone', '13812345678')).toBe('138****5678');
    expect(maskEntityValue('imei', '356938035643809')).toBe('35693803*******');
    expect(maskEntityValue('carrier', 'cmcc')).toBe('cmcc');
  });
});
