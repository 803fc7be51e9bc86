/**
 * Every training example of the intent content as `{intent, lang, text}`:
 * what `npm run nlu -- --export` prints and what the benchmark trains NLP.js on.
 */
import type { IntentContent } from './content.js';
import { isMainlyEnglish } from './english.js';
import type { Lang } from './types.js';

export interface ExportedExample {
  intent: string;
  lang: Lang;
  text: string;
}

export function exportExamples(content: IntentContent): ExportedExample[] {
  return content.intents.flatMap((intent) =>
    intent.data.examples.map((text) => ({ intent: intent.data.id, lang: isMainlyEnglish(text.toLowerCase()) ? ('en' as const) : ('zh' as const), text })),
  );
}
