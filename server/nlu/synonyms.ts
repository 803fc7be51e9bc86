/**
 * Rewrites variant phrasings to one canonical form (开不开机/无法开机 →
 * 开不了机) so each rule is written once. Longest variant wins; a Latin
 * variant must stand as a whole word. The variants are one trie
 * (phraseIndex.ts): a message is walked once.
 */
import { applyEdits, type Edit, type MappedText } from './mappedText.js';
import { buildPhraseIndex } from './phraseIndex.js';

export interface SynonymRewriter {
  rewrite(m: MappedText, notes: string[]): MappedText;
}

const LATIN = /[a-z0-9]/;

/** Compiles canonical → variants into one trie over every variant, longest variant first where several begin. */
export function buildSynonymRewriter(table: Record<string, readonly string[]>): SynonymRewriter {
  const pairs = withSpelledOutParts(table);
  // One walk over the message finds every variant where it begins (a list per first character read with
  // startsWith at every 开 and 没 cost more than the rest of the rewrite); a variant listed twice keeps its first canonical form.
  const index = buildPhraseIndex(pairs.map((p) => p.variant));
  const pairOf: { variant: string; canonical: string }[] = new Array(index.size);
  for (const pair of pairs) {
    const id = index.idOf(pair.variant);
    if (id >= 0 && pairOf[id] === undefined) pairOf[id] = pair;
  }
  const scan = index.scanner();

  /** Whether the variant found at `s[i]` is not rewritten there. */
  const refused = (s: string, i: number, variant: string): boolean => {
    if (LATIN.test(variant[0]!) && i > 0 && LATIN.test(s[i - 1]!)) return true;
    if (LATIN.test(variant[variant.length - 1]!) && LATIN.test(s[i + variant.length] ?? '')) return true;
    // 「有没有网上客服」「有冇網上客服」 ask about 有/没有; they are not 「没有网」.
    return isAskingNotStating(s, i, variant);
  };

  return {
    rewrite(m, notes) {
      const s = m.text;
      const occ = scan(s);
      const { starts, ids } = occ;
      const count = ids.length;
      if (count === 0) return m;
      // What `rewrite(m, step)` of mappedText does: left to right, the longest variant at a place that is
      // not refused, the text it covers skipped.
      let edits: Edit[] | undefined;
      /** Where the next variant may begin. */
      let free = 0;
      for (let k = 0; k < count; ) {
        const at = starts[k]!;
        let end = k + 1;
        while (end < count && starts[end] === at) end++;
        // Shorter variants first at one place: the longest is the last.
        for (let j = end - 1; at >= free && j >= k; j--) {
          const hit = pairOf[ids[j]!]!;
          if (refused(s, at, hit.variant)) continue;
          notes.push(`synonym: ${hit.variant}→${hit.canonical}`);
          if (hit.canonical !== hit.variant) (edits ??= []).push({ from: at, to: at + hit.variant.length, replacement: hit.canonical });
          free = at + hit.variant.length;
        }
        k = end;
      }
      return edits ? applyEdits(m, edits) : m;
    },
  };
}

/**
 * Every (variant, canonical) pair, plus one level of composition: a variant
 * that contains another canonical form also matches with that form's own
 * variants in its place, since rewriting is a single pass (「冇反应」: 冇 is a
 * variant of 没有, 「没有反应」 one of 没反应 → 没反应).
 */
function withSpelledOutParts(table: Record<string, readonly string[]>): { variant: string; canonical: string }[] {
  const pairs = Object.entries(table).flatMap(([canonical, variants]) =>
    variants.map((v) => ({ variant: v.toLowerCase(), canonical })),
  );
  const seen = new Set(pairs.map((p) => p.variant));
  const hanParts = pairs.filter((p) => !LATIN.test(p.canonical) && !LATIN.test(p.variant));
  const extra: { variant: string; canonical: string }[] = [];
  for (const { variant, canonical } of pairs) {
    if (LATIN.test(variant)) continue;
    for (const part of hanParts) {
      if (part.canonical === canonical || !variant.includes(part.canonical)) continue;
      const composed = variant.replaceAll(part.canonical, part.variant);
      if (seen.has(composed)) continue;
      seen.add(composed);
      extra.push({ variant: composed, canonical });
    }
  }
  return [...pairs, ...extra];
}

/** A negator inside an A-not-A question: 「有没有」「是不是」, Cantonese 「有冇」「係唔係」. */
function isAskingNotStating(s: string, i: number, variant: string): boolean {
  if (i === 0) return false;
  if (variant[0] === '冇') return s[i - 1] === '有';
  return (variant[0] === '没' || variant[0] === '不' || variant[0] === '唔') && s[i - 1] === s[i + 1];
}
