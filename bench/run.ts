/**
 * `npm run bench`: gateway overhead against the shared mock upstream, on loopback only.
 *
 * Three processes, so no two parties share an event loop: the mock upstream (child), the gateway
 * (child, started from its CLI with a one-deployment config) and the load generator (this process).
 * Prints throughput and latency direct-to-mock vs through the gateway, with PASS/MISS against the
 * targets. It is a report, not a test: exit 0 unless something crashed.
 * `--mock-only` measures the mock alone (for checking the bench without a gateway).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { LatencyResult, Target, ThroughputResult } from './measure.ts';
import { measureLatency, measureThroughput, probe } from './measure.ts';
import { freePort, killAllChildren, spawnTsx, stopChild, waitForOk, firstMessage } from './processes.ts';
import type { BenchChild } from './processes.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONNECTIONS = 8;
const THROUGHPUT_SECONDS = 5;
const STREAM_THROUGHPUT_SECONDS = 4;
const WARMUP_SECONDS = 1;
/** Alternating direct/gateway, so each gets about half. */
const LATENCY_MS = 6000;
const LATENCY_WARMUP_REQUESTS = 300;
const GATEWAY_START_MS = 20_000;
/** Hard ceiling for the whole run; the figures are worthless past it anyway. */
const WATCHDOG_MS = 58_000;

const TARGET_THROUGHPUT_RATIO = 0.4;
const TARGET_ADDED_P50_MS = 0.25;

const MODEL = 'bench-model';
const chatBody = (stream: boolean) =>
  JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Say hello to the benchmark.' }], ...(stream ? { stream: true } : {}) });

function target(name: string, origin: string, path: string, stream: boolean, key: string): Target {
  return { name, origin, path, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: chatBody(stream) };
}

async function startGateway(mockUrl: string, dataDir: string): Promise<{ child: BenchChild; origin: string }> {
  const configPath = join(dataDir, 'config.yaml');
  const config = { model_list: [{ model_name: MODEL, litellm_params: { model: `openai/${MODEL}`, api_base: `${mockUrl}/v1`, api_key: 'sk-bench' } }] };
  await writeFile(configPath, stringify(config));
  const port = await freePort();
  const args = ['--config', configPath, '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir];
  const child = spawnTsx('gateway', REPO_ROOT, 'server/main.ts', args);
  const origin = `http://127.0.0.1:${port}`;
  await waitForOk(child, `${origin}/health/liveliness`, GATEWAY_START_MS);
  return { child, origin };
}

/** Fail before loading a target that does not answer a chat completion. */
async function checkAnswers(t: Target): Promise<void> {
  const { status, body } = await probe(t);
  if (status !== 200 || !body.includes('echo: Say hello')) {
    throw new Error(`${t.name} ${t.path} answered ${status} instead of the mock's echo:\n${body.slice(0, 1000)}`);
  }
}

async function throughputPair(direct: Target, gateway: Target | undefined, seconds: number) {
  const measure = async (t: Target) => {
    await measureThroughput(t, CONNECTIONS, WARMUP_SECONDS);
    return measureThroughput(t, CONNECTIONS, seconds);
  };
  const directResult = await measure(direct);
  return { direct: directResult, gateway: gateway === undefined ? undefined : await measure(gateway) };
}

// ---- report ----

const fmt = (value: number | undefined, digits: number) =>
  value === undefined || Number.isNaN(value) ? '—' : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'PASS' : 'MISS');
const row = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(30) : i === cells.length - 1 ? cell : cell.padStart(12))).join('  ');

function throughputRow(label: string, pair: { direct: ThroughputResult; gateway?: ThroughputResult }): string {
  const ratio = pair.gateway === undefined ? undefined : pair.gateway.rps / pair.direct.rps;
  return row([
    label,
    fmt(pair.direct.rps, 0),
    fmt(pair.gateway?.rps, 0),
    ratio === undefined ? '—' : `${fmt(ratio * 100, 1)} %`,
    `≥ ${TARGET_THROUGHPUT_RATIO * 100} %`,
    verdict(ratio === undefined ? undefined : ratio >= TARGET_THROUGHPUT_RATIO),
  ]);
}

