/**
 * Hand-made NLU results for engine unit tests: the engine's behaviour is
 * tested apart from the real NLU's accuracy (the scripted conversations run
 * the real one).
 */
import { INTENT_IDS } from '../../server/nlu/content.js';
import type { Entity, Nlu, NluResult } from '../../server/nlu/types.js';

export type FakeReading = Partial<Omit<NluResult, 'entities'>> & { entities?: Omit<Entity, 'start' | 'end'>[] };

/** An NluResult for `text`, defaulting to "nothing recognised". */
export function nluResult(text: string, over: FakeReading = {}): NluResult {
  const intent = over.intent ?? null;
  return {
    text,
    normalized: over.normalized ?? text.toLowerCase(),
    lang: over.lang ?? (/[\u3400-\u9fff]/.test(text) ? 'zh' : 'en'),
    tokens: over.tokens ?? [text],
    intent,
    confidence: over.confidence ?? (intent ? 1 : 0),
    candidates: over.candidates ?? (intent ? [{ intent, score: 1 }] : []),
    ambiguousWith: over.ambiguousWith ?? null,
    suggestion: over.suggestion ?? null,
    entities: (over.entities ?? []).map((e) => ({ ...e, start: 0, end: text.length })),
    explanation: over.explanation ?? ['fake'],
  };
}

/** Every intent id the content uses (the NLU's own list, so a new intent needs no edit here). */
export const INTENTS = INTENT_IDS;

/** An Nlu answering from a table (unknown text: no intent); counts its calls. */
export function fakeNlu(table: Record<string, FakeReading>, contentHash = 'fake-1'): Nlu & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    contentHash,
    intents: INTENTS,
    understand(text) {
      calls.push(text);
      return nluResult(text, table[text] ?? {});
    },
  };
}
