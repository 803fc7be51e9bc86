import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentErrors } from '../../server/content/yamlFile.js';
import { checkIntentContent } from '../../server/nlu/check.js';
import { INTENT_IDS, loadIntentContent } from '../../server/nlu/content.js';
import { DEFAULT_INTENTS_DIR, loadNlu, simpleSegmenter } from '../../server/nlu/index.js';
import { NOW, realNlu } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A scratch copy of intents/ to break on purpose. */
function copyIntents(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-intents-'));
  dirs.push(dir);
  cpSync(DEFAULT_INTENTS_DIR, dir, { recursive: true });
  return dir;
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`fixture drift: ${from} not in ${file}`);
  writeFileSync(file, text.replace(from, to));
}

function loadErrors(dir: string): string[] {
  try {
    loadIntentContent(dir);
  } catch (e) {
    if (e instanceof ContentErrors) return e.problems.map((p) => p.message.replace(dir, '<dir>'));
    throw e;
  }
  return [];
}

describe('the shipped content', () => {
  it('has one file per intent id and passes every check', () => {
    const content = loadIntentContent(DEFAULT_INTENTS_DIR);
    expect(content.intents.map((i) => i.data.id).sort()).toEqual([...INTENT_IDS].sort());
    expect(checkIntentContent().map((p) => p.message)).toEqual([]);
  });

  it('classifies every example as its own intent and every out-of-scope example as null (jieba)', async () => {
    const nlu = await realNlu();
    const content = loadIntentContent(DEFAULT_INTENTS_DIR);
    const wrong: string[] = [];
    for (const intent of content.intents) {
      for (const text of intent.data.examples) {
        const got = nlu.understand(text, { now: NOW }).intent;
        if (got !== intent.data.id) wrong.push(`${intent.data.id} ← ${text} (got ${got})`);
      }
    }
    for (const text of content.outOfScope) {
      const got = nlu.understand(text, { now: NOW }).intent;
      if (got !== null) wrong.push(`null ← ${text} (got ${got})`);
    }
    expect(wrong).toEqual([]);
  });

  it('has a stable content hash that changes with the content', async () => {
    const a = await loadNlu({ segmenter: simpleSegmenter });
    const b = await loadNlu({ segmenter: simpleSegmenter });
    expect(a.contentHash).toBe(b.contentHash);
    const dir = copyIntents();
    edit(join(dir, 'lag.yaml'), '  卡顿: 1\n', '  卡顿: 0.9\n');
    const c = await loadNlu({ intentsDir: dir, segmenter: simpleSegmenter });
    expect(c.contentHash).not.toBe(a.contentHash);
  });
});

describe('load errors name file, line and field', () => {
  it('a weight out of range', () => {
    const dir = copyIntents();
    edit(join(dir, 'lag.yaml'), '  卡顿: 1\n', '  卡顿: 1.5\n');
    const errors = loadErrors(dir);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^<dir>\/lag\.yaml:\d+ phrases\.卡顿: /);
    const line = Number(/lag\.yaml:(\d+)/.exec(errors[0]!)![1]);
    expect(readFileSync(join(dir, 'lag.yaml'), 'utf8').split('\n')[line - 1]).toContain('卡顿: 1.5');
  });

  it('an unknown intent in beats, an unknown key, and an id that is not the file name', () => {
    const dir = copyIntents();
    edit(join(dir, 'fee.yaml'), 'beats: [hotline,', 'beats: [hotlines,');
    edit(join(dir, 'thanks.yaml'), 'maxChars: 16', 'maxChars: 16\nmaxchars: 3');
    edit(join(dir, 'goodbye.yaml'), 'id: goodbye', 'id: thanks');
    const errors = loadErrors(dir);
    expect(errors.some((e) => /fee\.yaml:\d+ beats\[0\]: /.test(e))).toBe(true);
    expect(errors.some((e) => /thanks\.yaml:\d+ .*maxchars/.test(e))).toBe(true);
    expect(errors.some((e) => /goodbye\.yaml:\d+ id: id "thanks" does not match the file name "goodbye"/.test(e))).toBe(true);
  });

  it('a mixed-language entry whose variant is not English or whose canonical form is not Chinese', () => {
    const dir = copyIntents();
    edit(join(dir, 'lexicon', 'mixed.yaml'), '信号: [signal]', '信号: [signal, 讯号]\nsignal: [sig]');
    const errors = loadErrors(dir);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^<dir>\/lexicon\/mixed\.yaml:\d+ 信号\[1\]: a variant must be an English word or phrase$/),
        expect.stringMatching(/^<dir>\/lexicon\/mixed\.yaml:\d+ signal: the canonical form must be Chinese$/),
      ]),
    );
  });

  it('a YAML syntax error and a missing intent file', () => {
    const dir = copyIntents();
    edit(join(dir, 'deny.yaml'), 'exact:\n', 'exact:\n  - [unclosed\n');
    unlinkSync(join(dir, 'greeting.yaml'));
    const errors = loadErrors(dir);
    expect(errors.some((e) => /deny\.yaml:\d+ YAML syntax error/.test(e))).toBe(true);
    expect(errors.some((e) => /greeting\.yaml intent "greeting" has no file/.test(e))).toBe(true);
  });

  it('a labelled line with an unknown intent or no TAB, located; no labelled directory at all is fine', () => {
    const dir = copyIntents();
    writeFileSync(join(dir, 'labelled', 'more.tsv'), '# from the inbox\nlag\t手机好卡\nlagg\t手机更卡\n没有制表符\n');
    expect(loadErrors(dir)).toEqual([
      `${join('<dir>', 'labelled', 'more.tsv')}:3 unknown intent "lagg"`,
      `${join('<dir>', 'labelled', 'more.tsv')}:4 no TAB between expected and text`,
    ]);
    rmSync(join(dir, 'labelled'), { recursive: true });
    expect(loadIntentContent(dir).labelled).toEqual([]);
  });
});

