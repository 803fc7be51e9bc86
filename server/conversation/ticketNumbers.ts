/**
 * Ticket numbers for the bot's turns, without I/O inside the turn. The dialog
 * engine is pure and synchronous; it asks `ctx.nextTicketId(now)` when it
 * opens a ticket. So before a turn, `forTurn` sets aside a few numbers of the
 * day from a pool in memory (refilled a block at a time from the store's
 * shared counter, whose reservation is committed before it is used), and
 * after the turn the numbers it did not use go back to the pool.
 *
 * Numbers are unique across every process sharing the store. They are not
 * strictly consecutive: processes interleave by block, and a process that
 * stops skips what is left of its block (at most one block per day).
 */
import { calendarDay, formatTicketId } from '../core/ticketId.js';
import type { SessionStore } from '../store/types.js';

/** The most tickets one turn can open (a problem's ticket, and a call-back's). */
export const TICKETS_PER_TURN = 3;

export interface TurnTicketNumbers {
  /** The next set-aside number of `now`'s day. */
  next(now: Date): string;
  /** Gives the numbers the turn did not use back to the pool. */
  release(): void;
}

export class TicketNumbers {
  /** Free numbers per day, smallest first. */
  private readonly free = new Map<string, number[]>();
  private readonly refilling = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Pick<SessionStore, 'reserveTicketNumbers'>,
    private readonly block = 20,
  ) {}

  /** Sets aside TICKETS_PER_TURN numbers of `now`'s day for one turn. */
  async forTurn(now: Date): Promise<TurnTicketNumbers> {
    const day = calendarDay(now);
    const mine: number[] = [];
    while (mine.length < TICKETS_PER_TURN) {
      const pool = this.free.get(day) ?? [];
      if (pool.length === 0) {
        await this.refill(day);
        continue;
      }
      mine.push(pool.shift()!);
    }
    return {
      next: (at) => {
        if (calendarDay(at) !== day) throw new Error(`ticket numbers were set aside for ${day}, not for ${calendarDay(at)}`);
        const n = mine.shift();
        if (n === undefined) throw new Error(`a turn opened more than ${TICKETS_PER_TURN} tickets`);
        return formatTicketId(at, n);
      },
      release: () => {
        if (mine.length === 0) return;
        const pool = this.free.get(day) ?? [];
        pool.push(...mine.splice(0));
        pool.sort((a, b) => a - b);
        this.free.set(day, pool);
      },
    };
  }

  /** One reservation at a time per day, however many turns are waiting for it. */
  private refill(day: string): Promise<void> {
    let running = this.refilling.get(day);
    if (!running) {
      running = this.store.reserveTicketNumbers(day, this.block).then(
        ({ first }) => {
          this.refilling.delete(day);
          const pool = this.free.get(day) ?? [];
          for (let n = first; n < first + this.block; n++) pool.push(n);
          this.free.set(day, pool);
          // Only today's and yesterday's pools matter around midnight; forget older days.
          if (this.free.size > 2) this.free.delete(this.free.keys().next().value!);
        },
        (e: unknown) => {
          this.refilling.delete(day);
          throw e;
        },
      );
      this.refilling.set(day, running);
    }
    return running;
  }
}
