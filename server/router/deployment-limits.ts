/**
 * Per-deployment `rpm` / `tpm` (litellm_params, else model_info) as token buckets refilled over the minute,
 * with an admission queue: a call that cannot be served now waits its turn (FIFO) up to `max_queue_wait`
 * seconds behind at most `max_queue_size` others, else gets 429 with Retry-After. A deployment without
 * limits costs one property check. Kept by deployment id across config reloads, like DeploymentHealth.
 */
import type { LaneSnapshot } from '../core/events.ts';
import type { Deployment } from '../providers/types.ts';
import type { CallLifetime } from '../proxy/call-lifetime.ts';
import { Lane, NO_LIMIT_PERMIT, queueAbortError, queueFullError, type Permit, type QueueEvent, type Waiter } from './deployment-lane.ts';

export type { Permit, QueueEvent, QueueOutcome } from './deployment-lane.ts';
export type { LaneSnapshot };
export { NO_LIMIT_PERMIT } from './deployment-lane.ts';

/** router_settings defaults (a deployment's litellm_params `max_queue_size` / `max_queue_wait` win). */
export interface QueueDefaults {
  maxQueueSize: number;
  maxQueueWaitS: number;
}

export interface AdmissionOptions extends QueueDefaults {
  /** What is left of the request's own time (request_timeout): the wait never outlasts it. */
  remainingMs?: number;
}

/** LiteLLM's router has no such queue; these bound a burst to about half a minute of waiting. */
export const DEFAULT_QUEUE: QueueDefaults = Object.freeze({ maxQueueSize: 100, maxQueueWaitS: 30 });

export interface DeploymentLimitsOptions {
  /** Milliseconds, monotonic (tests pass a fake clock). */
  now?: () => number;
  /** Every call that queued, when it leaves the queue, and every refusal by a full queue (for metrics). */
  onQueueEvent?: (event: QueueEvent) => void;
}

const NO_LIMIT = Promise.resolve(NO_LIMIT_PERMIT);

function limitOf(d: Deployment, key: 'rpm' | 'tpm'): number | undefined {
  const value = d.params[key] ?? d.modelInfo[key];
  return typeof value === 'number' && value > 0 && Number.isFinite(value) ? value : undefined;
}

