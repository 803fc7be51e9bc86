/**
 * The message length rule: characters as the writer sees them, the same
 * count for the widget's counter and the server's limit.
 */
import { describe, expect, it } from 'vitest';
import { countCharacters, isTextTooLong, MAX_TEXT_LENGTH, MAX_TEXT_UNITS } from '../../server/core/textLength.js';

describe('countCharacters', () => {
  it.each([
    ['', 0],
    ['手机开不了机', 6],
    ['my phone', 8],
    ['😀', 1],
    ['🇨🇳', 1], // two regional indicators
    ['🇨🇳🇭🇰', 2],
    ['👍🏽', 1], // skin tone
    ['❤️', 1], // variation selector
    ['1️⃣', 1], // keycap
    ['👨‍👩‍👧‍👦', 1], // ZWJ family
    ['🏳️‍🌈', 1],
    ['🏴󠁧󠁢󠁳󠁣󠁴󠁿', 1], // tag sequence
    ['e\u0301', 1], // combining accent
    ['𠮷', 1], // outside the BMP
    ['a\r\nb', 3],
    ['好\n好', 3],
  ])('%j is %i', (text, n) => {
    expect(countCharacters(text)).toBe(n);
  });

  it('stops counting once past the bound it was given', () => {
    expect(countCharacters('x'.repeat(10_000), 500)).toBe(501);
  });
});

describe('isTextTooLong', () => {
  it.each([
    ['500 汉字', '好'.repeat(500), false],
    ['501 汉字', '好'.repeat(501), true],
    ['500 emoji', '😀'.repeat(500), false],
    ['501 emoji', '😀'.repeat(501), true],
    ['500 flags', '🇨🇳'.repeat(500), false],
    ['500 skin-toned thumbs', '👍🏽'.repeat(500), false],
    ['501 flags', '🇨🇳'.repeat(501), true],
    ['a few letters under thousands of accents', 'a'.repeat(3) + '\u0301'.repeat(MAX_TEXT_UNITS), true],
  ])('%s: %s', (_label, text, tooLong) => {
    expect(isTextTooLong(text)).toBe(tooLong);
  });

  it('allows up to MAX_TEXT_UNITS code units of few characters', () => {
    expect(MAX_TEXT_LENGTH).toBe(500);
    expect(isTextTooLong(`a${'\u0301'.repeat(MAX_TEXT_UNITS - 1)}`)).toBe(false);
    expect(isTextTooLong(`a${'\u0301'.repeat(MAX_TEXT_UNITS)}`)).toBe(true);
  });
});
