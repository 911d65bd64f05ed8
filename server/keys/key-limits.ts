/**
 * Admission control per virtual key, in memory. The gateway is one Node process and `admit` never awaits,
 * so checking and reserving are one atomic step: two concurrent calls can never both claim the same
 * unspent budget, rpm slot or parallel slot.
 *
 * Budget: a call reserves its worst-case cost before it starts, and is refused when spend + what calls in
 * flight have reserved + its own worst case would pass max_budget. Afterwards it settles: its real cost
 * is committed to the key (SQLite, then memory) and its reservation freed in the same synchronous step.
 * So while every call costs at most its reservation, settled spend never passes the budget, however many
 * calls run at once; a call that costs more than it reserved can overshoot by its own excess — one call.
 */
import { GatewayError } from '../core/errors.ts';
import type { KeyStore } from './key-store.ts';
import { formatUsd } from './money.ts';
import { SlidingWindow } from './sliding-window.ts';
import type { VirtualKey } from './virtual-key.ts';

export interface AdmissionRequest {
  /** The most the call can cost: prompt at input price + max output tokens at output price. */
  worstCaseNanos: number;
  /** Prompt tokens plus the output tokens it may produce; settled to the real count afterwards. */
  estimatedTokens: number;
}

export interface Settlement {
  costNanos: number;
  tokens: number;
  /** Runs inside the SQLite transaction that adds the cost to the key: insert the spend_logs row here. */
  inTransaction?: () => void;
}

export interface Admission {
  readonly keyId: string;
  readonly reservedNanos: number;
  /** The call finished (or stopped part-way): commits its real cost and tokens, frees its reservation. Once only. */
  settle(actual: Settlement): void;
  /** The call failed before spending anything: frees its reservation, counts no tokens. Idempotent. */
  release(): void;
}

export interface KeyUsageSnapshot {
  reservedNanos: number;
  inFlight: number;
  requestsLastMinute: number;
  tokensLastMinute: number;
}

interface KeyUsage {
  reservedNanos: number;
  inFlight: number;
  requests: SlidingWindow;
  tokens: SlidingWindow;
}

const WINDOW_MS = 60_000;

export class KeyLimiter {
  private readonly usage = new Map<string, KeyUsage>();
  /** When `admit` next sweeps out keys that hold nothing worth keeping; set by the first admission. */
  private nextSweepAt: number | undefined;

  /**
   * `recordSpend` makes a settled cost durable and counts it in memory; by default one SQLite
   * transaction with the row (`writeRow`), the gateway's writes the row to its spend journal instead.
   */
  constructor(
    private readonly keys: KeyStore,
    private readonly recordSpend: (keyId: string, nanos: number, writeRow?: () => void) => void = (keyId, nanos, writeRow) =>
      keys.commitSpend(keyId, nanos, writeRow),
  ) {}

  /** Checks every limit of the key and reserves the call's share, or throws a 429. */
  admit(key: VirtualKey, request: AdmissionRequest, now = Date.now()): Admission {
    this.keys.resetBudgetIfDue(key, now);
    this.sweepIfDue(now);
    const usage = this.usageOf(key.id);
    const worstCase = Math.max(0, Math.ceil(request.worstCaseNanos));
    const estimate = Math.max(0, Math.ceil(request.estimatedTokens));
    checkBudget(key, usage.reservedNanos, worstCase, now);
    checkParallel(key, usage.inFlight);
    checkRequestRate(key, usage.requests, now);
    checkTokenRate(key, usage.tokens, estimate, now);

    usage.reservedNanos += worstCase;
    usage.inFlight++;
    usage.requests.add(now, 1);
    const tokenEntry = usage.tokens.add(now, estimate);
    let open = true;
    const close = (tokens: number) => {
      open = false;
      usage.reservedNanos -= worstCase;
      usage.inFlight--;
      usage.tokens.adjust(tokenEntry, tokens);
    };
    return {
      keyId: key.id,
      reservedNanos: worstCase,
      settle: (actual) => {
        if (!open) return;
        // Recorded first, freed after, with no await between: no admit can run while this call's cost
        // is counted neither as spent nor as reserved.
        try {
          this.recordSpend(key.id, Math.max(0, Math.round(actual.costNanos)), actual.inTransaction);
        } finally {
          close(Math.max(0, Math.round(actual.tokens)));
        }
      },
      release: () => {
        if (open) close(0);
      },
    };
  }

  snapshot(keyId: string, now = Date.now()): KeyUsageSnapshot {
    const usage = this.usage.get(keyId);
    if (!usage) return { reservedNanos: 0, inFlight: 0, requestsLastMinute: 0, tokensLastMinute: 0 };
    return {
      reservedNanos: usage.reservedNanos,
      inFlight: usage.inFlight,
      requestsLastMinute: usage.requests.total(now),
      tokensLastMinute: usage.tokens.total(now),
    };
  }

