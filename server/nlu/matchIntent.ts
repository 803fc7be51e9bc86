/**
 * Stage 4: intent rules as compiled lookups. Each rule hit adds evidence with
 * its weight (combined as a noisy-or), negated hits are dropped, `not`
 * phrases veto, `beats` and kind rank settle overlaps. Everything that
 * counted is written to the explanation.
 */
import { KIND_RANK, type IntentFile } from './content.js';
import { latinTokens, stemPhrase, type LatinToken } from './english.js';
import { CLAUSE_PUNCTUATION, isNegatedEn, isNegatedZh, maskClauses, occursUnnegated } from './negation.js';
import type { IntentScore } from './types.js';

/** Below this the utterance is out of scope. */
export const THRESHOLD = 0.5;
/** A runner-up this close to the best is "too close to call". */
export const MARGIN = 0.15;
/** Factor applied to an intent beaten by another or outranked by its kind. */
const DAMPING = 0.5;

interface Part {
  zh: string[];
  en: string[][];
}

interface PhraseRule {
  phrase: string;
  intent: number;
  weight: number;
  /** Counts only at the very start of the utterance (「还是卡」 as an answer). */
  anchored: boolean;
}

interface CompiledIntent {
  id: string;
  rank: number;
  english: { stems: string[]; text: string; weight: number }[];
  together: { parts: Part[]; weight: number; label: string; clause: boolean }[];
  exact: Map<string, number>;
  not: string[];
  beats: string[];
  maxChars: number | undefined;
}

export interface IntentMatcher {
  readonly intents: readonly string[];
  match(canonical: string, tokens: readonly LatinToken[], explanation: string[]): IntentScore[];
}

/** Strips what does not change a short answer: punctuation, spaces, emoji, trailing particles. */
export function exactKey(text: string): string {
  return text
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/(?<=\p{Script=Han})\s+|\s+(?=\p{Script=Han})/gu, '')
    .replace(/[啊吧呢哦噢嘛呀哈啦喔哇]+$/u, '');
}

