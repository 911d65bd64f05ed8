/**
 * The two measurements of the bench: throughput under concurrency (autocannon) and sequential
 * single-connection latency timed with process.hrtime.bigint() (autocannon's histogram has 1 ms
 * resolution, too coarse for a sub-millisecond overhead target).
 */
import autocannon from 'autocannon';
import { Client } from 'undici';

/** One HTTP call to measure: where, and with what body. */
export interface Target {
  name: string;
  /** Origin, e.g. http://127.0.0.1:4000 */
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface ThroughputResult {
  /** Completed 2xx responses per second. */
  rps: number;
  ok: number;
  /** Non-2xx responses + socket errors + timeouts: any of these makes the figure suspect. */
  failed: number;
}

export async function measureThroughput(target: Target, connections: number, durationS: number): Promise<ThroughputResult> {
  const result = await autocannon({
    url: target.origin + target.path,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections,
    duration: durationS,
    timeout: 5,
  });
  const ok = result['2xx'];
  return { rps: ok / Math.max(result.duration, 1e-9), ok, failed: result.non2xx + result.errors + result.timeouts };
}

export interface LatencyResult {
  samples: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
}

/** The q-quantile (nearest rank) of ascending-sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** One request on the target's own keep-alive connection; returns ms from send to last body byte. */
async function timedRequest(client: Client, target: Target): Promise<{ ms: number; ok: boolean }> {
  const started = process.hrtime.bigint();
  const res = await client.request({ path: target.path, method: 'POST', headers: target.headers, body: target.body });
  await res.body.arrayBuffer();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, ok: res.statusCode >= 200 && res.statusCode < 300 };
}

/**
 * Sequential requests at one connection per target, alternating between the targets request by request
 * for `durationMs` in total, so CPU-frequency drift and GC pauses hit every target alike (the compared
 * figure is a difference of a few hundred microseconds). `warmupRequests` per target are not counted.
 */
export async function measureLatency(targets: Target[], durationMs: number, warmupRequests: number): Promise<Map<string, LatencyResult>> {
  const clients = targets.map((target) => new Client(target.origin, { pipelining: 1, keepAliveTimeout: 30_000 }));
  const samples = targets.map(() => [] as number[]);
  const failed = targets.map(() => 0);
  try {
    for (let i = 0; i < warmupRequests; i++) {
      for (const [index, target] of targets.entries()) await timedRequest(clients[index]!, target);
    }
    const deadline = Date.now() + durationMs;
    while (Date.now() < deadline) {
      for (const [index, target] of targets.entries()) {
        const { ms, ok } = await timedRequest(clients[index]!, target);
        if (ok) samples[index]!.push(ms);
        else failed[index]!++;
      }
    }
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
  const results = new Map<string, LatencyResult>();
  targets.forEach((target, index) => {
    const sorted = Float64Array.from(samples[index]!).sort();
    results.set(target.name, { samples: sorted.length, failed: failed[index]!, p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99) });
  });
  return results;
}

/** One request, to check a target answers what the bench expects before loading it. */
export async function probe(target: Target): Promise<{ status: number; body: string }> {
  const res = await fetch(target.origin + target.path, {
    method: 'POST',
    headers: target.headers,
    body: target.body,
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, body: await res.text() };
}
