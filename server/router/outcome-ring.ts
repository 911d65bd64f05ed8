/**
 * The most recent call outcomes of one deployment, in fixed memory: a ring of `capacity` entries
 * (time, success, latency). Summaries look at the entries since a given time, so the window is
 * "the last N minutes, at most the last `capacity` calls".
 */

export interface OutcomeSummary {
  requests: number;
  errors: number;
  /** Latencies of the successful calls in the window, ascending. */
  latencies: number[];
  /** The newest outcome in the window, if any. */
  last: { at: number; ok: boolean } | undefined;
}

export class OutcomeRing {
  private readonly at: Float64Array;
  private readonly latency: Float64Array;
  private readonly ok: Uint8Array;
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.at = new Float64Array(capacity);
    this.latency = new Float64Array(capacity);
    this.ok = new Uint8Array(capacity);
  }

  push(at: number, ok: boolean, latencyMs = Number.NaN): void {
    this.at[this.next] = at;
    this.ok[this.next] = ok ? 1 : 0;
    this.latency[this.next] = latencyMs;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** The outcomes at or after `since`. */
  summary(since: number): OutcomeSummary {
    const latencies: number[] = [];
    let requests = 0;
    let errors = 0;
    let last: OutcomeSummary['last'];
    for (let k = 0; k < this.size; k++) {
      const i = (this.next - 1 - k + this.capacity) % this.capacity;
      const at = this.at[i]!;
      if (at < since) break; // newest first: everything further back is older still
      const ok = this.ok[i] === 1;
      last ??= { at, ok };
      requests++;
      if (!ok) errors++;
      else if (!Number.isNaN(this.latency[i]!)) latencies.push(this.latency[i]!);
    }
    latencies.sort((a, b) => a - b);
    return { requests, errors, latencies, last };
  }
}

/** Nearest-rank percentile (`p` in 0..100) of ascending values; undefined when there are none. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
