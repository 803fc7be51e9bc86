/**
 * The user's side of a conversation with a person: the queue line with its
 * 「返回智能助手」 button, the agent who serves the chat (in the header and
 * above the transcript), the agent's typing indicator, and the user's own
 * typing sent to the agent (whether, never what). The server says who serves
 * the conversation (`status`, on connect and on every change); this keeps the
 * widget's picture of it and draws it.
 */
import type { AgentTyping } from '../../server/protocol.js';
import type { LeaveResult } from './connection.js';
import { BOT_STATUS, sameStatus, shouldAnnounce, statusLine, type ConversationStatus } from './conversationStatus.js';
import type { I18n } from './i18n.js';
import { TypingNotifier } from './typingNotifier.js';
import type { Composer } from './ui/composer.js';
import type { MessageList } from './ui/messageList.js';
import type { Shell, Typist } from './ui/shell.js';
import { createStatusBar, type StatusBar } from './ui/statusBar.js';

/** An agent's indicator goes out by itself after this long without news (their desk may be gone). */
export const AGENT_TYPING_TIMEOUT_MS = 10_000;

export interface HandoverDeps {
  i18n: I18n;
  shell: Shell;
  list: MessageList;
  composer: Composer;
  leaveQueue(): Promise<LeaveResult>;
  sendTyping(typing: boolean): void;
  /** Where focus goes when the leave button it was on goes away. */
  focusTarget(): HTMLElement | null;
  /** The status changed (for `window.kefu` listeners). */
  onStatus(status: ConversationStatus): void;
  /** Who types changed: the widget redraws its indicator (it also shows the assistant's dots). */
  onTypist(): void;
}

export class Handover {
  private current: ConversationStatus = BOT_STATUS;
  private agentTypingName: string | null = null;
  private agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  private online = false;
  private leaving = false;
  private readonly typing: TypingNotifier;
  private readonly bar: StatusBar;

  constructor(private readonly d: HandoverDeps) {
    this.typing = new TypingNotifier((on) => d.sendTyping(on));
    this.bar = createStatusBar(d.i18n, () => void this.leave());
    d.shell.statusSlot.appendChild(this.bar.el);
    this.syncLeave();
  }

  get status(): ConversationStatus {
    return this.current;
  }

  /** Who is typing on the other side, if an agent is. */
  typist(): Typist | null {
    return this.agentTypingName === null ? null : { kind: 'agent', name: this.agentTypingName };
  }

  /** The server said who serves the conversation now. */
  apply(next: ConversationStatus): void {
    const prev = this.current;
    if (sameStatus(prev, next)) return;
    this.current = next;
    const hadFocus = this.bar.hasFocus();
    this.bar.set(next);
    this.d.shell.setServedBy(next);
    this.d.composer.setPlaceholder((t) => (next.mode === 'queued' ? t.placeholderQueued : t.placeholder));
    // The assistant's buttons do not answer while a person is involved: it is silent then.
    if (next.mode !== 'bot') this.d.list.disableChoices();
    if (shouldAnnounce(prev, next)) this.d.list.announce(statusLine(next, this.d.i18n.t)!);
    if (hadFocus && next.mode !== 'queued') this.d.focusTarget()?.focus({ preventScroll: true });
    this.typing.setEnabled(next.mode === 'agent' && this.online);
    if (next.mode !== 'agent' || (prev.mode === 'agent' && prev.agentName !== next.agentName)) this.setAgentTyping(null);
    if (next.mode !== 'queued') this.leaving = false;
    this.syncLeave();
    this.d.onStatus(next);
  }

  /** A new conversation (or the old one replaced after it ended): the assistant serves it. */
  reset(): void {
    this.apply(BOT_STATUS);
  }

  /** The agent is (or stopped) typing. */
  agentTyping(t: AgentTyping): void {
    if (this.current.mode !== 'agent') return;
    this.setAgentTyping(t.typing ? t.agentName || this.current.agentName : null);
  }

  /** An agent's message arrived: their typing is over. */
  agentSpoke(): void {
    this.setAgentTyping(null);
  }

  /** The user's draft changed. */
  draft(text: string): void {
    this.typing.draft(text);
  }

  setOnline(online: boolean): void {
    this.online = online;
    this.typing.setEnabled(this.current.mode === 'agent' && online);
    this.syncLeave();
  }

  private async leave(): Promise<void> {
    if (this.leaving || this.current.mode !== 'queued') return;
    this.leaving = true;
    this.syncLeave();
    const result = await this.d.leaveQueue();
    // Success: the server's notice, the bot's answer and `status` follow as events.
    if (!result.ok) {
      this.leaving = false;
      this.syncLeave();
      // NOT_QUEUED: an agent took the chat meanwhile (their status is on its way); nothing went wrong.
      if (result.error.code !== 'NOT_QUEUED') {
        this.bar.showLeaveFailed();
        this.d.list.announce(this.d.i18n.t.leaveQueueFailed);
      }
    }
  }

  private syncLeave(): void {
    this.bar.setLeaveEnabled(this.online && !this.leaving);
  }

  private setAgentTyping(name: string | null): void {
    clearTimeout(this.agentTypingTimer);
    this.agentTypingTimer = name === null ? undefined : setTimeout(() => this.setAgentTyping(null), AGENT_TYPING_TIMEOUT_MS);
    if (name === this.agentTypingName) return;
    this.agentTypingName = name;
    this.d.onTypist();
  }
}
