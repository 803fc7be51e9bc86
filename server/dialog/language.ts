/**
 * Which language the bot answers in. The first typed message of a session
 * decides; after that the language is sticky and only a clearly different
 * message switches it, so a Chinese user typing 「ok」, 「no」 or 「OPPO Reno」
 * is not suddenly answered in English. Quick-reply picks never reach here.
 */
import type { Lang } from '../nlu/types.js';

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/g;
const LATIN_WORD = /[a-z]+(?:'[a-z]+)?/gi;

/**
 * Latin-script words Chinese users type as a matter of course: brands,
 * models, technical terms. They say nothing about the language.
 */
const NOT_ENGLISH = new Set([
  'apple', 'iphone', 'ipad', 'huawei', 'honor', 'xiaomi', 'redmi', 'mi', 'oppo', 'vivo', 'iqoo', 'oneplus',
  'samsung', 'galaxy', 'meizu', 'realme', 'nubia', 'mate', 'nova', 'pura', 'reno', 'find', 'pro', 'max',
  'plus', 'ultra', 'mini', 'lite', 'se', 'fold', 'flip',
  'wifi', 'wi', 'fi', 'apn', 'imei', 'sim', 'esim', 'app', 'apps', 'id', 'ios', 'android', 'harmonyos',
  'usb', 'nfc', 'gps', 'vpn', 'qq', 'gb', 'mb', 'cpu', 'bug', 'sd', 'pc',
]);
/** One-word replies Chinese users type too: English only in a session's first message. */
const SHORT_REPLIES = new Set(['ok', 'okay', 'hi', 'hello', 'hey', 'bye', 'yes', 'no', 'yep', 'nope', 'thx']);

/** Han characters and English-looking words in `text`. */
export function languageSignals(text: string): { han: number; words: number; replies: number } {
  const han = text.match(HAN)?.length ?? 0;
  const latin = (text.match(LATIN_WORD) ?? []).map((w) => w.toLowerCase()).filter((w) => w.length >= 2 && !NOT_ENGLISH.has(w));
  const replies = latin.filter((w) => SHORT_REPLIES.has(w)).length;
  return { han, words: latin.length - replies, replies };
}

/**
 * The language to answer `text` in. `first`: the session's first typed
 * message, which decides on its own (any Chinese → zh, any English word →
 * en). Later, English needs at least two English words outnumbering the
 * Chinese characters; Chinese needs at least two Chinese characters
 * outnumbering the English words.
 */
export function replyLanguage(text: string, current: Lang, first: boolean): Lang {
  const { han, words: w, replies } = languageSignals(text);
  if (first) return han > 0 ? 'zh' : w + replies > 0 ? 'en' : current;
  // 「no thanks」 is English; 「ok」 or 「no」 alone is not.
  const words = w + (w > 0 ? replies : 0);
  if (current === 'zh') return words >= 2 && words > han ? 'en' : 'zh';
  return han >= 2 && han > words ? 'zh' : 'en';
}
