/** Matching English rules by stem id: a message's tokens and a rule's words are compared as numbers. */

/**
 * Index of the first token of an in-order match of the stem ids `stems`, at most two words apart; -1 if none.
 * @param tokens the stem id of each token of the text (-1: a stem no rule has)
 */
export function findStems(tokens: readonly number[], stems: readonly number[]): number {
  if (stems.length === 0) return -1;
  const first = stems[0]!;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== first) continue;
    let at = i;
    let ok = true;
    for (let k = 1; k < stems.length && ok; k++) {
      ok = false;
      for (let j = at + 1; j <= at + 3 && j < tokens.length; j++) {
        if (tokens[j] === stems[k]) {
          at = j;
          ok = true;
          break;
        }
      }
    }
    if (ok) return i;
  }
  return -1;
}
