import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../core/errors.ts';
import type { Deployment } from '../providers/types.ts';
import { CallLifetime } from '../proxy/call-lifetime.ts';
import { ABORT_CLIENT_GONE, ClientGoneError } from '../proxy/upstream.ts';
import { testDeployment } from '../test-support/fixtures.ts';
import { DeploymentLimits, NO_LIMIT_PERMIT, queueSettings, type Permit, type QueueEvent } from './deployment-limits.ts';

const bounds = { maxQueueSize: 100, maxQueueWaitS: 600 };

function deployment(params: Record<string, unknown>, id = 'dep'): Deployment {
  return testDeployment({ id, modelName: 'gpt', params: { model: 'openai/gpt-4o', ...params } });
}

function setup() {
  const events: QueueEvent[] = [];
  const limits = new DeploymentLimits({ now: () => Date.now(), onQueueEvent: (e) => events.push(e) });
  return { limits, events };
}

/** Tracks when (fake ms since the start) each promise settled. */
function track(promises: Promise<Permit>[], start: number) {
  const done: { index: number; at: number; error?: unknown }[] = [];
  promises.forEach((p, index) =>
    p.then(
      () => done.push({ index, at: Date.now() - start }),
      (error: unknown) => done.push({ index, at: Date.now() - start, error }),
    ),
  );
  return done;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DeploymentLimits without limits', () => {
  it('resolves at once with the shared no-op permit and never reads the estimate', async () => {
    const { limits } = setup();
    const d = deployment({});
    const estimate = vi.fn(() => 100);
    const a = limits.acquire(d, estimate, new CallLifetime(), bounds);
    const b = limits.acquire(d, estimate, new CallLifetime(), bounds);
    expect(a).toBe(b);
    expect(await a).toBe(NO_LIMIT_PERMIT);
    expect(estimate).not.toHaveBeenCalled();
    expect(limits.needsAdmission(d)).toBe(false);
    expect(limits.snapshot()).toEqual([]);
    expect(limits.etaMs(d, 1e9, bounds)).toBe(0);
  });
});

