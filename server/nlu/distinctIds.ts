/**
 * The distinct feature ids of one call, in the order first added: a stamp per
 * id (nothing cleared between calls) and a list that grows once and is
 * reused. The suggester and the fallback gather a message's features in it.
 */
export class DistinctIds {
  /** The ids of this call: the first `count` entries. */
  ids = new Int32Array(256);
  count = 0;
  private readonly seen: Float64Array;
  private call = 0;

  /** For ids 0 … size − 1. */
  constructor(size: number) {
    this.seen = new Float64Array(size);
  }

  /** Starts a call: nothing taken yet. */
  begin(): void {
    this.call++;
    this.count = 0;
  }

  /** Adds `id` (−1: not in the vocabulary) unless this call has it. */
  add(id: number): void {
    if (id < 0 || this.seen[id] === this.call) return;
    this.seen[id] = this.call;
    if (this.count === this.ids.length) {
      const grown = new Int32Array(2 * this.count);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.count++] = id;
  }
}
