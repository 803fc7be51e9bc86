/**
 * `npm run --silent nlu`: one JSON line per stdin line,
 * `{"text","intent","confidence","entities":[{"type","value","start","end"}]}`.
 * `--explain` adds lang, candidates, ambiguousWith, suggestion and the explanation;
 * `--export` prints every training example as `{"intent","lang","text"}`.
 * Phone numbers and IMEIs are printed masked, in entities and in the text alike: this
 * output ends up in logs and issues. A line over the message limit gets
 * `{"text", "error": {"code": "TEXT_TOO_LONG", "message"}}` instead.
 */
import { createInterface } from 'node:readline';
import { maskEntityValue, maskSensitive } from '../privacy/mask.js';
import { isTextTooLong, MAX_TEXT_LENGTH } from '../core/textLength.js';
import { exportExamples } from '../nlu/export.js';
import { DEFAULT_INTENTS_DIR, loadNlu } from '../nlu/index.js';
import { loadIntentContent } from '../nlu/content.js';
import { ContentErrors } from '../content/yamlFile.js';

const args = process.argv.slice(2);
const dirFlag = args.indexOf('--intents');
const intentsDir = dirFlag >= 0 ? args[dirFlag + 1] : undefined;

async function main(): Promise<void> {
  if (args.includes('--export')) {
    const content = loadIntentContent(intentsDir ?? DEFAULT_INTENTS_DIR);
    for (const example of exportExamples(content)) process.stdout.write(JSON.stringify(example) + '\n');
    return;
  }
  const explain = args.includes('--explain');
  const nlu = await loadNlu({ intentsDir });
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    // Refused, as the server refuses it, rather than understood from a text no user can send.
    if (isTextTooLong(line)) {
      const error = { code: 'TEXT_TOO_LONG', message: `longer than ${MAX_TEXT_LENGTH} characters` };
      process.stdout.write(JSON.stringify({ text: maskSensitive(line), error }) + '\n');
      continue;
    }
    const r = nlu.understand(line);
    const out = {
      text: maskSensitive(r.text),
      intent: r.intent,
      confidence: r.confidence,
      entities: r.entities.map(({ type, value, start, end }) => ({ type, value: maskEntityValue(type, value), start, end })),
      ...(explain
        ? {
            lang: r.lang,
            normalized: maskSensitive(r.normalized),
            tokens: maskTokens(r.tokens, r.normalized),
            candidates: r.candidates,
            ambiguousWith: r.ambiguousWith,
            suggestion: r.suggestion,
            explanation: r.explanation.map((line) => maskSensitive(line)),
          }
        : {}),
    };
    process.stdout.write(JSON.stringify(out) + '\n');
  }
}

/** Tokens cut from `normalized`, masked where the number they belong to is (「138」「1234」「5678」 of one number). */
function maskTokens(tokens: readonly string[], normalized: string): string[] {
  const masked = maskSensitive(normalized);
  let at = 0;
  return tokens.map((t) => {
    const i = normalized.indexOf(t, at);
    if (i < 0) return maskSensitive(t);
    at = i + t.length;
    return masked.slice(i, at);
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof ContentErrors ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
