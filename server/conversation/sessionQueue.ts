/**
 * One piece of work at a time per session: two tabs sending at once must not
 * both start from the same state, and an agent's message must not interleave
 * with a bot turn of the same conversation. A failed piece does not block
 * the next one. (Across processes, a fleet-wide lock wraps this one.)
 */
export class SessionQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(sessionId);
    const run = previous ? previous.then(work, work) : work();
    this.tails.set(sessionId, run);
    const forget = () => {
      if (this.tails.get(sessionId) === run) this.tails.delete(sessionId);
    };
    run.then(forget, forget);
    return run;
  }
}
