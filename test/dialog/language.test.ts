/**
 * Which language the bot answers in: the first message decides, then only a
 * clearly different message switches (a Chinese user's 「ok」 does not).
 */
import { describe, expect, it } from 'vitest';
import { replyLanguage } from '../../server/dialog/language.js';

describe('replyLanguage', () => {
  it.each([
    ['手机开不了机', 'en', 'zh'],
    ['my phone is slow', 'zh', 'en'],
    ['hi', 'zh', 'en'],
    ['OPPO', 'zh', 'zh'],
    ['490154203237518', 'en', 'en'],
  ] as const)('first message %s (default %s) → %s', (text, current, expected) => {
    expect(replyLanguage(text, current, true)).toBe(expected);
  });

  it.each(['ok', 'OK', 'no', 'yes', 'okay', 'nope', 'OPPO Reno 10 Pro', 'iPhone 15 Pro Max', 'Huawei Mate 60', 'wifi', 'APN', 'ok 好的', 'no 没有', 'vivo x100', '490154203237518'])(
    'stays in Chinese on %s',
    (text) => {
      expect(replyLanguage(text, 'zh', false)).toBe('zh');
    },
  );

  it.each(['no thanks', 'still not working', 'my phone was stolen', 'I want to talk to someone', '我的 phone won\'t turn on at all'])(
    'switches to English on %s',
    (text) => {
      expect(replyLanguage(text, 'zh', false)).toBe('en');
    },
  );

  it.each(['好', 'My phone is 华为', 'ok', '18612345678'])('stays in English on %s', (text) => {
    expect(replyLanguage(text, 'en', false)).toBe('en');
  });

  it.each(['还是不行', '手机 still 开不了机'])('switches to Chinese on %s', (text) => {
    expect(replyLanguage(text, 'en', false)).toBe('zh');
  });
});
