/**
 * `npm run --silent eval -- FILE.tsv [--no-misses] [--min-accuracy 0.95]`:
 * the evaluation report (accuracy, per-intent precision/recall/F1,
 * out-of-scope precision/recall, confusions, misclassified lines).
 * Exits 1 only when --min-accuracy is given and not reached, or on a bad file.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ContentErrors } from '../content/yamlFile.js';
import { evaluate, formatReport, parseEvalSet } from '../nlu/evaluate.js';
import { DEFAULT_INTENTS_DIR, loadNlu } from '../nlu/index.js';

async function main(args: string[]): Promise<number> {
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--min-accuracy' && args[i - 1] !== '--intents');
  if (!file) {
    process.stderr.write('usage: npm run --silent eval -- FILE.tsv [--no-misses] [--min-accuracy 0.95] [--intents DIR]\n');
    return 2;
  }
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const { cases, errors } = parseEvalSet(readFileSync(file, 'utf8'));
  for (const e of errors) process.stderr.write(`${file}:${e.line} ${e.message}\n`);
  if (errors.length > 0) return 1;
  const nlu = await loadNlu({ intentsDir: flag('--intents') });
  const report = evaluate(nlu, cases);
  // The suggester learns from <intents>/labelled/*.tsv (see index.ts).
  const suggesterTrainedOn = dirname(resolve(file)) === resolve(join(flag('--intents') ?? DEFAULT_INTENTS_DIR, 'labelled'));
  process.stdout.write(formatReport(file, report, { misses: !args.includes('--no-misses'), suggesterTrainedOn }) + '\n');
  const min = flag('--min-accuracy');
  return min !== undefined && report.accuracy < Number(min) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof ContentErrors ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
