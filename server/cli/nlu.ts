/**
 * `npm run --silent nlu`: one JSON line per stdin line,
 * `{"text","intent","confidence","entities":[{"type","value","start","end"}]}`.
 * `--explain` adds lang, candidates, ambiguousWith and the explanation;
 * `--export` prints every training example as `{"intent","lang","text"}`.
 * Phone numbers are printed masked, in entities and in the text alike: this
 * output ends up in logs and issues.
 */
import { createInterface } from 'node:readline';
import { findNumbers } from '../nlu/entities/numbers.js';
import { isMainlyEnglish } from '../nlu/english.js';
import { DEFAULT_INTENTS_DIR, loadNlu, maskEntities } from '../nlu/index.js';
import { loadIntentContent } from '../nlu/content.js';
import { ContentErrors } from '../content/yamlFile.js';

const args = process.argv.slice(2);
const dirFlag = args.indexOf('--intents');
const intentsDir = dirFlag >= 0 ? args[dirFlag + 1] : undefined;

async function main(): Promise<void> {
  if (args.includes('--export')) {
    const content = loadIntentContent(intentsDir ?? DEFAULT_INTENTS_DIR);
    for (const intent of content.intents) {
      for (const text of intent.data.examples) {
        process.stdout.write(JSON.stringify({ intent: intent.data.id, lang: isMainlyEnglish(text.toLowerCase()) ? 'en' : 'zh', text }) + '\n');
      }
    }
    return;
  }
  const explain = args.includes('--explain');
  const nlu = await loadNlu({ intentsDir });
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    const r = nlu.understand(line);
    const phones = r.entities.filter((e) => e.type === 'phone').map((e) => ({ from: e.start, to: e.end }));
    const out = {
      text: maskDigits(r.text, phones),
      intent: r.intent,
      confidence: r.confidence,
      entities: maskEntities(r.entities).map(({ type, value, start, end }) => ({ type, value, start, end })),
      ...(explain
        ? {
            lang: r.lang,
            normalized: maskPhones(r.normalized),
            tokens: maskTokens(r.tokens, r.normalized),
            candidates: r.candidates,
            ambiguousWith: r.ambiguousWith,
            explanation: r.explanation.map(maskPhones),
          }
        : {}),
    };
    process.stdout.write(JSON.stringify(out) + '\n');
  }
}

/**
 * `text` with the middle four digits of each phone number span starred, same
 * length (so entity offsets still hold): 我的号码138****5678.
 */
function maskDigits(text: string, spans: readonly { from: number; to: number }[]): string {
  const chars = text.split('');
  for (const { from, to } of spans) {
    const digits: number[] = [];
    for (let i = from; i < to; i++) if (/\p{Nd}/u.test(chars[i]!)) digits.push(i);
    // The last eleven digits are the number itself, after any +86.
    for (const i of digits.slice(-11).slice(3, 7)) chars[i] = '*';
  }
  return chars.join('');
}

/** Phone numbers in normalised text (--explain's normalized, tokens, explanation) masked. */
function maskPhones(text: string): string {
  return maskDigits(text, findNumbers(text).filter((n) => n.type === 'phone'));
}

/** Tokens cut from `normalized`, masked where the number they belong to is (「138」「1234」「5678」 of one number). */
function maskTokens(tokens: readonly string[], normalized: string): string[] {
  const masked = maskPhones(normalized);
  let at = 0;
  return tokens.map((t) => {
    const i = normalized.indexOf(t, at);
    if (i < 0) return maskPhones(t);
    at = i + t.length;
    return masked.slice(i, at);
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof ContentErrors ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