describe('rpm', () => {
  it('admits rpm calls at once, then one every 60/rpm seconds, in FIFO order, with one timer per deployment', async () => {
    const { limits, events } = setup();
    const d = deployment({ rpm: 6 });
    for (let i = 0; i < 6; i++) expect((await limits.acquire(d, 0, new CallLifetime(), bounds)).waitedMs).toBe(0);
    const start = Date.now();
    const done = track(
      [0, 1, 2].map(() => limits.acquire(d, 0, new CallLifetime(), bounds)),
      start,
    );
    expect(vi.getTimerCount()).toBe(1);
    expect(limits.snapshot()[0]).toMatchObject({ deployment: 'dep', modelGroup: 'gpt', queueDepth: 3, queued: 3, admitted: 6 });

    await vi.advanceTimersByTimeAsync(9_999);
    expect(done).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toEqual([{ index: 0, at: 10_000 }]);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(done).toEqual([
      { index: 0, at: 10_000 },
      { index: 1, at: 20_000 },
      { index: 2, at: 30_000 },
    ]);
    expect(events.map((e) => [e.outcome, e.waitedS])).toEqual([
      ['served', 10],
      ['served', 20],
      ['served', 30],
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports the wait on the permit', async () => {
    const { limits } = setup();
    const d = deployment({ rpm: 1 });
    await limits.acquire(d, 0, new CallLifetime(), bounds);
    const p = limits.acquire(d, 0, new CallLifetime(), bounds);
    await vi.advanceTimersByTimeAsync(60_000);
    expect((await p).waitedMs).toBe(60_000);
  });
});

describe('tpm', () => {
  it('charges the estimate and corrects it to the real count on settle, which lets the queue move', async () => {
    const { limits } = setup();
    const d = deployment({ tpm: 1000 });
    const first = await limits.acquire(d, 600, new CallLifetime(), bounds);
    let second: Permit | undefined;
    void limits.acquire(d, 600, new CallLifetime(), bounds).then((p) => (second = p));
    await vi.advanceTimersByTimeAsync(0);
    expect(second).toBeUndefined();
    expect(limits.snapshot()[0]!.tpm).toEqual({ limit: 1000, available: 400 });
    first.settle(100); // 500 tokens back: 900 available, the waiter is served at once
    await vi.advanceTimersByTimeAsync(0);
    expect(second).toBeDefined();
    expect(limits.snapshot()[0]!.tpm!.available).toBeCloseTo(300);
    first.settle(0); // only the first settle counts
    expect(limits.snapshot()[0]!.tpm!.available).toBeCloseTo(300);
    second!.settle(); // no count: the estimate stands
    expect(limits.snapshot()[0]!.tpm!.available).toBeCloseTo(300);
  });

  it('charges more when the call used more than estimated', async () => {
    const { limits } = setup();
    const d = deployment({ tpm: 1000 });
    (await limits.acquire(d, 100, new CallLifetime(), bounds)).settle(700);
    expect(limits.snapshot()[0]!.tpm!.available).toBeCloseTo(300);
  });

  it('serves the head first: a small later call does not overtake a big earlier one', async () => {
    const { limits } = setup();
    const d = deployment({ tpm: 1200 });
    await limits.acquire(d, 1200, new CallLifetime(), bounds);
    const done = track([limits.acquire(d, 900, new CallLifetime(), bounds), limits.acquire(d, 100, new CallLifetime(), bounds)], Date.now());
    await vi.advanceTimersByTimeAsync(5_000); // 100 tokens back: enough for the small call, not the big one
    expect(done).toEqual([]);
    await vi.advanceTimersByTimeAsync(40_000); // 900 tokens at 45 s
    expect(done).toEqual([{ index: 0, at: 45_000 }]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(done).toEqual([
      { index: 0, at: 45_000 },
      { index: 1, at: 50_000 },
    ]);
  });

  it('caps an estimate above the limit at a full bucket instead of waiting forever', async () => {
    const { limits } = setup();
    const d = deployment({ tpm: 1000 });
    await limits.acquire(d, 5000, new CallLifetime(), bounds);
    const p = limits.acquire(d, 5000, new CallLifetime(), bounds);
    await vi.advanceTimersByTimeAsync(60_000);
    expect((await p).waitedMs).toBe(60_000);
  });

  it('reads a lazy estimate only for a deployment with a tpm limit', async () => {
    const { limits } = setup();
    const estimate = vi.fn(() => 10);
    await limits.acquire(deployment({ rpm: 10 }), estimate, new CallLifetime(), bounds);
    expect(estimate).not.toHaveBeenCalled();
    await limits.acquire(deployment({ tpm: 100 }, 'other'), estimate, new CallLifetime(), bounds);
    expect(estimate).toHaveBeenCalledTimes(1);
  });
});

describe('queue bounds', () => {
  it('refuses a call at once with 429 deployment_queue_full and a Retry-After when the queue is full', async () => {
    const { limits, events } = setup();
    const d = deployment({ rpm: 6 });
    for (let i = 0; i < 6; i++) await limits.acquire(d, 0, new CallLifetime(), bounds);
    const queued = [0, 1].map(() => limits.acquire(d, 0, new CallLifetime(), { ...bounds, maxQueueSize: 2 }));
    const err = await rejection(limits.acquire(d, 0, new CallLifetime(), { ...bounds, maxQueueSize: 2 }));
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 429, type: 'rate_limit_error', code: 'deployment_queue_full', headers: { 'retry-after': '30' } });
    expect(events).toEqual([{ deployment: 'dep', outcome: 'full', waitedS: 0 }]);
    expect(limits.snapshot()[0]).toMatchObject({ queueDepth: 2, rejectedFull: 1 });
    await vi.advanceTimersByTimeAsync(20_000);
    await Promise.all(queued);
  });

  it('takes max_queue_size from the deployment before the router default (0: no queue at all)', async () => {
    const { limits } = setup();
    const d = deployment({ rpm: 1, max_queue_size: 0 });
    await limits.acquire(d, 0, new CallLifetime(), bounds);
    expect(await rejection(limits.acquire(d, 0, new CallLifetime(), bounds))).toMatchObject({
      code: 'deployment_queue_full',
      headers: { 'retry-after': '60' },
    });
  });

  it('gives up on a call that waited max_queue_wait with 429 deployment_queue_timeout and a Retry-After', async () => {
    const { limits, events } = setup();
    const d = deployment({ rpm: 2 });
    await limits.acquire(d, 0, new CallLifetime(), bounds);
    await limits.acquire(d, 0, new CallLifetime(), bounds);
    const p = limits.acquire(d, 0, new CallLifetime(), { ...bounds, maxQueueWaitS: 10 });
    const outcome = rejection(p);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await outcome).toMatchObject({ status: 429, code: 'deployment_queue_timeout', headers: { 'retry-after': '20' } });
    expect(events).toEqual([{ deployment: 'dep', outcome: 'timeout', waitedS: 10 }]);
    expect(limits.snapshot()[0]).toMatchObject({ queueDepth: 0, timedOut: 1 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('takes max_queue_wait from the deployment, and never waits past the request’s own remaining time', async () => {
    const { limits } = setup();
    const d = deployment({ rpm: 1, max_queue_wait: 5 });
    await limits.acquire(d, 0, new CallLifetime(), bounds);
    const done = track(
      [limits.acquire(d, 0, new CallLifetime(), bounds), limits.acquire(d, 0, new CallLifetime(), { ...bounds, remainingMs: 2_000 })],
      Date.now(),
    );
    await vi.advanceTimersByTimeAsync(5_000);
    expect(done.map((x) => [x.index, x.at, (x.error as GatewayError).code])).toEqual([
      [1, 2_000, 'deployment_queue_timeout'],
      [0, 5_000, 'deployment_queue_timeout'],
    ]);
  });

  it('reads router_settings max_queue_size / max_queue_wait, with defaults', () => {
    expect(queueSettings(undefined)).toEqual({ maxQueueSize: 100, maxQueueWaitS: 30 });
    expect(queueSettings({ max_queue_size: 5, max_queue_wait: '2.5' })).toEqual({ maxQueueSize: 5, maxQueueWaitS: 2.5 });
    expect(queueSettings({ max_queue_size: -1, max_queue_wait: 'x' })).toEqual({ maxQueueSize: 100, maxQueueWaitS: 30 });
  });
});

describe('client disconnect', () => {
  it('removes the waiter at once, freeing its place, and rejects with ClientGoneError', async () => {
    const { limits, events } = setup();
    const d = deployment({ rpm: 1 });
    const small = { ...bounds, maxQueueSize: 1 };
    await limits.acquire(d, 0, new CallLifetime(), small);
    const lifetime = new CallLifetime();
    const gone = rejection(limits.acquire(d, 0, lifetime, small));
    await vi.advanceTimersByTimeAsync(1_000);
    lifetime.abort(ABORT_CLIENT_GONE);
    expect(await gone).toBeInstanceOf(ClientGoneError);
    expect(events).toEqual([{ deployment: 'dep', outcome: 'dropped', waitedS: 1 }]);
    expect(limits.snapshot()[0]).toMatchObject({ queueDepth: 0, dropped: 1 });
    // Its place went to the next call, which is served when the minute is up.
    const next = limits.acquire(d, 0, new CallLifetime(), small);
    await vi.advanceTimersByTimeAsync(59_000);
    expect((await next).waitedMs).toBe(59_000);
  });

  it('lets the next waiter through when the departed head was blocking it', async () => {
    const { limits } = setup();
    const d = deployment({ tpm: 1000 });
    await limits.acquire(d, 500, new CallLifetime(), bounds);
    const lifetime = new CallLifetime();
    void rejection(limits.acquire(d, 900, lifetime, bounds));
    const done = track([limits.acquire(d, 400, new CallLifetime(), bounds)], Date.now());
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual([]);
    lifetime.abort(ABORT_CLIENT_GONE);
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual([{ index: 0, at: 0 }]);
  });

  it('rejects a request that is already over without queueing it', async () => {
    const { limits } = setup();
    const d = deployment({ rpm: 1 });
    await limits.acquire(d, 0, new CallLifetime(), bounds);
    const lifetime = new CallLifetime();
    lifetime.abort(ABORT_CLIENT_GONE);
    expect(await rejection(limits.acquire(d, 0, lifetime, bounds))).toBeInstanceOf(ClientGoneError);
    expect(limits.snapshot()[0]!.queueDepth).toBe(0);
  });
});

describe('reloads and routing', () => {
  it('lets the waiters through when a reload removes the limits', async () => {
    const { limits } = setup();
    await limits.acquire(deployment({ rpm: 1 }), 0, new CallLifetime(), bounds);
    const waiting = limits.acquire(deployment({ rpm: 1 }), 0, new CallLifetime(), bounds);
    expect(await limits.acquire(deployment({}), 0, new CallLifetime(), bounds)).toBe(NO_LIMIT_PERMIT);
    expect(await waiting).toBe(NO_LIMIT_PERMIT);
    expect(limits.snapshot()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('estimates the wait for routing: 0 now, the queue time, or Infinity when it would be refused', async () => {
    const { limits } = setup();
    const d = deployment({ rpm: 6 });
    expect(limits.etaMs(d, 0, bounds)).toBe(0);
    for (let i = 0; i < 6; i++) await limits.acquire(d, 0, new CallLifetime(), bounds);
    expect(limits.etaMs(d, 0, bounds)).toBe(10_000);
    expect(limits.etaMs(d, 0, { ...bounds, maxQueueWaitS: 5 })).toBe(Infinity);
    expect(limits.etaMs(d, 0, { ...bounds, maxQueueSize: 0 })).toBe(Infinity);
  });

  it('refuses every waiter on close', async () => {
    const { limits } = setup();
    const d = deployment({ rpm: 1 });
    await limits.acquire(d, 0, new CallLifetime(), bounds);
    const waiting = rejection(limits.acquire(d, 0, new CallLifetime(), bounds));
    limits.close();
    expect(await waiting).toMatchObject({ status: 503 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('prunes deployments no longer configured, keeping the lanes of a configured wildcard’s models', async () => {
    const { limits } = setup();
    for (const id of ['a', 'a:gpt-4o', 'b', 'b:gpt-4o', 'b:llama3:8b']) await limits.acquire(deployment({ rpm: 5 }, id), 0, new CallLifetime(), bounds);
    limits.prune(['b']);
    expect(limits.snapshot().map((s) => s.deployment)).toEqual(['b', 'b:gpt-4o', 'b:llama3:8b']);
  });
});
