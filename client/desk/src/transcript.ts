/**
 * One conversation's record for the agent: user, bot, agent and system turns
 * drawn distinctly (the bot's included, so nothing the user said is lost),
 * internal notes among them in their own colour, marked as never shown to
 * the user; and the hand-over card.
 */
import type { DeskNote, HandoverCard, TranscriptEntry } from '../../../server/protocol.js';
import { clock, h } from './dom.js';
import { lang, t } from './i18n.js';

export type Line = { kind: 'entry'; entry: TranscriptEntry } | { kind: 'note'; note: DeskNote };

/** Transcript and notes, in time order. */
export function lines(transcript: TranscriptEntry[], notes: DeskNote[]): Line[] {
  const all: Line[] = [...transcript.map((entry) => ({ kind: 'entry' as const, entry })), ...notes.map((note) => ({ kind: 'note' as const, note }))];
  const at = (l: Line) => (l.kind === 'entry' ? l.entry.at : l.note.at);
  return all.map((l, i) => ({ l, i })).sort((a, b) => at(a.l).localeCompare(at(b.l)) || a.i - b.i).map((x) => x.l);
}

export function lineView(l: Line): HTMLElement {
  const d = t();
  if (l.kind === 'note') {
    return h(
      'li',
      { class: 'line line--note', 'data-role': 'note' },
      h('div', { class: 'line-meta' }, `${d.note} · ${l.note.agent} · ${clock(l.note.at, lang)}`, h('span', { class: 'line-hint' }, d.noteHint)),
      h('div', { class: 'line-text' }, l.note.text),
    );
  }
  const e = l.entry;
  const who = e.role === 'agent' ? (e.message?.agentName ?? d.user) : e.role === 'user' ? d.user : e.role === 'bot' ? d.bot : d.system;
  const replies = e.message?.quickReplies?.map((q) => q.label) ?? [];
  return h(
    'li',
    { class: `line line--${e.role}`, 'data-role': e.role },
    h('div', { class: 'line-meta' }, `${who} · ${clock(e.at, lang)}`),
    h('div', { class: 'line-text' }, e.text),
    replies.length > 0 && h('div', { class: 'line-quick' }, replies.map((r) => h('span', { class: 'chip' }, r))),
  );
}

const SLOTS = ['carrier', 'brand', 'model', 'purchase_date', 'imei', 'phone'] as const;

export function cardView(card: HandoverCard): HTMLElement {
  const d = t();
  const row = (label: string, value: Node | string) => [h('dt', {}, label), h('dd', {}, value)];
  const slotLabel = (k: string) => (d as unknown as Record<string, string>)[`slot_${k}`] ?? k;
  const slotKeys = [...SLOTS.filter((k) => card.slots[k] !== undefined), ...Object.keys(card.slots).filter((k) => !(SLOTS as readonly string[]).includes(k))];
  return h(
    'section',
    { class: 'card', 'aria-label': d.card },
    h('h2', {}, d.card),
    h(
      'dl',
      {},
      row(d.intent, card.topic ? `${card.topic[lang]}（${card.intent}）` : (card.intent ?? d.none)),
      row(d.ticket, card.ticketId ?? d.none),
      row(d.lang, card.lang === 'zh' ? d.zh : d.en),
      slotKeys.flatMap((k) => row(slotLabel(k), card.slots[k]!)),
      card.why && row(d.reason, d[`why_${card.why}`]),
    ),
    h('h3', {}, d.summary),
    h('blockquote', { class: 'card-summary' }, card.summary || d.none),
    h('h3', {}, d.tried),
    card.tried.length > 0 ? h('ol', { class: 'card-tried' }, card.tried.map((s) => h('li', {}, s))) : h('p', { class: 'muted' }, d.none),
    card.alsoOpen.length > 0 && [
      h('h3', {}, d.alsoOpen),
      h(
        'ul',
        { class: 'card-also' },
        card.alsoOpen.map((o) =>
          h(
            'li',
            { 'data-ticket': o.ticketId },
            h('strong', {}, o.topic ? o.topic[lang] : o.intent),
            ` · ${o.ticketId} · ${d[`status_${o.status}`]}`,
            o.summary && h('div', { class: 'card-also-words' }, o.summary),
          ),
        ),
      ),
    ],
  );
}
