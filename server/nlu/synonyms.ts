/**
 * Rewrites variant phrasings to one canonical form (开不开机/无法开机 →
 * 开不了机) so each rule is written once. Longest variant wins; a Latin
 * variant must stand as a whole word.
 */
import { rewrite, type MappedText } from './mappedText.js';

export interface SynonymRewriter {
  rewrite(m: MappedText, notes: string[]): MappedText;
}

const LATIN = /[a-z0-9]/;

/** Compiles canonical → variants into a first-character index, longest variant first. */
export function buildSynonymRewriter(table: Record<string, readonly string[]>): SynonymRewriter {
  const byFirst = new Map<string, { variant: string; canonical: string }[]>();
  for (const [canonical, variants] of Object.entries(table)) {
    for (const raw of variants) {
      const variant = raw.toLowerCase();
      const first = variant[0]!;
      const list = byFirst.get(first) ?? [];
      list.push({ variant, canonical });
      byFirst.set(first, list);
    }
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.variant.length - a.variant.length);

  return {
    rewrite(m, notes) {
      return rewrite(m, (s, i) => {
        const list = byFirst.get(s[i]!);
        if (!list) return null;
        for (const { variant, canonical } of list) {
          if (!s.startsWith(variant, i)) continue;
          if (LATIN.test(variant[0]!) && i > 0 && LATIN.test(s[i - 1]!)) continue;
          if (LATIN.test(variant[variant.length - 1]!) && LATIN.test(s[i + variant.length] ?? '')) continue;
          // 「有没有网上客服」 asks about 有/没有; it is not 「没有网」.
          if ((variant[0] === '没' || variant[0] === '不') && i > 0 && s[i - 1] === s[i + 1]) continue;
          notes.push(`synonym: ${variant}→${canonical}`);
          return { length: variant.length, replacement: canonical };
        }
        return null;
      });
    },
  };
}
