/**
 * One deployment's admission lane: its rpm and tpm buckets and a FIFO of calls waiting for them. Only the
 * head may be served (a small later call never starves a big earlier one); one timer per lane wakes the
 * queue when the head can be paid for or the earliest waiter's time is up.
 */
import type { LaneCounters, QueueEvent, QueueOutcome } from '../core/events.ts';
import { GatewayError } from '../core/errors.ts';
import { ABORT_CLIENT_GONE, ABORT_TIMEOUT, ClientGoneError } from '../proxy/upstream.ts';
import { TokenBucket } from './token-bucket.ts';

/** Admission to call a deployment; `settle` corrects the tpm charge to the tokens really used (once). */
export interface Permit {
  /** Milliseconds the call waited in the queue (0 when served at once). */
  readonly waitedMs: number;
  /** The call's real token count; `undefined` keeps the estimate it was charged. Later calls are ignored. */
  settle(actualTokens?: number): void;
}

export type { LaneCounters, QueueEvent, QueueOutcome };

export interface Waiter {
  /** The call's token estimate (charged, capped at the tpm limit, when served). */
  tokens: number;
  enqueuedAt: number;
  deadline: number;
  resolve(permit: Permit): void;
  reject(error: Error): void;
  /** Stops listening for the client leaving. */
  detach(): void;
}

export const NO_LIMIT_PERMIT: Permit = Object.freeze({ waitedMs: 0, settle: () => undefined });

const retryAfter = (etaMs: number) => ({ 'retry-after': String(Math.max(1, Math.ceil(etaMs / 1000))) });

export function queueFullError(id: string, group: string, size: number, etaMs: number): GatewayError {
  return new GatewayError(
    429,
    `Deployment \`${id}\` of \`${group}\` is at its rpm/tpm limit and its queue is full (${size} waiting, router_settings.max_queue_size); try again shortly.`,
    {
      type: 'rate_limit_error',
      code: 'deployment_queue_full',
      headers: retryAfter(etaMs),
    },
  );
}

function queueTimeoutError(id: string, group: string, waitedMs: number, etaMs: number): GatewayError {
  return new GatewayError(
    429,
    `Deployment \`${id}\` of \`${group}\` is at its rpm/tpm limit; the call waited ${Math.round(waitedMs / 1000)}s in its queue (router_settings.max_queue_wait) without being served.`,
    {
      type: 'rate_limit_error',
      code: 'deployment_queue_timeout',
      headers: retryAfter(etaMs),
    },
  );
}

/** The request ended while it waited: the client left (ClientGoneError, as from an upstream call) or the gateway stopped it. */
export function queueAbortError(reason: string): Error {
  if (reason === ABORT_CLIENT_GONE) return new ClientGoneError();
  if (reason === ABORT_TIMEOUT)
    return new GatewayError(504, 'The request timed out while it waited for a rate-limited deployment.', { code: 'request_timeout' });
  return new GatewayError(503, `The request was stopped (${reason}) while it waited for a rate-limited deployment.`, { code: 'request_aborted' });
}

class LanePermit implements Permit {
  private settled = false;

  constructor(
    private readonly lane: Lane,
    private readonly charged: number,
    readonly waitedMs: number,
  ) {}

  settle(actualTokens?: number): void {
    if (this.settled) return;
    this.settled = true;
    if (actualTokens === undefined || !Number.isFinite(actualTokens)) return;
    this.lane.refund(this.charged - Math.max(0, actualTokens));
  }
}

export class Lane {
  rpm: TokenBucket | undefined;
  tpm: TokenBucket | undefined;
  /** The model group, for messages. */
  group = '';
  readonly queue: Waiter[] = [];
  readonly counters: LaneCounters = { admitted: 0, queued: 0, rejectedFull: 0, timedOut: 0, dropped: 0, waitMsTotal: 0 };
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(
    readonly id: string,
    private readonly now: () => number,
    private readonly onExit: ((event: QueueEvent) => void) | undefined,
  ) {}

  /** Applies the deployment's current limits (they may change on a config reload). */
  configure(group: string, rpm: number | undefined, tpm: number | undefined, now: number): void {
    this.group = group;
    this.rpm = resized(this.rpm, rpm, now);
    this.tpm = resized(this.tpm, tpm, now);
  }

  /** Milliseconds until the buckets can pay for `calls` calls of `tokens` tokens in all. */
  msUntil(tokens: number, calls: number, now: number): number {
    const byRequests = this.rpm ? this.rpm.msUntil(this.rpm.cost(1) * calls, now) : 0;
    const byTokens = this.tpm ? this.tpm.msUntil(tokens, now) : 0;
    return Math.max(byRequests, byTokens);
  }

