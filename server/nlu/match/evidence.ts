/**
 * Noisy-or evidence per intent: how many weights counted, and the product of
 * (1 - w) over them in the order they counted (the score is 1 minus it).
 * Typed arrays made once per matcher and reset per collect, so a call allocates nothing.
 */
export class Evidence {
  readonly count: Uint16Array;
  private readonly keep: Float64Array;

  constructor(n: number) {
    this.count = new Uint16Array(n);
    this.keep = new Float64Array(n).fill(1);
  }

  /** Forgets every intent's evidence. */
  reset(): void {
    this.count.fill(0);
    this.keep.fill(1);
  }

  /** Counts weight `w` for intent `i`. */
  add(i: number, w: number): void {
    this.count[i]!++;
    this.keep[i] = this.keep[i]! * (1 - w);
  }

  /** Forgets intent `i`'s evidence. */
  clear(i: number): void {
    this.count[i] = 0;
    this.keep[i] = 1;
  }

  /** Intent `i`'s evidence as `other` has it. */
  copy(other: Evidence, i: number): void {
    this.count[i] = other.count[i]!;
    this.keep[i] = other.keep[i]!;
  }

  /** Intent `i`'s score: 0 without evidence, else 1 minus the product. */
  score(i: number): number {
    return this.count[i] === 0 ? 0 : 1 - this.keep[i]!;
  }
}
