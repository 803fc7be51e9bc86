/**
 * How the reports name what the bot did, from the dialogs' own content: a
 * node by the question it asks in the report's language (「请问手机最近是否进过水或摔过？」,
 * not `ask_damage`), and which intents open a topic — a problem or a
 * question the user came with — as opposed to answers and small talk
 * (affirm, deny, greeting, thanks), which say nothing of why people came.
 */
import type { DialogEntry } from '../bot.types.js';
import type { Lang } from '../nlu/types.js';

export interface ReportNames {
  /** The dialog's title (「手机开不了机」), or null when no dialog has that id. */
  dialogTitle(dialog: string, lang: Lang): string | null;
  /** A node by its words, short: the question it asks; null when it says nothing (an action) or is unknown. */
  nodeTitle(dialog: string, node: string, lang: Lang): string | null;
  /** Whether `intent` opens a topic (it starts a problem or FAQ dialog). Without dialogs, every intent does. */
  isTopic(intent: string): boolean;
  /** The intent a dialog is opened by (its first), when that dialog is a topic. */
  topicOfDialog(dialog: string): string | null;
}

/** Kinds of dialog a user comes for; smalltalk and closing are manners. */
const TOPIC_KINDS: ReadonlySet<DialogEntry['kind']> = new Set(['problem', 'faq']);

/** Longest node title, in characters. */
const MAX_TITLE = 60;

/**
 * The question a node's text asks: its first sentence that ends in a
 * question mark, else its first request (请…, Please…), else its first
 * sentence; placeholders (`{brandName}`) as …, a list's numbering dropped,
 * at most 60 characters.
 */
export function shortQuestion(text: string): string {
  const sentences = text
    .replace(/\{[A-Za-z_]+\}/g, '…')
    .split('\n')
    .map((line) => line.replace(/^\s*\d+[.、]\s*/, '').trim())
    .flatMap((line) => line.split(/(?<=[。？！?!])\s*|(?<=\.)\s+/))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const chosen = sentences.find((s) => /[？?]$/.test(s)) ?? sentences.find((s) => /^(请|麻烦|please\b)/i.test(s)) ?? sentences[0] ?? '';
  const chars = Array.from(chosen);
  return chars.length > MAX_TITLE ? `${chars.slice(0, MAX_TITLE - 1).join('')}…` : chosen;
}

/** Names over the bot's dialogs; `undefined` (a bot that lists none) names nothing and counts every intent as a topic. */
export function reportNames(dialogs: readonly DialogEntry[] | undefined): ReportNames {
  const byId = new Map((dialogs ?? []).map((d) => [d.id, d]));
  const topicIntents = new Set((dialogs ?? []).filter((d) => TOPIC_KINDS.has(d.kind)).flatMap((d) => d.intents));
  const titles = new Map<string, string | null>();
  return {
    dialogTitle: (dialog, lang) => byId.get(dialog)?.title[lang] ?? null,
    nodeTitle(dialog, node, lang) {
      const key = `${dialog}\0${node}\0${lang}`;
      if (!titles.has(key)) {
        const say = byId.get(dialog)?.nodes[node]?.[lang];
        titles.set(key, say ? shortQuestion(say) || null : null);
      }
      return titles.get(key)!;
    },
    isTopic: (intent) => (dialogs ? topicIntents.has(intent) : true),
    topicOfDialog(dialog) {
      const d = byId.get(dialog);
      return d && TOPIC_KINDS.has(d.kind) ? (d.intents[0] ?? null) : null;
    },
  };
}