function latencyRow(label: string, direct: number, gateway: number | undefined, target?: number): string {
  const added = gateway === undefined ? undefined : gateway - direct;
  return row([
    label,
    fmt(direct, 3),
    fmt(gateway, 3),
    added === undefined ? '—' : `+${fmt(added, 3)} ms`,
    target === undefined ? '(report)' : `≤ ${target} ms`,
    verdict(target === undefined || added === undefined ? undefined : added <= target),
  ]);
}

function failures(results: { name: string; failed: number }[]): string[] {
  return results.filter((r) => r.failed > 0).map((r) => `  ! ${r.name}: ${r.failed} failed requests (non-2xx, errors or timeouts) — figures suspect`);
}

// ---- main ----

async function main(): Promise<void> {
  const mockOnly = process.argv.includes('--mock-only');
  const dataDir = await mkdtemp(join(tmpdir(), 'llm-gateway-bench-'));
  const children: BenchChild[] = [];
  try {
    const mockChild = spawnTsx('mock upstream', REPO_ROOT, 'bench/mock-upstream.ts', [], true);
    children.push(mockChild);
    const { url: mockUrl } = await firstMessage<{ url: string }>(mockChild, 15_000);

    let gatewayOrigin: string | undefined;
    if (!mockOnly) {
      const gateway = await startGateway(mockUrl, dataDir);
      children.push(gateway.child);
      gatewayOrigin = gateway.origin;
    }
    const direct = (stream: boolean) => target(stream ? 'direct (stream)' : 'direct', mockUrl, '/v1/chat/completions', stream, 'sk-bench');
    const viaGateway = (stream: boolean) =>
      gatewayOrigin === undefined
        ? undefined
        : target(stream ? 'gateway (stream)' : 'gateway', gatewayOrigin, '/v1/chat/completions', stream, 'sk-bench-client');

    for (const t of [direct(false), viaGateway(false)]) if (t !== undefined) await checkAnswers(t);

    console.log(`measuring: throughput ${CONNECTIONS} connections × ${THROUGHPUT_SECONDS} s, latency 1 connection × ${LATENCY_MS / 1000} s …`);
    const plain = await throughputPair(direct(false), viaGateway(false), THROUGHPUT_SECONDS);
    const streamed = await throughputPair(direct(true), viaGateway(true), STREAM_THROUGHPUT_SECONDS);
    const latencyTargets = [direct(false), viaGateway(false)].filter((t): t is Target => t !== undefined);
    const latency = await measureLatency(latencyTargets, LATENCY_MS, LATENCY_WARMUP_REQUESTS);
    const directLatency = latency.get('direct') as LatencyResult;
    const gatewayLatency = latency.get('gateway');

    console.log('');
    console.log(`LLM Gateway bench — node ${process.version}, ${availableParallelism()} CPUs, loopback; mock upstream and gateway in child processes`);
    // With fewer cores than busy processes, the gateway run (3 processes) competes for CPU that the direct run (2) has.
    if (availableParallelism() < 3) console.log('  note: fewer than 3 CPUs — the gateway throughput ratio is pessimistic');
    console.log(row(['', 'direct', 'gateway', 'gw vs direct', 'target', '']));
    console.log(throughputRow(`chat req/s (${CONNECTIONS} conn)`, plain));
    console.log(throughputRow(`chat stream req/s (${CONNECTIONS} conn)`, streamed));
    console.log(latencyRow('latency p50 ms (1 conn)', directLatency.p50Ms, gatewayLatency?.p50Ms, TARGET_ADDED_P50_MS));
    console.log(latencyRow('latency p99 ms (1 conn)', directLatency.p99Ms, gatewayLatency?.p99Ms));
    console.log(`  latency samples: direct ${directLatency.samples}, gateway ${gatewayLatency?.samples ?? '—'}`);
    const problems = failures([
      { name: 'direct', failed: plain.direct.failed + directLatency.failed },
      { name: 'direct (stream)', failed: streamed.direct.failed },
      { name: 'gateway', failed: (plain.gateway?.failed ?? 0) + (gatewayLatency?.failed ?? 0) },
      { name: 'gateway (stream)', failed: streamed.gateway?.failed ?? 0 },
    ]);
    for (const line of problems) console.log(line);
    if (mockOnly) console.log('  (--mock-only: gateway not started)');
  } finally {
    await Promise.all(children.map((child) => stopChild(child)));
    await rm(dataDir, { recursive: true, force: true });
  }
}

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${WATCHDOG_MS / 1000} s, giving up`);
  killAllChildren();
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    killAllChildren();
    process.exit(1);
  },
);