/** Compiles the intent files into lookup tables, once. */
export function buildIntentMatcher(files: readonly IntentFile[]): IntentMatcher {
  const byFirst = new Map<string, PhraseRule[]>();
  const compiled: CompiledIntent[] = files.map((f, index) => {
    for (const [key, weight] of Object.entries(f.phrases)) {
      const anchored = key.startsWith('^');
      const phrase = (anchored ? key.slice(1) : key).toLowerCase();
      const list = byFirst.get(phrase[0]!) ?? [];
      list.push({ phrase, intent: index, weight, anchored });
      byFirst.set(phrase[0]!, list);
    }
    return {
      id: f.id,
      rank: KIND_RANK[f.kind],
      english: Object.entries(f.english).map(([text, weight]) => ({ stems: stemPhrase(text), text, weight })),
      together: f.together.map((t) => ({
        weight: t.weight,
        clause: t.clause,
        label: t.all.join(' + '),
        parts: t.all.map((part) => {
          const alts = part.split('|').map((a) => a.trim().toLowerCase()).filter(Boolean);
          return {
            zh: alts.filter((a) => !/^[a-z0-9' ]+$/.test(a)),
            en: alts.filter((a) => /^[a-z0-9' ]+$/.test(a)).map(stemPhrase),
          };
        }),
      })),
      exact: new Map(Object.entries(f.exact).map(([k, w]) => [exactKey(k.toLowerCase()), w])),
      not: f.not.map((n) => n.toLowerCase()),
      beats: f.beats,
      maxChars: f.maxChars,
    };
  });

  return {
    intents: compiled.map((c) => c.id),
    match(canonical, tokens, explanation) {
      const key = exactKey(canonical);
      // 「对对对」「没有没有」 say it once, louder.
      const collapsedKey = key.replace(/(.{1,2}?)\1+/gu, '$1');
      const contentLength = contentUnits(key);
      const allowed = (c: CompiledIntent) => c.maxChars === undefined || contentLength <= c.maxChars;

      /** Rule hits in `text` for the intents in `only` (all when null). */
      const collect = (text: string, toks: readonly LatinToken[], only: ReadonlySet<number> | null): number[][] => {
        const evidence: number[][] = compiled.map(() => []);
        const wanted = (i: number) => (only === null || only.has(i)) && allowed(compiled[i]!);
        const note = (i: number, what: string, w: number) => {
          evidence[i]!.push(w);
          explanation.push(`${compiled[i]!.id}: ${what} (${w})`);
        };
        // A phrase inside a negated longer one is negated too: 「不要转人工」 also silences 「人工」.
        const negated: { from: number; to: number }[] = [];
        const hits: { p: number; h: PhraseRule }[] = [];
        for (let p = 0; p < text.length; p++) {
          for (const h of byFirst.get(text[p]!) ?? []) {
            if (!text.startsWith(h.phrase, p) || !wanted(h.intent) || (h.anchored && p !== 0)) continue;
            if (isNegatedZh(text, p, h.phrase)) {
              negated.push({ from: p, to: p + h.phrase.length });
              explanation.push(`${compiled[h.intent]!.id}: negated 「${h.phrase}」`);
            } else hits.push({ p, h });
          }
        }
        for (const { p, h } of hits) {
          if (negated.some((n) => n.from <= p && p + h.phrase.length <= n.to)) continue;
          note(h.intent, `phrase 「${h.phrase}」`, h.weight);
        }
        let clauses: { text: string; tokens: LatinToken[] }[] | null = null;
        const clausesOf = () =>
          (clauses ??= text.split(CLAUSE_PUNCTUATION).filter(Boolean).map((cl) => ({ text: cl, tokens: latinTokens(cl) })));
        for (let i = 0; i < compiled.length; i++) {
          const c = compiled[i]!;
          if (only !== null && !only.has(i)) continue;
          const w = c.exact.get(key) ?? c.exact.get(collapsedKey);
          if (w !== undefined && only === null) note(i, `exact 「${key}」`, w);
          if (!allowed(c)) continue;
          for (const e of toks.length > 0 ? c.english : []) {
            const at = findStems(toks, e.stems);
            if (at < 0) continue;
            if (isNegatedEn(toks, at, e.stems)) explanation.push(`${c.id}: negated "${e.text}"`);
            else note(i, `english "${e.text}"`, e.weight);
          }
          for (const t of c.together) {
            // Cheap test on the whole text first; most rules fail there.
            if (!allOccur(t.parts, text, toks)) continue;
            if (t.clause && !clausesOf().some((cl) => allOccur(t.parts, cl.text, cl.tokens))) continue;
            note(i, `together ${t.label}`, t.weight);
          }
        }
        return evidence;
      };

      const evidence = collect(canonical, tokens, null);
      // A `not` phrase (「信号没问题」) silences its own clause only: 「信号满格但是网速很慢」 still counts.
      compiled.forEach((c, i) => {
        if (evidence[i]!.length === 0) return;
        const vetoes = c.not.filter((n) => occursUnnegated(canonical, n));
        if (vetoes.length === 0) return;
        explanation.push(`${c.id}: vetoed in its clause by ${vetoes.map((v) => `「${v}」`).join('')}`);
        const masked = maskClauses(canonical, vetoes);
        evidence[i] = collect(masked, latinTokens(masked), new Set([i]))[i]!;
      });
      const scores = evidence.map((ws) => (ws.length === 0 ? 0 : 1 - ws.reduce((acc, w) => acc * (1 - w), 1)));

      // Overlaps: a firing intent damps those it beats and every intent of a lower kind.
      const firing = compiled.filter((_, i) => scores[i]! >= THRESHOLD);
      const topRank = Math.max(-1, ...firing.map((c) => c.rank));
      const damped = scores.map((s, i) => {
        const c = compiled[i]!;
        if (s === 0) return 0;
        const beaten = firing.find((f) => f.beats.includes(c.id));
        const outranked = c.rank < topRank;
        if (beaten) explanation.push(`${c.id}: beaten by ${beaten.id}`);
        else if (outranked) explanation.push(`${c.id}: outranked by a ${topRank > 1 ? 'problem/FAQ' : 'small-talk'} intent`);
        return beaten || outranked ? s * DAMPING : s;
      });

      return compiled
        .map((c, i) => ({ intent: c.id, score: round(damped[i]!) }))
        .filter((s) => s.score > 0)
        .sort((a, b) => b.score - a.score);
    },
  };
}

/** Length for `maxChars`: a Han character or a Latin word counts one. */
function contentUnits(key: string): number {
  const han = key.match(/\p{Script=Han}/gu)?.length ?? 0;
  const words = key.match(/[a-z0-9]+/g)?.length ?? 0;
  return han + words;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Index of the first token of an in-order match of `stems`, at most two words apart; -1 if none. */
function findStems(tokens: readonly LatinToken[], stems: readonly string[]): number {
  if (stems.length === 0) return -1;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.stem !== stems[0]) continue;
    let at = i;
    let ok = true;
    for (let k = 1; k < stems.length && ok; k++) {
      ok = false;
      for (let j = at + 1; j <= at + 3 && j < tokens.length; j++) {
        if (tokens[j]!.stem === stems[k]) {
          at = j;
          ok = true;
          break;
        }
      }
    }
    if (ok) return i;
  }
  return -1;
}

function allOccur(parts: readonly Part[], text: string, tokens: readonly LatinToken[]): boolean {
  for (const part of parts) if (!partOccurs(text, tokens, part)) return false;
  return true;
}

function partOccurs(text: string, tokens: readonly LatinToken[], part: Part): boolean {
  if (part.zh.some((alt) => occursUnnegated(text, alt))) return true;
  return part.en.some((stems) => {
    const at = findStems(tokens, stems);
    return at >= 0 && !isNegatedEn(tokens, at, stems);
  });
}