  /** A call's charge against tpm (capped at the limit). */
  cost(tokens: number): number {
    return this.tpm ? this.tpm.cost(tokens) : 0;
  }

  /** Milliseconds until a call of `tokens` joining the back of the queue now would be served. */
  etaMs(tokens: number, now: number): number {
    let sum = this.cost(tokens);
    for (const w of this.queue) sum += this.cost(w.tokens);
    return this.msUntil(sum, this.queue.length + 1, now);
  }

  grant(tokens: number, waitedMs: number): Permit {
    const charged = this.cost(tokens);
    this.rpm?.take(this.rpm.cost(1));
    this.tpm?.take(charged);
    this.counters.admitted++;
    return new LanePermit(this, charged, waitedMs);
  }

  enqueue(waiter: Waiter): void {
    this.queue.push(waiter);
    this.counters.queued++;
    this.schedule(this.now());
  }

  /** The waiter's client left: it leaves the queue at once, and whoever is now first may be served. */
  drop(waiter: Waiter, error: Error): void {
    const index = this.queue.indexOf(waiter);
    if (index < 0) return;
    this.queue.splice(index, 1);
    this.counters.dropped++;
    this.exit(waiter, 'dropped', this.now());
    waiter.reject(error);
    this.pump();
  }

  refund(tokens: number): void {
    if (!this.tpm || tokens === 0) return;
    this.tpm.adjust(tokens, this.now());
    if (tokens > 0 && this.queue.length) this.pump();
  }

  /** Serves what the buckets can pay for, in order; times out the waiters whose time is up; re-arms the timer. */
  pump(): void {
    const now = this.now();
    this.serveReady(now);
    if (this.expire(now)) this.serveReady(now);
    this.schedule(now);
  }

  /** Lets every waiter through (the deployment no longer has limits) and stops the timer. */
  releaseAll(): void {
    this.stopTimer();
    const now = this.now();
    for (const waiter of this.queue.splice(0)) {
      this.exit(waiter, 'served', now);
      waiter.resolve(NO_LIMIT_PERMIT);
    }
  }

  /** Refuses every waiter (the gateway is closing) and stops the timer. */
  rejectAll(error: Error): void {
    this.stopTimer();
    const now = this.now();
    for (const waiter of this.queue.splice(0)) {
      this.counters.dropped++;
      this.exit(waiter, 'dropped', now);
      waiter.reject(error);
    }
  }

  private serveReady(now: number): void {
    for (let head = this.queue[0]; head && this.msUntil(this.cost(head.tokens), 1, now) === 0; head = this.queue[0]) {
      this.queue.shift();
      const waited = now - head.enqueuedAt;
      this.counters.waitMsTotal += waited;
      this.exit(head, 'served', now);
      head.resolve(this.grant(head.tokens, waited));
    }
  }

  /** Times out the waiters past their deadline; true when any was. */
  private expire(now: number): boolean {
    let expired = false;
    let ahead = 0;
    for (let i = 0; i < this.queue.length; ) {
      const waiter = this.queue[i]!;
      const cost = this.cost(waiter.tokens);
      if (waiter.deadline > now) {
        ahead += cost;
        i++;
        continue;
      }
      const eta = this.msUntil(ahead + cost, i + 1, now);
      this.queue.splice(i, 1);
      this.counters.timedOut++;
      this.exit(waiter, 'timeout', now);
      waiter.reject(queueTimeoutError(this.id, this.group, now - waiter.enqueuedAt, eta));
      expired = true;
    }
    return expired;
  }

  private schedule(now: number): void {
    const head = this.queue[0];
    if (!head) {
      this.stopTimer();
      return;
    }
    let at = now + this.msUntil(this.cost(head.tokens), 1, now);
    for (const w of this.queue) if (w.deadline < at) at = w.deadline;
    // A timer that fires no later is kept; one that fires early finds nothing to do and re-arms.
    if (this.timer && this.timerAt <= at) return;
    this.stopTimer();
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.pump();
      },
      Math.max(0, Math.ceil(at - now)),
    );
    this.timer.unref?.();
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private exit(waiter: Waiter, outcome: QueueOutcome, now: number): void {
    waiter.detach();
    this.onExit?.({ deployment: this.id, outcome, waitedS: (now - waiter.enqueuedAt) / 1000 });
  }
}

/** The lane's bucket for a new limit: the same bucket resized (its tokens kept), a new one, or none. */
function resized(bucket: TokenBucket | undefined, limit: number | undefined, now: number): TokenBucket | undefined {
  if (limit === undefined) return undefined;
  if (!bucket) return new TokenBucket(limit, now);
  bucket.resize(limit, now);
  return bucket;
}
