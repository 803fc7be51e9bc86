/**
 * The 1–5 star control for the satisfaction step. The bot offers the scores as
 * quick replies; each star sends the quick reply that stands for its score.
 */
import type { QuickReply } from '../../../server/protocol.js';
import { h, icon, ICONS } from '../dom.js';
import type { Strings } from '../i18n.js';

/** The score (1–5) a quick reply stands for, if any: value `rate:4`/`4`, or label `4`, `4 星`, `★★★★`. */
export function scoreOf(reply: QuickReply): number | undefined {
  const fromValue = /(?:^|\D)([1-5])$/.exec(reply.value)?.[1];
  if (fromValue) return Number(fromValue);
  const fromLabel = /^\s*([1-5])(?!\d)/.exec(reply.label)?.[1];
  if (fromLabel) return Number(fromLabel);
  const stars = [...reply.label].filter((c) => c === '★' || c === '⭐').length;
  return stars >= 1 && stars <= 5 ? stars : undefined;
}

/**
 * Split the quick replies into the five scores and the rest (e.g. 「不评价」).
 * Falls back to position when the scores cannot be read from the replies.
 */
export function splitRating(replies: QuickReply[]): { scores: Map<number, QuickReply>; rest: QuickReply[] } {
  const scores = new Map<number, QuickReply>();
  const rest: QuickReply[] = [];
  for (const reply of replies) {
    const score = scoreOf(reply);
    if (score !== undefined && !scores.has(score)) scores.set(score, reply);
    else rest.push(reply);
  }
  if (scores.size === 0 && replies.length >= 5) {
    replies.slice(0, 5).forEach((r, i) => scores.set(i + 1, r));
    return { scores, rest: replies.slice(5) };
  }
  return { scores, rest };
}

/**
 * Star buttons; `onPick` gets the reply to send (or a synthesised one when the
 * bot gave no replies). `bind` draws the labels now and in each later language.
 */
export function createRating(
  scores: Map<number, QuickReply>,
  bind: (draw: (t: Strings) => void) => void,
  onPick: (reply: QuickReply, score: number) => void,
): HTMLElement {
  const group = h('div', { class: 'kefu-stars kefu-choices', role: 'group' });
  const stars: HTMLButtonElement[] = [];
  for (let n = 1; n <= 5; n++) {
    const reply = scores.get(n) ?? { label: String(n), value: String(n) };
    const star = h('button', { type: 'button', class: 'kefu-star', 'data-score': n }, icon(ICONS.star, 26));
    stars.push(star);
    star.addEventListener('click', () => {
      showScore(group, n);
      onPick(reply, n);
    });
    group.appendChild(star);
  }
  bind((t) => {
    group.setAttribute('aria-label', t.ratingGroup);
    stars.forEach((star, i) => {
      star.setAttribute('aria-label', t.star(i + 1));
      star.title = t.star(i + 1);
    });
  });
  return group;
}

/** Light the first `score` stars of a rating control and mark the chosen one pressed. */
export function showScore(group: Element, score: number): void {
  for (const star of group.querySelectorAll<HTMLElement>('.kefu-star')) {
    const n = Number(star.dataset.score);
    star.classList.toggle('kefu-star--on', n <= score);
    if (n === score) star.setAttribute('aria-pressed', 'true');
    else star.removeAttribute('aria-pressed');
  }
}
