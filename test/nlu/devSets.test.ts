/**
 * The developers' labelled utterances (dev-set*.tsv), each line a test case.
 * Written without looking at the evaluation set; dev-set-2 and -3 were
 * written as held-out batches before the rules were tuned on them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NONE, parseEvalSet } from '../../server/nlu/evaluate.js';
import { NOW, realNlu } from './helpers.js';

const dir = new URL('./', import.meta.url);
const files = readdirSync(dir).filter((f) => /^dev-set.*\.tsv$/.test(f)).sort();

describe.each(files)('%s', (file) => {
  const { cases, errors } = parseEvalSet(readFileSync(new URL(file, dir), 'utf8'));

  it('parses', () => {
    expect(errors).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases.map((c) => [c.line, c.expected.join('|'), c.text, c.expected] as const))(
    'line %i: %s ← %j',
    async (_line, _label, text, expected) => {
      const got = (await realNlu()).understand(text, { now: NOW }).intent ?? NONE;
      expect(expected).toContain(got);
    },
  );
});
