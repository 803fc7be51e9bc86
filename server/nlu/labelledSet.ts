/**
 * Labelled messages as TSV: `expected<TAB>text`, `|` between acceptable
 * intents, `none` for out of scope, `#` comments. The format of the
 * evaluation sets and of the suggester's training lines (intents/labelled/).
 */

export const NONE = 'none';

export interface LabelledCase {
  line: number;
  expected: string[];
  text: string;
}

export interface LabelledLineError {
  line: number;
  message: string;
}

/**
 * Parses the TSV; malformed lines, and labels that are neither `none` nor one
 * of `intents`, are returned as errors, not skipped.
 */
export function parseLabelled(tsv: string, intents: readonly string[]): { cases: LabelledCase[]; errors: LabelledLineError[] } {
  const known = new Set([...intents, NONE]);
  const cases: LabelledCase[] = [];
  const errors: LabelledLineError[] = [];
  tsv.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const tab = raw.indexOf('\t');
    if (tab < 0) {
      errors.push({ line: i + 1, message: 'no TAB between expected and text' });
      return;
    }
    const expected = raw.slice(0, tab).split('|').map((s) => s.trim()).filter(Boolean);
    const text = raw.slice(tab + 1);
    const unknown = expected.filter((e) => !known.has(e));
    if (expected.length === 0 || text.trim() === '') errors.push({ line: i + 1, message: 'empty expected or text' });
    else if (unknown.length > 0) errors.push({ line: i + 1, message: `unknown intent ${unknown.map((u) => `"${u}"`).join(', ')}` });
    else cases.push({ line: i + 1, expected, text });
  });
  return { cases, errors };
}
