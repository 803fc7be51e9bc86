/**
 * The labelled development sets, one test per file with an accuracy floor:
 * the developers' batches (dev-set*.tsv, all understood as labelled) and the
 * real users' development part (intents/labelled/real-dev.tsv, measured
 * and improved, not yet all understood). A failure lists every miss. The
 * real users' held-out sets are measured by `npm run eval` and never tuned
 * on; here they only have a floor just under their measured figure, so a
 * change that understands real users worse fails.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, parseEvalSet } from '../../server/nlu/evaluate.js';
import { NOW, realNlu } from './helpers.js';

const dir = new URL('./', import.meta.url);
const developers = readdirSync(dir)
  .filter((f) => /^dev-set.*\.tsv$/.test(f))
  .sort()
  .map((f) => ({ name: f, url: new URL(f, dir), floor: 1 }));
/**
 * Raised as the real users' dev set is understood better; never lowered to make a change pass
 * (it went from 0.77 to 0.73 once, when 180 new messages made the set 612 lines: 74.0 % measured; 78.9 % after the rules written from them;
 * 691 lines from round 4: 77.1 % measured when they came, 82.8 % after; 881 lines from round 6: 83.9 % measured when
 * they came, 89.1 % after; 978 lines from round 7: 87.1 % measured when they came, 89.1 % after; 1,068 lines from
 * round 8: 86.7 % measured when they came, 88.3 % after, so the floor went from 0.89 to 0.88; 1,168 lines from
 * round 9: 87.0 % measured when they came, 88.2 % after; 1,794 lines from round 15: 87.1 % measured when they came,
 * 88.3 % after; 1,897 lines from round 16, tweets to support accounts most of them: 86.8 % measured when they came,
 * 87.8 % after, so the floor went from 0.88 to 0.87; 2,005 lines from round 17: 85.9 % measured when they came, 87.3 %
 * after; 2,095 lines from round 18: 86.8 % measured when they came, 87.5 % after; 2,153 lines from
 * round 19: 87.2 % measured when they came, 87.8 % after).
 */
const REAL_DEV_FLOOR = 0.87;
/**
 * Held-out floors: the measured accuracy (69.9 % and 70.5 % on 2026-12-03; the third set's first run 76.9 %, the
 * fourth's 74.1 %, the fifth's 81.0 % on 2026-12-04, the sixth's 69.4 %, the seventh's 60.0 %, the eighth's 65.3 %, the ninth's 76.6 %, the tenth's 72.0 %, the eleventh's 79.6 %, the twelfth's 74.0 %, the thirteenth's 79.2 %, the fourteenth's 60.7 %, the fifteenth's 52.9 %, the sixteenth's 77.8 %, the seventeenth's 84.1 % and the eighteenth's 86.2 % on 2026-12-06) rounded down.
 */
const REAL_HOLDOUT_FLOOR = 0.69;
const REAL_HOLDOUT_2_FLOOR = 0.7;
const REAL_HOLDOUT_3_FLOOR = 0.76;
const REAL_HOLDOUT_4_FLOOR = 0.74;
const REAL_HOLDOUT_5_FLOOR = 0.8;
const REAL_HOLDOUT_6_FLOOR = 0.69;
const REAL_HOLDOUT_7_FLOOR = 0.6;
const REAL_HOLDOUT_8_FLOOR = 0.65;
const REAL_HOLDOUT_9_FLOOR = 0.76;
const REAL_HOLDOUT_10_FLOOR = 0.72;
const REAL_HOLDOUT_11_FLOOR = 0.79;
const REAL_HOLDOUT_12_FLOOR = 0.74;
const REAL_HOLDOUT_13_FLOOR = 0.79;
const REAL_HOLDOUT_14_FLOOR = 0.6;
const REAL_HOLDOUT_15_FLOOR = 0.52;
const REAL_HOLDOUT_16_FLOOR = 0.77;
const REAL_HOLDOUT_17_FLOOR = 0.84;
const REAL_HOLDOUT_18_FLOOR = 0.86;
/** The third written blind holdout, its one run when written (2026-12-06): 89.6 %, rounded down. */
const WRITTEN_HOLDOUT_3_FLOOR = 0.89;
const real = (name: string, floor: number) => ({ name, url: new URL(`../fixtures/real/${name}`, dir), floor });
const sets = [
  ...developers,
  { name: 'real-dev.tsv', url: new URL('../../intents/labelled/real-dev.tsv', dir), floor: REAL_DEV_FLOOR },
  real('real-holdout.tsv', REAL_HOLDOUT_FLOOR),
  real('real-holdout-2.tsv', REAL_HOLDOUT_2_FLOOR),
  real('real-holdout-3.tsv', REAL_HOLDOUT_3_FLOOR),
  real('real-holdout-4.tsv', REAL_HOLDOUT_4_FLOOR),
  real('real-holdout-5.tsv', REAL_HOLDOUT_5_FLOOR),
  real('real-holdout-6.tsv', REAL_HOLDOUT_6_FLOOR),
  real('real-holdout-7.tsv', REAL_HOLDOUT_7_FLOOR),
  real('real-holdout-8.tsv', REAL_HOLDOUT_8_FLOOR),
  real('real-holdout-9.tsv', REAL_HOLDOUT_9_FLOOR),
  real('real-holdout-10.tsv', REAL_HOLDOUT_10_FLOOR),
  real('real-holdout-11.tsv', REAL_HOLDOUT_11_FLOOR),
  real('real-holdout-12.tsv', REAL_HOLDOUT_12_FLOOR),
  real('real-holdout-13.tsv', REAL_HOLDOUT_13_FLOOR),
  real('real-holdout-14.tsv', REAL_HOLDOUT_14_FLOOR),
  real('real-holdout-15.tsv', REAL_HOLDOUT_15_FLOOR),
  real('real-holdout-16.tsv', REAL_HOLDOUT_16_FLOOR),
  real('real-holdout-17.tsv', REAL_HOLDOUT_17_FLOOR),
  real('real-holdout-18.tsv', REAL_HOLDOUT_18_FLOOR),
  { name: 'nlu-holdout-3.tsv', url: new URL('../fixtures/nlu-holdout-3.tsv', dir), floor: WRITTEN_HOLDOUT_3_FLOOR },
];

describe('labelled development sets', () => {
  it.each(sets)('$name: accuracy at least $floor', async ({ url, floor }) => {
    const { cases, errors } = parseEvalSet(readFileSync(url, 'utf8'));
    expect(errors).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(20);
    const report = evaluate(await realNlu(), cases, NOW);
    const misses = report.misses.map((m) => `line ${m.line}: ${m.expected.join('|')} → ${m.got}  ${m.text}`);
    if (report.accuracy < floor) expect.fail(`accuracy ${(report.accuracy * 100).toFixed(1)} % < ${floor * 100} %, misses:\n${misses.join('\n')}`);
  });
});
