/** One conversation, read-only, as the desk draws it (transcript with the bot's turns, notes, the hand-over card). */
import { fill, h } from '../../desk/src/dom.js';
import { errorText } from '../../desk/src/i18n.js';
import { cardView, lines, lineView } from '../../desk/src/transcript.js';
import * as api from './api.js';
import { r } from './i18n.js';

/** The conversation `sessionId`, read-only; `back` returns to where the admin came from. */
export function conversationView(sessionId: string, back: () => void): HTMLElement {
  const w = r();
  const body = h('div', { class: 'conversation-body' }, h('p', { class: 'muted' }, w.loading));
  api.conversation(sessionId).then(
    (c) =>
      fill(
        body,
        h('ol', { class: 'log log--static' }, lines(c.transcript, c.notes).map(lineView)),
        c.card.summary || c.card.intent ? cardView(c.card) : null,
      ),
    (e: api.DeskError) => fill(body, h('p', { class: 'error' }, errorText(e.code, e.message))),
  );
  return h(
    'section',
    { class: 'panel report-conversation', 'data-session': sessionId },
    h('div', { class: 'conv-title' }, h('button', { type: 'button', onclick: back }, `← ${w.back}`), h('h2', {}, `${w.conversation} ${sessionId.slice(0, 8)}`)),
    body,
  );
}
