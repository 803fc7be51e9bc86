/**
 * The fix-the-bot inbox: what users wrote that the bot could not place (a
 * turn it did not understand, or the user's last message before asking for
 * a person), masked, grouped by similarity. An admin labels a group with an
 * intent or as out of scope; the labelled lines export as content the NLU
 * check accepts: evaluation lines (`intent<TAB>text`) and out-of-scope
 * examples. Intent lines go to the evaluation set
 * only: an example must already be classified by the rules (`npm run
 * check`), and the point of these lines is that they are not yet.
 */
import { createHash } from 'node:crypto';
import { normalize } from '../nlu/normalize.js';
import { maskSensitive } from '../privacy/mask.js';
import type { StoredEvent } from '../store/types.js';

export interface InboxLine {
  sessionId: string;
  at: string;
  /** Masked. */
  text: string;
  why: 'not_understood' | 'before_handover';
  /** Where the dialog was. */
  dialog: string | null;
  node: string | null;
}

export interface InboxGroup {
  /** Stable for the same representative text. */
  id: string;
  /** The most frequent phrasing. */
  text: string;
  count: number;
  lines: InboxLine[];
  /** The conversation of the latest line, opened on the reports page. */
  link: string;
  label: string | null;
}

export const OUT_OF_SCOPE = 'out_of_scope';

/** The turns to look at: not understood, or the last bot turn right before a hand-over the user asked for. */
export function inboxTurns(events: StoredEvent[]): { sessionId: string; at: string; why: InboxLine['why']; dialog: string | null; node: string | null }[] {
  const out: ReturnType<typeof inboxTurns> = [];
  const lastTurn = new Map<string, Extract<StoredEvent, { type: 'turn' }>>();
  const taken = new Set<string>();
  const prevTurn = new Map<string, Extract<StoredEvent, { type: 'turn' }>>();
  for (const e of events) {
    if (e.type === 'turn') {
      const last = lastTurn.get(e.sessionId);
      if (last) prevTurn.set(e.sessionId, last);
      lastTurn.set(e.sessionId, e);
      if (!e.data.understood) {
        out.push({ sessionId: e.sessionId, at: e.at, why: 'not_understood', dialog: e.data.at?.dialog ?? null, node: e.data.at?.node ?? null });
        taken.add(`${e.sessionId}@${e.at}`);
      }
    } else if (e.type === 'handoff_requested' && e.actor === 'user') {
      // The hand-over turn itself is 「转人工」: the message before it is what the bot failed at.
      const before = prevTurn.get(e.sessionId);
      if (before && before.data.intent !== 'human_agent' && !taken.has(`${e.sessionId}@${before.at}`)) {
        out.push({ sessionId: e.sessionId, at: before.at, why: 'before_handover', dialog: before.data.at?.dialog ?? null, node: before.data.at?.node ?? null });
        taken.add(`${e.sessionId}@${before.at}`);
      }
    }
  }
  return out;
}

/** Character bigrams of the normalised text: robust to word order and to small typos, and needs no segmenter. */
function bigrams(text: string): Set<string> {
  const t = normalize(text).text.replace(/[\s\p{P}\p{S}]+/gu, '');
  const out = new Set<string>();
  if (t.length === 1) out.add(t);
  for (let i = 0; i + 1 < t.length; i++) out.add(t.slice(i, i + 2));
  return out;
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  return (2 * both) / (a.size + b.size);
}

/** Two lines this similar (Dice over character bigrams) are one group. */
export const SIMILARITY = 0.5;

export const lineKey = (text: string) => normalize(text).text.replace(/[\s\p{P}\p{S}]+/gu, '').toLowerCase();

/** Groups lines greedily, most frequent phrasing first; `labels` (by line key) give a group the label most of its lines have. */
export function groupLines(lines: InboxLine[], labels: ReadonlyMap<string, string> = new Map()): InboxGroup[] {
  const byText = new Map<string, InboxLine[]>();
  for (const l of lines) {
    const k = lineKey(l.text);
    const list = byText.get(k);
    if (list) list.push(l);
    else byText.set(k, [l]);
  }
  const phrasings = [...byText.values()].sort((a, b) => b.length - a.length || a[0]!.text.localeCompare(b[0]!.text));
  const groups: { grams: Set<string>; lines: InboxLine[]; text: string }[] = [];
  for (const same of phrasings) {
    const grams = bigrams(same[0]!.text);
    const home = groups.find((g) => dice(g.grams, grams) >= SIMILARITY);
    if (home) home.lines.push(...same);
    else groups.push({ grams, lines: [...same], text: same[0]!.text });
  }
  return groups
    .map((g) => {
      const latest = [...g.lines].sort((a, b) => b.at.localeCompare(a.at))[0]!;
      const votes = new Map<string, number>();
      for (const l of g.lines) {
        const label = labels.get(lineKey(l.text));
        if (label) votes.set(label, (votes.get(label) ?? 0) + 1);
      }
      const label = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
      return {
        id: createHash('sha256').update(lineKey(g.text)).digest('hex').slice(0, 12),
        text: g.text,
        count: g.lines.length,
        lines: g.lines,
        link: `/desk/reports/conversations/${encodeURIComponent(latest.sessionId)}`,
        label,
      };
    })
    .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
}

/** Finds the user's text of each inbox turn in its transcript (the entry committed with the turn), masked. */
export function withText(
  turns: ReturnType<typeof inboxTurns>,
  transcripts: ReadonlyMap<string, { role: string; at: string; text: string }[]>,
): InboxLine[] {
  const out: InboxLine[] = [];
  for (const t of turns) {
    const entry = transcripts.get(t.sessionId)?.find((e) => e.role === 'user' && e.at === t.at);
    if (entry && entry.text.trim()) out.push({ ...t, text: maskSensitive(entry.text.trim()) });
  }
  return out;
}

/**
 * The export: evaluation lines (`intent<TAB>text`) for the lines labelled
 * with an intent, and the out-of-scope lines as examples for
 * intents/lexicon/out_of_scope.yaml. A line that carries a masked digit is
 * left out: a real user's number never goes into the content; so is one
 * the evaluation set already holds.
 */
export function exportPatch(
  groups: InboxGroup[],
  labels: ReadonlyMap<string, string>,
  day: string,
  /** Lines the evaluation set already has (the check refuses them as examples; as tests they would count twice). */
  alreadyEvaluated: (text: string) => boolean = () => false,
): { evaluation: string; outOfScope: string[]; count: number } {
  const seen = new Set<string>();
  const evaluation: string[] = [];
  const outOfScope: string[] = [];
  for (const g of groups) {
    for (const l of g.lines) {
      const k = lineKey(l.text);
      const label = labels.get(k) ?? g.label;
      if (!label || seen.has(k) || l.text.includes('*') || /[\t\r\n]/.test(l.text) || alreadyEvaluated(l.text)) continue;
      seen.add(k);
      // A line is either a test or an example, never both (that would make it a self-test).
      if (label === OUT_OF_SCOPE) outOfScope.push(l.text);
      else evaluation.push(`${label}\t${l.text}`);
    }
  }
  return {
    evaluation: `# From the kefu inbox, ${day}: real users' lines, labelled at the desk\n${evaluation.join('\n')}\n`,
    outOfScope,
    count: evaluation.length + outOfScope.length,
  };
}
