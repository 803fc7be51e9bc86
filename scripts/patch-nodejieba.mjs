// Run by `npm install` / `npm ci` (package.json "postinstall"): halves nodejieba's load.
//
// nodejieba's load() builds cppjieba's Jieba and then a TextRankExtractor from the same file paths,
// so the 5 MB dictionary is read and its trie built twice (about 0.4 s each). kefu never extracts
// keywords. cppjieba's TextRankExtractor also has a constructor that shares the Jieba's trie and HMM
// model; this one-line change of nodejieba's binding uses it, and rebuilds the binding. Segmentation is
// unchanged (the same Jieba does every cut).
//
// Idempotent, and never leaves a broken install: a source that is not the expected one (another
// nodejieba version) is left alone with a note; a failed rebuild puts the old source and binary back.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'node_modules', 'nodejieba');
const source = join(pkg, 'lib', 'nodejieba.cpp');
const binary = join(pkg, 'build', 'Release', 'nodejieba.node');

const ORIGINAL = /_text_rank_extractor_handle = new cppjieba\s*::TextRankExtractor\(dictPath,\s*modelPath,\s*stopWordsPath,\s*userDictPath\);/;
const PATCHED = '_text_rank_extractor_handle = new cppjieba::TextRankExtractor(*_jieba_handle, stopWordsPath); // kefu: shares the trie';

const note = (msg) => console.log(`kefu postinstall: nodejieba: ${msg}`);

function main() {
  if (!existsSync(source) || !existsSync(binary)) return note('not installed here, nothing to do');
  const text = readFileSync(source, 'utf8');
  if (text.includes(PATCHED)) return note('already loads its dictionary once');
  if (!ORIGINAL.test(text)) return note('its binding is not the one this patch knows (another version?): left as it is, it loads its dictionary twice');
  const gyp = process.env.npm_config_node_gyp;
  // Outside build/: node-gyp rebuild empties it first.
  const backup = join(pkg, 'nodejieba.node.kefu-backup');
  copyFileSync(binary, backup);
  writeFileSync(source, text.replace(ORIGINAL, PATCHED));
  try {
    // npm's own node-gyp when run by npm; otherwise the one npx finds.
    if (gyp) execFileSync(process.execPath, [gyp, 'rebuild'], { cwd: pkg, stdio: 'pipe' });
    else execFileSync('npx', ['--yes', 'node-gyp', 'rebuild'], { cwd: pkg, stdio: 'pipe' });
    rmSync(backup);
    note('rebuilt to load its dictionary once');
  } catch (err) {
    writeFileSync(source, text);
    mkdirSync(dirname(binary), { recursive: true });
    copyFileSync(backup, binary);
    rmSync(backup);
    note(`rebuild failed, the original binding is kept (it loads its dictionary twice): ${String(err).split('\n')[0]}`);
  }
}

main();
