/**
 * The result of one `understand` call. A class rather than an object literal
 * with a getter: such a literal is built field by field on every call (about a
 * microsecond), an instance of a class is not. The words are cut only when
 * `tokens` is first read; `toJSON` gives the plain fields, tokens included.
 */
import type { Entity, IntentScore, Lang, NluResult, Segmenter, Suggestion } from './types.js';

export class Understood implements NluResult {
  constructor(
    readonly text: string,
    readonly normalized: string,
    readonly lang: Lang,
    private readonly segmenter: Segmenter,
    /** The words, when something already cut them. */
    private words: string[] | undefined,
    readonly intent: string | null,
    readonly confidence: number,
    readonly candidates: IntentScore[],
    readonly ambiguousWith: string | null,
    readonly suggestion: Suggestion | null,
    readonly entities: Entity[],
    readonly explanation: string[],
  ) {}

  get tokens(): string[] {
    return (this.words ??= this.segmenter.cut(this.normalized));
  }

  /** The fields in the order of NluResult. */
  toJSON(): NluResult {
    return {
      text: this.text,
      normalized: this.normalized,
      lang: this.lang,
      tokens: this.tokens,
      intent: this.intent,
      confidence: this.confidence,
      candidates: this.candidates,
      ambiguousWith: this.ambiguousWith,
      suggestion: this.suggestion,
      entities: this.entities,
      explanation: this.explanation,
    };
  }
}