describe('npm run check (intents part)', () => {
  it('reports an example claimed by two intents, unused dictionary words and bad synonyms, with lines', () => {
    const dir = copyIntents();
    edit(join(dir, 'lag.yaml'), 'examples:\n', 'examples:\n  - 我手机丢了\n');
    edit(join(dir, 'lexicon', 'dictionary.yaml'), '[开不了机, ', '[量子纠缠, 开不了机, ');
    edit(join(dir, 'lexicon', 'dictionary.yaml'), 'pinyin: [', 'pinyin: [量子, ');
    edit(join(dir, 'lexicon', 'synonyms.yaml'), '信号: [讯号,', '信号: [讯号, 没网,');
    edit(join(dir, 'warranty.yaml'), '  三包: 1\n', '  三包: 1\n  保固期: 1\n  screen碎了: 0.5\n');
    edit(join(dir, 'lexicon', 'mixed.yaml'), '信号: [signal]', '信号: [signal]\n量子: [quantum]');
    const messages = checkIntentContent(dir).map((p) => p.message.replace(dir, '<dir>'));
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^<dir>\/theft\.yaml:\d+ examples\[0\]: "我手机丢了" is also an example of lag$/),
        expect.stringMatching(/^<dir>\/lexicon\/dictionary\.yaml:\d+ words\[0\]: dictionary word "量子纠缠" appears in no rule$/),
        expect.stringMatching(/^<dir>\/lexicon\/dictionary\.yaml:\d+ pinyin\[0\]: pinyin word "量子" appears in no rule$/),
        expect.stringMatching(/^<dir>\/lexicon\/synonyms\.yaml:\d+ 信号\[1\]: variant "没网" is also listed under "上不了网"$/),
        expect.stringMatching(/^<dir>\/warranty\.yaml:\d+ phrases\.保固期: "保固期" is read as "保修期" before matching; write that instead$/),
        expect.stringMatching(/^<dir>\/warranty\.yaml:\d+ phrases\.screen碎了: "screen碎了" is read as "屏幕碎了" before matching; write that instead$/),
        expect.stringMatching(/^<dir>\/lexicon\/mixed\.yaml:\d+ 量子: "量子" \(for quantum\) appears in no rule$/),
        expect.stringMatching(/^<dir>\/lag\.yaml:\d+ examples\[0\]: "我手机丢了" is understood as theft, not lag$/),
      ]),
    );
  });
});

describe('npm run check: no copy of the evaluation set', () => {
  it('reports an example or a sentence-long rule equal to an eval line (after normalisation), not a keyword', () => {
    const dir = copyIntents();
    // A made-up evaluation set: its lines are this test's own, not the shipped set's.
    const evalFile = join(dir, 'eval.tsv');
    writeFileSync(evalFile, '# scratch\nlag\t手機用著用著就卡住不動了！\nlag\t卡顿\nno_network\t家里信号差得离谱\n');
    edit(join(dir, 'lag.yaml'), 'examples:\n', 'examples:\n  - 手机用着用着就卡住不动了\n');
    edit(join(dir, 'lag.yaml'), 'phrases:\n', 'phrases:\n  家里信号差得离谱: 0.1\n');
    const messages = checkIntentContent(dir, evalFile).map((p) => p.message.replace(dir, '<dir>'));
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^<dir>\/lag\.yaml:\d+ examples\[0\]: "手机用着用着就卡住不动了" is line 2 of the evaluation set /),
        expect.stringMatching(/^<dir>\/lag\.yaml:\d+ phrases\.家里信号差得离谱: "家里信号差得离谱" is line 4 of the evaluation set /),
      ]),
    );
    // 卡顿 is a keyword rule of lag and line 3 of the scratch set: allowed.
    expect(messages.filter((m) => m.includes('evaluation set'))).toHaveLength(2);
  });

  it('the shipped intents copy no line of test/fixtures/nlu-eval.tsv', () => {
    expect(checkIntentContent().filter((p) => p.message.includes('evaluation set')).map((p) => p.message)).toEqual([]);
  });
});