function numberOf(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** `max_queue_size` / `max_queue_wait` (seconds) from router_settings, else the defaults. */
export function queueSettings(routerSettings: Record<string, unknown> | undefined): QueueDefaults {
  return {
    maxQueueSize: Math.floor(numberOf(routerSettings?.max_queue_size) ?? DEFAULT_QUEUE.maxQueueSize),
    maxQueueWaitS: numberOf(routerSettings?.max_queue_wait) ?? DEFAULT_QUEUE.maxQueueWaitS,
  };
}

/** True when the deployment has an rpm or tpm limit (else `acquire` resolves at once with a no-op permit). */
export function needsAdmission(d: Deployment): boolean {
  return limitOf(d, 'rpm') !== undefined || limitOf(d, 'tpm') !== undefined;
}

export class DeploymentLimits {
  private readonly lanes = new Map<string, Lane>();
  private readonly now: () => number;

  constructor(private readonly options: DeploymentLimitsOptions = {}) {
    this.now = options.now ?? (() => performance.now());
  }

  needsAdmission(d: Deployment): boolean {
    return needsAdmission(d);
  }

  /**
   * Admission to call `d`: at once when its buckets can pay, else after waiting in its queue. Rejects with
   * GatewayError 429 (`deployment_queue_full`, `deployment_queue_timeout`, with Retry-After), or — when the
   * request ends while waiting — with ClientGoneError (the client left) or a GatewayError 504/503.
   * `estimatedTokens` is read (a function: called) only when the deployment has a tpm limit.
   */
  acquire(d: Deployment, estimatedTokens: number | (() => number), lifetime: CallLifetime, options: AdmissionOptions): Promise<Permit> {
    if (!needsAdmission(d)) {
      if (this.lanes.size !== 0) this.unlimit(d.id);
      return NO_LIMIT;
    }
    if (lifetime.reason !== undefined) return Promise.reject(queueAbortError(lifetime.reason));
    const now = this.now();
    const lane = this.laneFor(d, now);
    const tokens = lane.tpm ? tokenCount(estimatedTokens) : 0;
    if (lane.queue.length === 0 && lane.msUntil(lane.cost(tokens), 1, now) === 0) return Promise.resolve(lane.grant(tokens, 0));

    const maxSize = Math.floor(numberOf(d.params.max_queue_size) ?? options.maxQueueSize);
    if (lane.queue.length >= maxSize) {
      lane.counters.rejectedFull++;
      this.options.onQueueEvent?.({ deployment: d.id, outcome: 'full', waitedS: 0 });
      return Promise.reject(queueFullError(d.id, d.modelName, lane.queue.length, lane.etaMs(tokens, now)));
    }
    let maxWaitMs = 1000 * (numberOf(d.params.max_queue_wait) ?? options.maxQueueWaitS);
    if (options.remainingMs !== undefined) maxWaitMs = Math.min(maxWaitMs, Math.max(0, options.remainingMs));

    return new Promise<Permit>((resolve, reject) => {
      const signal = lifetime.signal;
      const onAbort = () => lane.drop(waiter, queueAbortError(lifetime.reason ?? String(signal.reason)));
      const waiter: Waiter = {
        tokens,
        enqueuedAt: now,
        deadline: now + maxWaitMs,
        resolve,
        reject,
        detach: () => signal.removeEventListener('abort', onAbort),
      };
      signal.addEventListener('abort', onAbort, { once: true });
      lane.enqueue(waiter);
    });
  }

  /**
   * Milliseconds until a call of `estimatedTokens` would be admitted if it asked now (0: at once),
   * Infinity when its queue would refuse it. For routing: prefer a deployment that can take the call now.
   */
  etaMs(d: Deployment, estimatedTokens: number | (() => number), options: AdmissionOptions): number {
    if (!needsAdmission(d)) return 0;
    const now = this.now();
    const lane = this.laneFor(d, now);
    const tokens = lane.tpm ? tokenCount(estimatedTokens) : 0;
    const eta = lane.etaMs(tokens, now);
    if (eta === 0 && lane.queue.length === 0) return 0;
    const maxSize = Math.floor(numberOf(d.params.max_queue_size) ?? options.maxQueueSize);
    const maxWaitMs = 1000 * (numberOf(d.params.max_queue_wait) ?? options.maxQueueWaitS);
    return lane.queue.length >= maxSize || eta > Math.min(maxWaitMs, options.remainingMs ?? Infinity) ? Infinity : eta;
  }

  /** Per limited deployment: queue depth, tokens available, counters. */
  snapshot(): LaneSnapshot[] {
    const now = this.now();
    return [...this.lanes.values()].map((lane) => ({
      deployment: lane.id,
      modelGroup: lane.group,
      queueDepth: lane.queue.length,
      oldestWaitS: lane.queue[0] ? (now - lane.queue[0].enqueuedAt) / 1000 : 0,
      ...(lane.rpm ? { rpm: { limit: lane.rpm.capacity, available: lane.rpm.available(now) } } : {}),
      ...(lane.tpm ? { tpm: { limit: lane.tpm.capacity, available: lane.tpm.available(now) } } : {}),
      ...lane.counters,
    }));
  }

  /**
   * Forgets deployments no longer configured (after a reload); a lane with waiters is kept until it drains. The
   * lanes of a configured wildcard deployment's concrete copies (`<id>:<upstream model>`) are kept with it.
   */
  prune(activeIds: Iterable<string>): void {
    const keep = new Set(activeIds);
    const configured = (id: string) => keep.has(id) || [...id.matchAll(/:/g)].some((colon) => keep.has(id.slice(0, colon.index)));
    for (const [id, lane] of this.lanes) if (!configured(id) && lane.queue.length === 0) this.lanes.delete(id);
  }

  /** Refuses every waiter (the gateway is closing). */
  close(): void {
    for (const lane of this.lanes.values()) lane.rejectAll(queueAbortError('gateway-closing'));
    this.lanes.clear();
  }

  private laneFor(d: Deployment, now: number): Lane {
    let lane = this.lanes.get(d.id);
    if (!lane) {
      lane = new Lane(d.id, this.now, this.options.onQueueEvent);
      this.lanes.set(d.id, lane);
    }
    const hadTokens = lane.tpm?.capacity;
    const hadRequests = lane.rpm?.capacity;
    lane.configure(d.modelName, limitOf(d, 'rpm'), limitOf(d, 'tpm'), now);
    // New limits may let the queue move (or move it sooner).
    if (lane.queue.length && (hadTokens !== lane.tpm?.capacity || hadRequests !== lane.rpm?.capacity)) lane.pump();
    return lane;
  }

  /** The deployment lost its limits (config reload): its waiters go through. */
  private unlimit(id: string): void {
    const lane = this.lanes.get(id);
    if (!lane) return;
    lane.releaseAll();
    this.lanes.delete(id);
  }
}

function tokenCount(estimate: number | (() => number)): number {
  const n = typeof estimate === 'function' ? estimate() : estimate;
  return Number.isFinite(n) && n > 0 ? n : 0;
}
