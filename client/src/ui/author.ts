/**
 * Who said a message — the user, the assistant (the bot), a human agent by
 * name, or the service itself — and which messages form one group: the same
 * author, one after the other, close in time. A group shows one avatar and
 * one time stamp, as Intercom and Zendesk do.
 */
import type { BotMessage, TranscriptEntry } from '../../../server/protocol.js';
import { h, icon, ICONS } from '../dom.js';

export type Author = { kind: 'user' } | { kind: 'bot' } | { kind: 'agent'; name: string } | { kind: 'system' };

/** Messages further apart than this start a new group even from the same author (a follow-up the next day). */
export const GROUP_GAP_MS = 5 * 60_000;

/**
 * The author of a server message: its `from` (absent means the bot), else a
 * transcript entry's role — a transcript may say `agent` or `system` for an
 * entry whose message does not.
 */
export function authorOf(m: Pick<BotMessage, 'from' | 'agentName'>, role?: TranscriptEntry['role']): Exclude<Author, { kind: 'user' }> {
  const from = m.from ?? (role === 'agent' || role === 'system' ? role : 'bot');
  if (from === 'agent') return { kind: 'agent', name: m.agentName?.trim() ?? '' };
  return from === 'system' ? { kind: 'system' } : { kind: 'bot' };
}

/** A stable key for an author, kept on its rows (`data-author`). */
export function authorKey(a: Author): string {
  return a.kind === 'agent' ? `agent:${a.name}` : a.kind;
}

/** Whether two rows, by author key and time (ms), belong to one group. System notices never group. */
export function sameGroup(a: { author: string; at: number }, b: { author: string; at: number }): boolean {
  return a.author === b.author && a.author !== 'system' && Math.abs(b.at - a.at) <= GROUP_GAP_MS;
}

/**
 * The letter on a person's avatar: a Latin name's first letter, capitalised;
 * a Chinese name's surname — the last character after 小/老/阿 (小王 → 王),
 * else the first (王芳 → 王). A leading 客服 is not part of the name.
 */
export function initialOf(name: string): string {
  const bare = name.trim().replace(/^客服\s*/, '');
  const chars = [...bare];
  if (chars.length === 0) return '';
  if (/^[a-z]/i.test(bare)) return chars[0]!.toUpperCase();
  if (chars.length >= 2 && /^[小老阿]/.test(bare)) return chars[1]!;
  return chars[0]!;
}

export interface AvatarOptions {
  /** The host's image for the assistant (http/https, checked by config). */
  image?: string;
  /** The host's brand, whose first letter stands in for an image. */
  brand?: string;
}

/** The assistant's avatar: the host's image, else its brand's first letter, else a headset icon. */
export function botAvatar(opts: AvatarOptions, extraClass = ''): HTMLElement {
  const cls = `kefu-avatar ${extraClass}`.trim();
  if (opts.image) return h('img', { class: cls, src: opts.image, alt: '' });
  const letter = opts.brand ? initialOf(opts.brand) : '';
  if (letter) return h('span', { class: cls, 'aria-hidden': 'true' }, letter);
  return h('span', { class: `${cls} kefu-avatar--icon`, 'aria-hidden': 'true' }, icon(ICONS.headset, 20));
}

/** A human agent's avatar: the initial of their name on a neutral colour (a person icon without a name). */
export function agentAvatar(name: string): HTMLElement {
  const letter = initialOf(name);
  return h('span', { class: 'kefu-avatar kefu-avatar--agent', 'aria-hidden': 'true' }, letter || icon(ICONS.person, 20));
}
