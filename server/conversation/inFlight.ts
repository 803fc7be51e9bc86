/**
 * Work the server has accepted and not finished: a shutdown stops accepting,
 * then waits (at most a timeout) for what is running, so every reply that
 * was being computed still goes out.
 */
import { ProtocolFailure } from '../core/errors.js';

export class InFlight {
  private readonly running = new Set<Promise<unknown>>();
  private accepting = true;

  /** Runs `work` unless shutting down (then UNAVAILABLE). */
  track<T>(work: () => Promise<T>): Promise<T> {
    if (!this.accepting) return Promise.reject(new ProtocolFailure('UNAVAILABLE', 'the server is shutting down'));
    const p = work();
    this.running.add(p);
    const done = () => this.running.delete(p);
    p.then(done, done);
    return p;
  }

  /** Refuses new work and waits (at most `timeoutMs`) for what is running. */
  async drain(timeoutMs: number): Promise<void> {
    this.accepting = false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.running]), timeout]);
    clearTimeout(timer);
  }
}
