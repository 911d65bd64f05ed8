/**
 * What happened in the last `spanMs` (requests for rpm, tokens for tpm), as a log of timestamped amounts.
 * A log rather than a token bucket: "requests in the last 60 s" is then exactly what is counted (a bucket
 * lets a full minute's worth through in one burst right after a quiet minute and again as it refills), and
 * the wait until capacity returns is exact — the moment the oldest entries age out. Memory is one entry per
 * request still inside the window, which the limit itself bounds.
 */
export class SlidingWindow {
  private times: number[] = [];
  private amounts: number[] = [];
  /** Entries before `head` have aged out; `dropped` counts entries compacted away, so handles stay valid. */
  private head = 0;
  private dropped = 0;
  private sum = 0;

  constructor(private readonly spanMs = 60_000) {}

  /** Entries the window keeps in memory, aged out or not (what pruning is for). */
  get retainedEntries(): number {
    return this.times.length;
  }

  /** The amount still inside the window at `now`. */
  total(now: number): number {
    this.prune(now);
    return this.sum;
  }

  /** Records an amount; the handle lets `adjust` settle an estimate to the actual amount later. */
  add(now: number, amount: number): number {
    this.prune(now);
    this.times.push(now);
    this.amounts.push(amount);
    this.sum += amount;
    return this.dropped + this.times.length - 1;
  }

  adjust(handle: number, amount: number): void {
    const index = handle - this.dropped;
    if (index < this.head || index >= this.amounts.length) return; // aged out already: nothing left to correct
    this.sum += amount - this.amounts[index]!;
    this.amounts[index] = amount;
  }

  /** Milliseconds from `now` until the total is at most `target` (0 when it already is). */
  msUntilAtMost(target: number, now: number): number {
    this.prune(now);
    let remaining = this.sum;
    for (let i = this.head; i < this.times.length && remaining > target; i++) {
      remaining -= this.amounts[i]!;
      if (remaining <= target) return this.times[i]! + this.spanMs - now;
    }
    return 0;
  }

  private prune(now: number): void {
    const cutoff = now - this.spanMs;
    while (this.head < this.times.length && this.times[this.head]! <= cutoff) {
      this.sum -= this.amounts[this.head]!;
      this.head++;
    }
    // Compact once the dead prefix is most of the arrays, so pruning stays O(1) amortised; a window whose
    // entries have all aged out lets go of its arrays whatever their length.
    if (this.head > 0 && (this.head === this.times.length || (this.head > 64 && this.head * 2 > this.times.length))) {
      this.times = this.times.slice(this.head);
      this.amounts = this.amounts.slice(this.head);
      this.dropped += this.head;
      this.head = 0;
    }
  }
}
