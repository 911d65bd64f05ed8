/**
 * A token bucket that refills continuously: `capacity` tokens a minute, never more than `capacity` held.
 * The level may go below zero (down to -capacity) when a call used more tokens than it was charged.
 */
const MINUTE_MS = 60_000;
/** Float slack, so a bucket refilled for exactly the computed time can pay. */
const EPSILON = 1e-9;

export class TokenBucket {
  private level: number;
  private perMs: number;
  private at: number;

  constructor(
    private limit: number,
    now: number,
  ) {
    this.level = limit;
    this.perMs = limit / MINUTE_MS;
    this.at = now;
  }

  get capacity(): number {
    return this.limit;
  }

  /** Tokens held now (after refilling). */
  available(now: number): number {
    this.refill(now);
    return this.level;
  }

  /** A new limit from a reloaded config: a raised limit adds its difference at once, a lowered one caps the level. */
  resize(limit: number, now: number): void {
    if (limit === this.limit) return;
    this.refill(now);
    this.level = Math.min(limit, this.level + Math.max(0, limit - this.limit));
    this.limit = limit;
    this.perMs = limit / MINUTE_MS;
  }

  /** What one call is charged: at most the whole bucket, so an oversized call waits for a full bucket instead of forever. */
  cost(amount: number): number {
    return Math.min(Math.max(0, amount), this.limit);
  }

  /** Milliseconds until the bucket holds `amount` (0: now). */
  msUntil(amount: number, now: number): number {
    this.refill(now);
    const deficit = amount - this.level;
    return deficit <= EPSILON ? 0 : Math.ceil(deficit / this.perMs);
  }

  take(amount: number): void {
    this.level -= amount;
  }

  /** Gives back (or, negative, charges) tokens; the level stays within [-capacity, capacity]. */
  adjust(amount: number, now: number): void {
    this.refill(now);
    this.level = Math.max(-this.limit, Math.min(this.limit, this.level + amount));
  }

  private refill(now: number): void {
    if (now > this.at) {
      this.level = Math.min(this.limit, this.level + (now - this.at) * this.perMs);
      this.at = now;
    }
  }
}
