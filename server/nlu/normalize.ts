/**
 * Stage 1: one canonical spelling for whatever the user typed. Pure; the
 * offset map lets entities point back into the original text.
 */
import { applyEdits, mapped, rewrite, sliced, type Edit, type MappedText } from './mappedText.js';
import { isHan } from './hanTable.js';
import { toSimplified } from './toSimplified.js';
import { withoutMentions } from './mentions.js';
import { pointAt, pointUnits, unitAt } from './codeUnits.js';

/** Zero-width characters, BOM, soft hyphen, bidi marks and C0/C1 controls (tab and newlines become spaces first). */
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;
const SPACE = /\s/;

/**
 * NFKC (full-width → half-width), Traditional → Simplified, lower-case Latin,
 * invisible characters removed, whitespace collapsed to single spaces (none
 * between two Han characters), social @handles removed (mentions.ts) and trimmed.
 */
export function normalize(text: string): MappedText {
  return trimSpaces(withoutMentions(joinHan(toSimplified(collapseSpaces(folded(text))))));
}

/**
 * `isAlreadyFolded(text) ? mapped(text) : fold(mapped(text))`, with the
 * per-character pass run first: when it changes nothing both give the
 * identity, and when it folded a capital or a full-width form (which no
 * whole-text NFKC and lower-casing leaves as it is) `isAlreadyFolded` is
 * false, so only the rarer remaining cases need the whole-text test.
 */
function folded(text: string): MappedText {
  // Most messages have nothing to fold, remove or collapse: the same result without the per-character pass.
  if (isFoldStable(text)) return mapped(text);
  const m = mapped(text);
  decisive = false;
  const out = fold(m);
  if (out === m || decisive) return out;
  return isAlreadyFolded(text) ? m : out;
}

/** Set by `fold`: it folded a unit that makes `isAlreadyFolded` false (an ASCII capital or a full-width form). */
let decisive = false;

/**
 * The per-character pass (what `rewrite(m, foldAt)` does), with the characters
 * that stay as they are skipped in the loop itself: most of a message, read
 * without a call per character.
 */
function fold(m: MappedText): MappedText {
  const s = m.text;
  const n = s.length;
  let edits: Edit[] | undefined;
  for (let i = 0; i < n; ) {
    // A Han ideograph or a printable ASCII character other than a capital or a space stays as it is.
    const unit = unitAt(s, i);
    if ((unit >= 0x4e00 && unit <= 0x9fff) || (unit > 0x20 && unit <= 0x7e && !(unit >= 0x41 && unit <= 0x5a))) {
      i++;
      continue;
    }
    // A single space (followed by what is surely no whitespace) stays; foldAt would say so after a copy or two.
    if (unit === 0x20 && (i + 1 === n || isPlainUnit(unitAt(s, i + 1)))) {
      i++;
      continue;
    }
    // A character already judged (kindOf), outside the surrogates: kept, or folded to its remembered form.
    if (unit < 0xd800 || unit > 0xdfff) {
      const kind = kinds[unit]!;
      if (kind === KEEP) {
        i++;
        continue;
      }
      if (kind === FOLDED) {
        (edits ??= []).push({ from: i, to: i + 1, replacement: foldedOf[unit]! });
        if ((unit >= 0x41 && unit <= 0x5a) || (unit >= 0xff01 && unit <= 0xff5e)) decisive = true;
        i++;
        continue;
      }
    }
    const r = foldAt(s, i);
    if (r === null) {
      i += pointUnits(s, i, n);
      continue;
    }
    if (r.replacement !== s.slice(i, i + r.length)) (edits ??= []).push({ from: i, to: i + r.length, replacement: r.replacement });
    i += r.length;
  }
  return edits ? applyEdits(m, edits) : m;
}

/** A Han ideograph or a printable ASCII character other than a space: no whitespace. */
function isPlainUnit(unit: number): boolean {
  return (unit >= 0x4e00 && unit <= 0x9fff) || (unit > 0x20 && unit <= 0x7e);
}

/** What the per-character pass does at `s[i]`: null to keep the character, else the units it takes and their replacement. */
function foldAt(s: string, i: number): { length: number; replacement: string } | null {
  const cp = pointAt(s, i) ?? 0;
  const kind = cp <= 0xffff ? kindOf(cp) : NONE;
  if (kind === KEEP) return null;
  const ch = String.fromCodePoint(cp);
  if (kind === INVISIBLE_CHAR || (kind === NONE && INVISIBLE.test(ch))) return { length: ch.length, replacement: '' };
  if (kind === SPACE_CHAR || (kind === NONE && SPACE.test(ch))) {
    let j = i + 1;
    while (j < s.length && SPACE.test(s[j]!)) j++;
    return { length: j - i, replacement: ' ' };
  }
  const folded = kind === FOLDED ? foldedOf[cp]! : ch.normalize('NFKC').toLowerCase();
  return folded === ch ? null : { length: ch.length, replacement: folded };
}