  /** How many keys the limiter holds usage for (memory grows with this). */
  get trackedKeys(): number {
    return this.usage.size;
  }

  /**
   * Forgets keys with no call in flight whose windows are empty (idle for a whole window), or that were
   * deleted or have expired: they can admit nothing more. Once per window, so the cost is one pass over
   * the tracked keys a minute, and a churned key's memory lasts at most two windows. A key with a call in
   * flight stays, so its snapshot keeps counting the call until it settles. Regenerating keeps the key's id,
   * and so its windows: a new raw key does not reset the key's rpm/tpm counts.
   */
  private sweepIfDue(now: number): void {
    if (this.nextSweepAt === undefined) this.nextSweepAt = now + WINDOW_MS;
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + WINDOW_MS;
    for (const [keyId, usage] of this.usage) {
      if (usage.inFlight > 0) continue;
      const key = this.keys.find(keyId);
      const gone = key === undefined || (key.expiresAt !== null && key.expiresAt <= now);
      if (gone || (usage.requests.total(now) === 0 && usage.tokens.total(now) === 0)) this.usage.delete(keyId);
    }
  }

  private usageOf(keyId: string): KeyUsage {
    let usage = this.usage.get(keyId);
    if (!usage) {
      usage = { reservedNanos: 0, inFlight: 0, requests: new SlidingWindow(WINDOW_MS), tokens: new SlidingWindow(WINDOW_MS) };
      this.usage.set(keyId, usage);
    }
    return usage;
  }
}

const retryAfterSeconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

function rateLimited(message: string, waitMs: number): GatewayError {
  return new GatewayError(429, `${message} Retry after ${retryAfterSeconds(waitMs)} s.`, {
    code: 'rate_limit_exceeded',
    headers: { 'retry-after': retryAfterSeconds(waitMs) },
  });
}

function checkBudget(key: VirtualKey, reserved: number, worstCase: number, now: number): void {
  const max = key.maxBudgetNanos;
  if (max === null) return;
  const claimed = key.spendNanos + reserved;
  if (claimed + worstCase <= max && claimed < max) return;
  const resets = key.budgetResetAt !== null ? ` The budget resets at ${new Date(key.budgetResetAt).toISOString()}.` : '';
  const inFlight = reserved > 0 ? ` Calls in flight have reserved ${formatUsd(reserved)} more.` : '';
  const thisCall = worstCase > 0 ? ` This call could cost up to ${formatUsd(worstCase)}.` : '';
  throw new GatewayError(
    429,
    `Budget has been exceeded! Current cost: ${formatUsd(key.spendNanos)}, Max budget: ${formatUsd(max)} (key ${key.keyName}).${inFlight}${thisCall}${resets}`,
    {
      type: 'insufficient_quota',
      code: 'insufficient_quota',
      // OpenAI SDKs retry a 429 unless told not to; more calls cannot make the budget larger.
      headers: { 'x-should-retry': 'false', ...(key.budgetResetAt !== null ? { 'retry-after': retryAfterSeconds(key.budgetResetAt - now) } : {}) },
    },
  );
}

function checkParallel(key: VirtualKey, inFlight: number): void {
  const max = key.maxParallelRequests;
  if (max === null || inFlight < max) return;
  // When a call in flight finishes is unknowable here; one second is the shortest honest hint.
  throw rateLimited(`Max parallel request limit reached: ${inFlight} calls in flight for key ${key.keyName} (max_parallel_requests ${max}).`, 1000);
}

function checkRequestRate(key: VirtualKey, requests: SlidingWindow, now: number): void {
  const limit = key.rpmLimit;
  if (limit === null) return;
  const used = requests.total(now);
  if (used < limit) return;
  const wait = limit === 0 ? WINDOW_MS : requests.msUntilAtMost(limit - 1, now);
  throw rateLimited(`Rate limit reached for key ${key.keyName}: ${used} requests in the last minute (rpm_limit ${limit}).`, wait);
}

function checkTokenRate(key: VirtualKey, tokens: SlidingWindow, estimate: number, now: number): void {
  const limit = key.tpmLimit;
  if (limit === null) return;
  const used = tokens.total(now);
  // A call larger than the whole limit still runs when the window is empty: otherwise it never could.
  if (used + estimate <= limit || (used === 0 && limit > 0)) return;
  const wait = limit === 0 ? WINDOW_MS : tokens.msUntilAtMost(Math.max(0, limit - estimate), now);
  throw rateLimited(
    `Token rate limit reached for key ${key.keyName}: ${used} tokens in the last minute (counting calls in flight) and this call may use ${estimate} (tpm_limit ${limit}).`,
    wait,
  );
}
