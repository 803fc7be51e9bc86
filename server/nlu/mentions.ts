/**
 * A message from a social channel addresses the account it is written to: 「@AppleSupport No」,
 * "@115714 chk ur latest bill". The @handle (Latin letters, digits, underscores; lower-cased by then) is
 * addressing, not what the user says: removed with the space after it, so "@verizonsupport yep" is "yep".
 * An e-mail address keeps its @ (a letter or digit before it).
 */
import { applyEdits, type Edit, type MappedText } from './mappedText.js';

// Not followed by a domain (".com"), but a full stop may end the sentence: "thanks @AppleSupport."
const MENTION = /(?<![a-z0-9_.])@[a-z0-9_]{1,30}(?![a-z0-9_@]|\.[a-z0-9])\s*/g;

export function withoutMentions(m: MappedText): MappedText {
  if (!m.text.includes('@')) return m;
  let edits: Edit[] | undefined;
  for (const hit of m.text.matchAll(MENTION)) (edits ??= []).push({ from: hit.index, to: hit.index + hit[0].length, replacement: '' });
  return edits ? applyEdits(m, edits) : m;
}