/**
 * What the per-character pass does with a BMP character, remembered by code
 * unit (each character is folded on its own, so the answer never depends on
 * its neighbours): NONE not yet asked (and every astral character), KEEP,
 * INVISIBLE_CHAR removed, SPACE_CHAR a space, FOLDED replaced by foldedOf[unit].
 */
const NONE = 0;
const KEEP = 1;
const INVISIBLE_CHAR = 2;
const SPACE_CHAR = 3;
const FOLDED = 4;
const kinds = new Uint8Array(0x10000);
const foldedOf: (string | undefined)[] = [];

function kindOf(unit: number): number {
  let kind = kinds[unit]!;
  if (kind === NONE) {
    const ch = String.fromCharCode(unit);
    if (INVISIBLE.test(ch)) kind = INVISIBLE_CHAR;
    else if (SPACE.test(ch)) kind = SPACE_CHAR;
    else {
      const folded = ch.normalize('NFKC').toLowerCase();
      if (folded === ch) kind = KEEP;
      else {
        kind = FOLDED;
        foldedOf[unit] = folded;
      }
    }
    kinds[unit] = kind;
  }
  return kind;
}

const HAN = /\p{Script=Han}/u;
const INVISIBLE_ANYWHERE = new RegExp(INVISIBLE.source);
/** Whitespace other than single spaces: tabs, newlines, runs, other space characters. */
const OTHER_WHITESPACE = /[^\S ]| {2}/;

/**
 * Characters that NFKC and lower-casing leave as they are: printable ASCII but
 * capitals, the CJK Unified Ideographs (no compatibility decompositions) and
 * the common Chinese punctuation 、。《》「」『』“”‘’. A text of only these
 * needs no NFKC call (which allocates a copy) to know it is folded.
 */
const FOLD_STABLE = /^[\x20-\x40\x5b-\x7e\u4e00-\u9fff\u3001\u3002\u300a-\u300f\u2018\u2019\u201c\u201d]*$/;

/** Whether the per-character pass would change nothing: NFKC and lower case already, nothing invisible, single spaces. */
function isAlreadyFolded(text: string): boolean {
  // The same as the three tests below for a text of FOLD_STABLE characters, in one loop without a regex.
  if (isFoldStable(text)) return true;
  return (
    !INVISIBLE_ANYWHERE.test(text) &&
    !OTHER_WHITESPACE.test(text) &&
    (FOLD_STABLE.test(text) || text.normalize('NFKC').toLowerCase() === text)
  );
}

/** Whether `text` is all FOLD_STABLE characters with no two spaces in a row (none of them is invisible). */
function isFoldStable(text: string): boolean {
  let space = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const u = unitAt(text, i);
    if (u === 0x20) {
      if (space) return false;
      space = true;
      continue;
    }
    space = false;
    const stable =
      (u >= 0x4e00 && u <= 0x9fff) || (u > 0x20 && u <= 0x40) || (u >= 0x5b && u <= 0x7e) ||
      u === 0x3001 || u === 0x3002 || (u >= 0x300a && u <= 0x300f) || u === 0x2018 || u === 0x2019 || u === 0x201c || u === 0x201d;
    if (!stable) return false;
  }
  return true;
}

/** Chinese is written without spaces: 「手 机 开 不 了 机」 is 「手机开不了机」. Spaces next to Latin words stay. */
function joinHan(m: MappedText): MappedText {
  if (!joinsHan(m.text)) return m;
  return rewrite(m, (s, i) =>
    s[i] === ' ' && i > 0 && HAN.test(s[i - 1]!) && HAN.test(s[i + 1] ?? '') ? { length: 1, replacement: '' } : null,
  );
}

/** Whether some space of `s` lies between two Han characters (what joinHan removes). */
function joinsHan(s: string): boolean {
  for (let i = s.indexOf(' '); i >= 0; i = s.indexOf(' ', i + 1)) {
    if (i > 0 && i + 1 < s.length && isHan(unitAt(s, i - 1)) && isHan(unitAt(s, i + 1))) return true;
  }
  return false;
}

/** NFKC can turn an invisible or ideographic space into ' ', and removals can join two runs; collapse again. */
function collapseSpaces(m: MappedText): MappedText {
  if (!m.text.includes('  ')) return m;
  return rewrite(m, (s, i) => {
    if (s[i] !== ' ') return null;
    let j = i + 1;
    while (s[j] === ' ') j++;
    return j - i > 1 ? { length: j - i, replacement: ' ' } : null;
  });
}

function trimSpaces(m: MappedText): MappedText {
  let from = 0;
  let to = m.text.length;
  while (from < to && m.text[from] === ' ') from++;
  while (to > from && m.text[to - 1] === ' ') to--;
  if (from === 0 && to === m.text.length) return m;
  return sliced(m, from, to);
}
