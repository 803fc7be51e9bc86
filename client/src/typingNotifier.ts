/**
 * Tells the agent that the user is typing — whether, never what: `true` when
 * a draft starts and again every few seconds while it grows (so the agent's
 * indicator stays on during a long message), `false` once the user has
 * stopped for a moment, emptied the input or sent the message. Only while an
 * agent serves the conversation; the bot has no use for it.
 */

/** While the user keeps typing, `true` is said again this often at most. */
export const TYPING_REFRESH_MS = 3_000;
/** No keystroke for this long: the user stopped typing. */
export const TYPING_IDLE_MS = 4_000;

export interface TypingTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: TypingTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class TypingNotifier {
  private enabled = false;
  private typing = false;
  private lastSent = -Infinity;
  private idleTimer: unknown;

  constructor(
    private readonly send: (typing: boolean) => void,
    private readonly timers: TypingTimers = realTimers,
  ) {}

  /** On while an agent serves the conversation. Turning it off says nothing: no agent is listening any more. */
  setEnabled(on: boolean): void {
    if (on === this.enabled) return;
    this.enabled = on;
    if (!on) this.reset();
  }

  /** The input changed; `draft` is its text (only its emptiness is used). */
  draft(draft: string): void {
    if (!this.enabled) return;
    if (draft.trim() === '') return this.stop();
    const now = this.timers.now();
    if (!this.typing || now - this.lastSent >= TYPING_REFRESH_MS) {
      this.typing = true;
      this.lastSent = now;
      this.send(true);
    }
    this.timers.clearTimeout(this.idleTimer);
    this.idleTimer = this.timers.setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  /** The message was sent, or the user left the input empty. */
  stop(): void {
    const was = this.typing;
    this.reset();
    if (was && this.enabled) this.send(false);
  }

  private reset(): void {
    this.timers.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.typing = false;
    this.lastSent = -Infinity;
  }
}
