import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalize } from '../../server/nlu/normalize.js';
import { originalSpan } from '../../server/nlu/mappedText.js';

describe('normalize', () => {
  it.each([
    ['ＩＰＨＯＮＥ１５　开不了机', 'iphone15 开不了机'], // full-width → half-width, ideographic space
    ['手機開不了機', '手机开不了机'],
    ['沒訊號', '没信号'], // Taiwan phrase, not just characters
    ['網路很慢', '网络很慢'],
    ['記憶體不足', '内存不足'],
    ['  WiFi \t\n 连不上  ', 'wifi 连不上'],
    ['手 机 开 不 了 机', '手机开不了机'], // no spaces between Han characters
    ['手机 super 卡', '手机 super 卡'],
    ['开\u200b不\u200d了\ufeff机', '开不了机'],
    ['卡\u0007顿', '卡顿'],
    ['', ''],
    // Simplified text is left alone: Taiwan phrase rules would turn 文件 into 文档, 程序 into 进程.
    ['文件损坏，小程序打不开，紧急呼叫', '文件损坏,小程序打不开,紧急呼叫'],
    ['小程式打不開', '小程序打不开'],
    // A social channel's @handle addresses the account; an e-mail address keeps its @.
    ['@AppleSupport No', 'no'],
    ['@TMobileHelp @115913 my phone is dead', 'my phone is dead'],
    ['Thank you @AppleSupport it works', 'thank you it works'],
    ['mail me at wang@example.com', 'mail me at wang@example.com'],
    ['it works now, thanks @AppleSupport.', 'it works now, thanks .'],
    ['write to @example.com', 'write to @example.com'],
  ])('%j → %j', (input, expected) => {
    expect(normalize(input).text).toBe(expected);
  });

  /** The original text under what normalisation made of `normalized`'s first occurrence of `found`. */
  const underneath = (input: string, found: string): string => {
    const m = normalize(input);
    const at = m.text.indexOf(found);
    const span = originalSpan(m, at, at + found.length);
    return input.slice(span.start, span.end);
  };

  it.each([
    ['  我的ＩＭＥＩ是 490154203237518', '490154203237518', '490154203237518'],
    ['  我的ＩＭＥＩ是 490154203237518', 'imei', 'ＩＭＥＩ'],
    // after a removed @handle
    ['@VerizonSupport my IMEI is 490154203237518', '490154203237518', '490154203237518'],
  ])('maps characters back to where they came from: %j', (input, found, original) => {
    expect(underneath(input, found)).toBe(original);
  });

  it('maps a phrase that changed length to the whole original phrase', () => {
    const input = '我的記憶體不夠';
    const m = normalize(input);
    const at = m.text.indexOf('内存');
    const span = originalSpan(m, at, at + 2);
    expect(input.slice(span.start, span.end)).toBe('記憶體');
  });

  it('keeps offsets inside the original and in order, for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const m = normalize(s);
        expect(m.starts.length).toBe(m.text.length);
        expect(m.ends.length).toBe(m.text.length);
        for (let i = 0; i < m.text.length; i++) {
          expect(m.starts[i]!).toBeGreaterThanOrEqual(0);
          expect(m.ends[i]!).toBeLessThanOrEqual(s.length);
          expect(m.starts[i]!).toBeLessThanOrEqual(m.ends[i]!);
          if (i > 0) expect(m.starts[i]!).toBeGreaterThanOrEqual(m.starts[i - 1]!);
        }
        expect(normalize(m.text).text).toBe(m.text); // idempotent
      }),
    );
  });
});
