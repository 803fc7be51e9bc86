import { describe, expect, it } from 'vitest';
import { buildPinyinReader } from '../../server/nlu/pinyinInput.js';
import { mapped, originalSpan } from '../../server/nlu/mappedText.js';
import { fastNlu, NOW } from './helpers.js';

const reader = buildPinyinReader(['手机', '丢了', '开不了机', '保修', '多久', '信号']);

function read(text: string): { text: string; notes: string[] } {
  const notes: string[] = [];
  return { text: reader.read(mapped(text), notes).text, notes };
}

describe('whole pinyin', () => {
  it.each([
    ['shouji diule', '手机丢了'],
    ['shoujidiule', '手机丢了'],
    ['kai bu liao ji', '开不了机'], // a term across words
    ['baoxiu duojiu?', '保修多久?'],
    ['我的shouji diule', '我的手机丢了'],
    // Only whole words that are all pinyin; the rest stays.
    ['shouji diule zenme ban', '手机丢了 zenme ban'],
    ['my phone is lost', 'my phone is lost'],
    ['xinhaoo', 'xinhaoo'],
  ])('%j → %j', (input, expected) => {
    expect(read(input).text).toBe(expected);
  });

  it('reports what it read and keeps offsets into the original', () => {
    const notes: string[] = [];
    const m = reader.read(mapped('ok shouji diule'), notes);
    expect(notes).toEqual(['pinyin: shouji diule→手机丢了']);
    expect(originalSpan(m, 3, 7)).toEqual({ start: 3, end: 15 });
  });

  it('understands a message typed without a Chinese IME, as Chinese', async () => {
    const r = (await fastNlu()).understand('shouji diule zenme ban', { now: NOW });
    expect([r.intent, r.lang]).toEqual(['theft', 'zh']);
    expect((await fastNlu()).understand('kale salad recipe', { now: NOW }).intent).toBeNull();
  });
});
