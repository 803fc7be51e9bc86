/**
 * Rewrites variant phrasings to one canonical form (开不开机/无法开机 →
 * 开不了机) so each rule is written once. Longest variant wins; a Latin
 * variant must stand as a whole word.
 */
import { applyEdits, type Edit, type MappedText } from './mappedText.js';
import { pointUnits, unitAt } from './codeUnits.js';

export interface SynonymRewriter {
  rewrite(m: MappedText, notes: string[]): MappedText;
}

const LATIN = /[a-z0-9]/;

/** Compiles canonical → variants into a first-character index, longest variant first. */
export function buildSynonymRewriter(table: Record<string, readonly string[]>): SynonymRewriter {
  /** Variants by the code unit they begin with, longest first. */
  const byFirst: ({ variant: string; canonical: string }[] | undefined)[] = new Array(0x10000);
  for (const { variant, canonical } of withSpelledOutParts(table)) (byFirst[variant.charCodeAt(0)] ??= []).push({ variant, canonical });
  for (const list of byFirst) if (list) list.sort((a, b) => b.variant.length - a.variant.length);
  /**
   * Whether a code unit begins a variant, a byte each: read at every unit of every message, a table an
   * eighth the size of byFirst's (a pointer each) stays in cache.
   */
  const begins = new Uint8Array(0x10000);
  byFirst.forEach((list, unit) => {
    if (list) begins[unit] = 1;
  });
  /** Whether some code unit of `s` begins a variant: most messages have nothing to rewrite. */
  const mayRewrite = (s: string): boolean => {
    const n = s.length;
    for (let i = 0; i < n; i++) if (begins[unitAt(s, i)] === 1) return true;
    return false;
  };

  /** The variant that begins at `s[i]` and is rewritten there (longest first), if any. */
  const variantAt = (s: string, i: number): { variant: string; canonical: string } | undefined => {
    for (const pair of byFirst[unitAt(s, i)]!) {
      const variant = pair.variant;
      if (!s.startsWith(variant, i)) continue;
      if (LATIN.test(variant[0]!) && i > 0 && LATIN.test(s[i - 1]!)) continue;
      if (LATIN.test(variant[variant.length - 1]!) && LATIN.test(s[i + variant.length] ?? '')) continue;
      // 「有没有网上客服」「有冇網上客服」 ask about 有/没有; they are not 「没有网」.
      if (isAskingNotStating(s, i, variant)) continue;
      return pair;
    }
    return undefined;
  };

  return {
    rewrite(m, notes) {
      if (!mayRewrite(m.text)) return m;
      // What `rewrite(m, step)` of mappedText does, the units that begin no variant skipped in the loop.
      const s = m.text;
      const n = s.length;
      let edits: Edit[] | undefined;
      for (let i = 0; i < n; ) {
        const hit = begins[unitAt(s, i)] === 1 ? variantAt(s, i) : undefined;
        if (hit === undefined) {
          i += pointUnits(s, i, n);
          continue;
        }
        notes.push(`synonym: ${hit.variant}→${hit.canonical}`);
        if (hit.canonical !== s.slice(i, i + hit.variant.length)) (edits ??= []).push({ from: i, to: i + hit.variant.length, replacement: hit.canonical });
        i += hit.variant.length;
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
