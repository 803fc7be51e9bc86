/**
 * `npm run check [-- --intents DIR]`: validates all content — intents/ (or a
 * copy in DIR) and dialogs/ — and prints every problem with its location
 * (`file:line field: message`). Exits 1 if there is any.
 */
import { relative } from 'node:path';
import { checkDialogContent } from '../dialog/check.js';
import { checkIntentContent } from '../nlu/check.js';
import { INTENT_IDS } from '../nlu/content.js';

const args = process.argv.slice(2);
const dirFlag = args.indexOf('--intents');
const intentsDir = dirFlag >= 0 ? args[dirFlag + 1] : undefined;
if (dirFlag >= 0 && !intentsDir) {
  process.stderr.write('usage: npm run check [-- --intents DIR]\n');
  process.exit(2);
}
const problems = [...checkIntentContent(intentsDir), ...checkDialogContent(undefined, INTENT_IDS)];
for (const p of problems) {
  process.stderr.write(`${relative(process.cwd(), p.file)}${p.line ? `:${p.line}` : ''} ${p.field ? `${p.field}: ` : ''}${p.detail}\n`);
}
if (problems.length > 0) {
  process.stderr.write(`${problems.length} problem(s)\n`);
  process.exit(1);
}
process.stdout.write('content ok: intents/ and dialogs/\n');
