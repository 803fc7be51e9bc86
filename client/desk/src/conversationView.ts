/**
 * The open conversation: its header and actions (claim, canned replies,
 * transfer, hand back, close), the transcript with notes, the user's typing,
 * and the reply box — Enter sends (never while an IME is composing),
 * Shift+Enter is a new line; the same box writes internal notes.
 */
import type { AgentStatus, CannedReply, DeskConversation } from '../../../server/protocol.js';
import type { Agent } from './api.js';
import type { DeskConnection } from './connection.js';
import { elapsed, fill, h } from './dom.js';
import { errorText, lang, t } from './i18n.js';
import { cardView, lineView, lines } from './transcript.js';

export interface ConversationHost {
  conn: DeskConnection;
  me: Agent;
  agents(): AgentStatus[];
  flash(text: string, kind?: 'error' | 'info'): void;
}

const TYPING_REPEAT_MS = 3000;
const TYPING_IDLE_MS = 4000;
const USER_TYPING_SHOWN_MS = 10_000;

export class ConversationView {
  readonly el = h('section', { class: 'conversation' });
  private log = h('ol', { class: 'log', 'aria-live': 'polite' });
  private typingLine = h('div', { class: 'typing', hidden: true });
  private box = h('textarea', { class: 'reply', rows: 3 });
  private canned: CannedReply[] = [];
  private mode: 'reply' | 'note' = 'reply';
  private notice = '';
  private typingSent = 0;
  private typingIdle: ReturnType<typeof setTimeout> | undefined;
  private userTypingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ConversationHost,
    private conv: DeskConversation,
  ) {
    this.box.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return;
      e.preventDefault();
      void this.submit();
    });
    this.box.addEventListener('input', () => this.typed());
    this.render();
    void this.loadCanned();
  }

  get sessionId(): string {
    return this.conv.sessionId;
  }

  private get mine(): boolean {
    return this.conv.status === 'open' && this.conv.mode === 'agent' && this.conv.assignee?.login === this.host.me.login;
  }

  /** The conversation as the server has it now (after a claim, a reconnect, an assignment). */
  update(conv: DeskConversation): void {
    this.conv = conv;
    this.notice = '';
    this.render();
    void this.loadCanned();
  }

  userMessage(text: string, at: string): void {
    this.conv.transcript.push({ role: 'user', text, at });
    this.userTyping(false);
    this.appendLast({ kind: 'entry', entry: { role: 'user', text, at } });
  }

  userTyping(typing: boolean): void {
    clearTimeout(this.userTypingTimer);
    this.typingLine.hidden = !typing;
    if (typing) this.userTypingTimer = setTimeout(() => (this.typingLine.hidden = true), USER_TYPING_SHOWN_MS);
  }

  released(why: string): void {
    this.conv = { ...this.conv, mode: why === 'handed_back' || why === 'user_left' ? 'bot' : why === 'away' ? 'queued' : this.conv.mode, assignee: null };
    if (why === 'closed') this.conv.status = 'closed';
    this.notice = (t() as unknown as Record<string, string>)[`released_${why}`] ?? '';
    this.render();
  }

  /** Redraws in the current language, keeping the draft. */
  render(): void {
    const d = t();
    const c = this.conv;
    const draft = this.box.value;
    const title = c.card.topic?.[lang] ?? c.card.intent ?? d.conversation;
    const actions: Node[] = [];
    if (c.status === 'open' && c.mode === 'queued') actions.push(h('button', { class: 'primary claim', onclick: () => void this.claim() }, d.claim));
    if (this.mine) {
      const others = this.host.agents().filter((a) => a.login !== this.host.me.login && a.presence === 'online' && a.load < a.capacity);
      const transfer = h(
        'select',
        { class: 'transfer', 'aria-label': d.transfer, onchange: (e: Event) => void this.transfer((e.target as HTMLSelectElement).value) },
        h('option', { value: '' }, others.length ? d.transferTo : d.noAgents),
        others.map((a) => h('option', { value: a.login }, `${a.name}（${a.load}/${a.capacity}）`)),
      );
      actions.push(
        transfer,
        h('button', { class: 'hand-back', onclick: () => void this.act('hand_back', {}) }, d.handBack),
        h('span', { class: 'close-label' }, d.closeAs),
        h('button', { class: 'close-resolved', onclick: () => void this.act('close', { resolution: 'resolved' }) }, d.resolved),
        h('button', { class: 'close-unresolved', onclick: () => void this.act('close', { resolution: 'unresolved' }) }, d.unresolved),
      );
    }
    const meta = [c.card.ticketId, c.card.lang === 'zh' ? d.zh : d.en, c.assignee?.name, c.mode === 'queued' && c.waitingSince ? `${d.waited} ${elapsed(c.waitingSince)}` : null].filter(Boolean).join(' · ');
    fill(this.log, lines(c.transcript, c.notes).map(lineView));
    this.typingLine.textContent = d.userTyping;
    this.box.value = draft;
    this.box.placeholder = this.mode === 'reply' ? d.replyPlaceholder : d.notePlaceholder;
    this.box.dataset.mode = this.mode;
    const modeButton = (m: 'reply' | 'note', label: string) =>
      h('button', { class: `mode mode--${m}`, 'aria-pressed': String(this.mode === m), disabled: m === 'reply' && !this.mine, onclick: () => this.setMode(m) }, label);
    if (!this.mine && this.mode === 'reply') this.mode = 'note';
    fill(
      this.el,
      h('header', { class: 'conv-head' }, h('div', {}, h('h2', {}, title), h('div', { class: 'muted conv-meta' }, meta)), h('div', { class: 'conv-actions' }, actions)),
      this.notice && h('div', { class: 'notice', role: 'status' }, this.notice),
      !this.mine && !this.notice && h('div', { class: 'notice notice--muted' }, c.mode === 'queued' ? d.queue : d.readOnly),
      h(
        'div',
        { class: 'conv-body' },
        h('div', { class: 'conv-main' }, this.log, this.typingLine, this.composer(modeButton)),
        h('aside', { class: 'conv-side' }, cardView(c.card), this.mine && this.canned.length > 0 && this.cannedView()),
      ),
    );
    this.box.placeholder = this.mode === 'reply' ? d.replyPlaceholder : d.notePlaceholder;
    this.box.dataset.mode = this.mode;
    requestAnimationFrame(() => (this.log.scrollTop = this.log.scrollHeight));
  }

  focus(): void {
    this.box.focus();
  }

  private composer(modeButton: (m: 'reply' | 'note', label: string) => HTMLElement): HTMLElement {
    const d = t();
    return h(
      'div',
      { class: `composer composer--${this.mode}` },
      h('div', { class: 'modes' }, modeButton('reply', d.reply), modeButton('note', d.note), h('span', { class: 'muted' }, this.mode === 'note' ? d.noteHint : '')),
      this.box,
      h('button', { class: 'primary submit', onclick: () => void this.submit() }, this.mode === 'reply' ? d.send : d.addNote),
    );
  }

  private cannedView(): HTMLElement {
    const d = t();
    return h(
      'section',
      { class: 'canned' },
      h('h2', {}, d.canned),
      h('ul', {}, this.canned.map((r) => h('li', {}, h('button', { class: 'canned-item', title: r.text, onclick: () => this.useCanned(r) }, h('strong', {}, r.title), h('span', {}, r.text))))),
    );
  }

  private setMode(m: 'reply' | 'note'): void {
    this.mode = m;
    this.render();
    this.box.focus();
  }

  private useCanned(r: CannedReply): void {
    this.mode = 'reply';
    this.render();
    this.box.value = this.box.value ? `${this.box.value}\n${r.text}` : r.text;
    this.box.focus();
  }

  private async loadCanned(): Promise<void> {
    if (!this.mine) return;
    const r = await this.host.conn.request('canned', { sessionId: this.sessionId });
    if (r.ok) {
      this.canned = r.data.replies;
      this.render();
    }
  }

  private typed(): void {
    if (this.mode !== 'reply' || !this.mine) return;
    const now = Date.now();
    if (now - this.typingSent > TYPING_REPEAT_MS) {
      this.typingSent = now;
      this.host.conn.typing(this.sessionId, true);
    }
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    clearTimeout(this.typingIdle);
    if (this.typingSent === 0) return;
    this.typingSent = 0;
    this.host.conn.typing(this.sessionId, false);
  }

  private async submit(): Promise<void> {
    const text = this.box.value.trim();
    if (!text) return;
    if (this.mode === 'reply') {
      this.stopTyping();
      const r = await this.host.conn.request('send', { sessionId: this.sessionId, text, clientMessageId: crypto.randomUUID() });
      if (!r.ok) return this.host.flash(errorText(r.code, r.message), 'error');
      this.box.value = '';
      const entry = { role: 'agent' as const, text: r.data.message.text, at: new Date().toISOString(), message: r.data.message };
      this.conv.transcript.push(entry);
      this.appendLast({ kind: 'entry', entry });
    } else {
      const r = await this.host.conn.request('note', { sessionId: this.sessionId, text });
      if (!r.ok) return this.host.flash(errorText(r.code, r.message), 'error');
      this.box.value = '';
      this.conv.notes.push(r.data.note);
      this.appendLast({ kind: 'note', note: r.data.note });
    }
  }

  private appendLast(l: Parameters<typeof lineView>[0]): void {
    this.log.append(lineView(l));
    this.log.scrollTop = this.log.scrollHeight;
  }

  private async claim(): Promise<void> {
    const r = await this.host.conn.request('claim', { sessionId: this.sessionId });
    if (!r.ok) {
      this.host.flash(errorText(r.code, r.message), 'error');
      const again = await this.host.conn.request('open', { sessionId: this.sessionId });
      if (again.ok) this.update(again.data.conversation);
      return;
    }
    this.mode = 'reply';
    this.update(r.data.conversation);
    this.box.focus();
  }

  private async transfer(to: string): Promise<void> {
    if (to) await this.act('transfer', { to });
  }

  private async act(event: 'hand_back' | 'close' | 'transfer', extra: Record<string, string>): Promise<void> {
    this.stopTyping();
    const r = await this.host.conn.request(event, { sessionId: this.sessionId, ...extra });
    if (!r.ok) {
      this.host.flash(errorText(r.code, r.message), 'error');
      this.render();
    }
  }
}
