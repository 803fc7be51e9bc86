/**
 * `npm run check`: validates all content and prints every problem with its
 * location (`file:line field: message`). Exits 1 if there is any.
 * Intents are checked here; the dialogs' check is added alongside.
 */
import { relative } from 'node:path';
import { checkIntentContent } from '../nlu/check.js';

const problems = checkIntentContent();
for (const p of problems) {
  process.stderr.write(`${relative(process.cwd(), p.file)}${p.line ? `:${p.line}` : ''} ${p.field ? `${p.field}: ` : ''}${p.detail}\n`);
}
if (problems.length > 0) {
  process.stderr.write(`${problems.length} problem(s)\n`);
  process.exit(1);
}
process.stdout.write('content ok\n');
