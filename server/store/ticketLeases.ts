/**
 * Ticket numbers from the shared per-day counter in SQLite, reserved a block
 * at a time: one write transaction per `block` tickets instead of one per
 * ticket (each was a separate commit, outside the turn's group commit).
 * Numbers stay unique across processes sharing the file; what changes is
 * that processes interleave by block and a crash skips the rest of a block.
 * A clean close gives the unused rest back when no one reserved after it.
 */
import type { Database, Statement } from 'better-sqlite3';
import { calendarDay, formatTicketId } from '../core/ticketId.js';

/** Numbers `next`…`last` of one day, reserved by this connection. */
interface Lease {
  next: number;
  last: number;
}

export class TicketLeases {
  private readonly leases = new Map<string, Lease>();
  private readonly reserve: Statement;
  private readonly giveBack: Statement;

  constructor(
    db: Database,
    private readonly block: number,
  ) {
    this.reserve = db.prepare(
      `INSERT INTO ticket_counters (day, n) VALUES (?, ?)
       ON CONFLICT (day) DO UPDATE SET n = n + excluded.n RETURNING n`,
    );
    this.giveBack = db.prepare('UPDATE ticket_counters SET n = ? WHERE day = ? AND n = ?');
  }

  /** `T20261124-0001`: the next number of `now`'s day (China time). */
  next(now: Date): string {
    const day = calendarDay(now);
    let lease = this.leases.get(day);
    if (!lease || lease.next > lease.last) {
      const { n } = this.reserve.get(day, this.block) as { n: number };
      lease = { next: n - this.block + 1, last: n };
      this.leases.set(day, lease);
      // Only today's and yesterday's blocks matter; forget older days.
      if (this.leases.size > 2) this.leases.delete(this.leases.keys().next().value!);
    }
    return formatTicketId(now, lease.next++);
  }

  /** Gives back the unused numbers of each block, unless another process reserved after us. */
  release(): void {
    for (const [day, lease] of this.leases) {
      if (lease.next <= lease.last) this.giveBack.run(lease.next - 1, day, lease.last);
    }
    this.leases.clear();
  }
}
