import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallLifetime } from '../proxy/call-lifetime.ts';
import { DeploymentLimits } from '../router/deployment-limits.ts';
import { testDeployment } from '../test-support/fixtures.ts';
import { GatewayMetrics } from './metrics.ts';

const bounds = { maxQueueSize: 100, maxQueueWaitS: 600 };

afterEach(() => {
  vi.useRealTimers();
});

describe('GatewayMetrics', () => {
  it('exposes requests, durations, spend, tokens and cache hits in the Prometheus text format', async () => {
    const metrics = new GatewayMetrics({ processMetrics: false });
    metrics.requestFinished({ modelGroup: 'gpt', deployment: 'dep-1', status: 200, durationS: 1.5, spendUsd: 0.25, promptTokens: 10, completionTokens: 5 });
    metrics.requestFinished({ modelGroup: 'gpt', deployment: 'dep-1', status: 200, durationS: 0.5, spendUsd: 0.25 });
    metrics.requestFinished({ status: 404, durationS: 0.001 });
    metrics.cacheHit('gpt');
    const text = await metrics.text();
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('llm_gateway_requests_total{model_group="gpt",deployment="dep-1",status="200"} 2');
    expect(text).toContain('llm_gateway_requests_total{model_group="none",deployment="none",status="404"} 1');
    expect(text).toContain('llm_gateway_request_duration_seconds_count{model_group="gpt"} 2');
    expect(text).toContain('llm_gateway_request_duration_seconds_sum{model_group="gpt"} 2');
    expect(text).toContain('llm_gateway_spend_usd_total{model_group="gpt"} 0.5');
    expect(text).toContain('llm_gateway_tokens_total{model_group="gpt",type="prompt"} 10');
    expect(text).toContain('llm_gateway_cache_hits_total{model_group="gpt"} 1');
    expect(text).not.toContain('process_cpu');
  });

  it('keeps each gateway in its own registry', async () => {
    const a = new GatewayMetrics({ processMetrics: false });
    const b = new GatewayMetrics();
    a.requestFinished({ modelGroup: 'only-a', status: 200, durationS: 1 });
    expect(await b.text()).not.toContain('only-a');
    expect(await b.text()).toContain('process_cpu_seconds_total');
  });

  it('bounds label values: past the cap new ones count as "other"', async () => {
    const metrics = new GatewayMetrics({ processMetrics: false, maxLabelValues: 2 });
    for (const group of ['a', 'b', 'c', 'd']) metrics.requestFinished({ modelGroup: group, status: 200, durationS: 1 });
    const text = await metrics.text();
    expect(text).toContain('model_group="b"');
    expect(text).not.toContain('model_group="c"');
    expect(text).toContain('llm_gateway_requests_total{model_group="other",deployment="none",status="200"} 2');
  });

  it('reads queue depth and capacity from DeploymentLimits on every scrape, and records queue waits', async () => {
    vi.useFakeTimers();
    let metrics: GatewayMetrics | undefined;
    const limits = new DeploymentLimits({ now: () => Date.now(), onQueueEvent: (e) => metrics?.queueEvent(e) });
    metrics = new GatewayMetrics({ processMetrics: false, queues: () => limits });
    const d = testDeployment({ id: 'dep-q', params: { model: 'openai/gpt-4o', rpm: 1, max_queue_size: 1 } });
    await limits.acquire(d, 0, new CallLifetime(), bounds);
    const waiting = limits.acquire(d, 0, new CallLifetime(), bounds);
    await limits.acquire(d, 0, new CallLifetime(), bounds).catch(() => undefined); // queue full
    let text = await metrics.text();
    expect(text).toContain('llm_gateway_deployment_queue_depth{deployment="dep-q"} 1');
    expect(text).toContain('llm_gateway_deployment_capacity_available{deployment="dep-q",limit="rpm"} 0');
    expect(text).toContain('llm_gateway_deployment_queue_rejected_total{deployment="dep-q",reason="full"} 1');
    await vi.advanceTimersByTimeAsync(60_000);
    await waiting;
    text = await metrics.text();
    expect(text).toContain('llm_gateway_deployment_queue_depth{deployment="dep-q"} 0');
    expect(text).toContain('llm_gateway_deployment_queue_wait_seconds_count{deployment="dep-q",outcome="served"} 1');
    expect(text).toContain('llm_gateway_deployment_queue_wait_seconds_sum{deployment="dep-q",outcome="served"} 60');
    expect(text).toContain('llm_gateway_deployment_queue_wait_seconds_bucket{le="60",deployment="dep-q",outcome="served"} 1');
  });

  it('counts a queue timeout as a wait and a refusal', async () => {
    const metrics = new GatewayMetrics({ processMetrics: false });
    metrics.queueWaited('dep', 30, 'timeout');
    const text = await metrics.text();
    expect(text).toContain('llm_gateway_deployment_queue_wait_seconds_count{deployment="dep",outcome="timeout"} 1');
    expect(text).toContain('llm_gateway_deployment_queue_rejected_total{deployment="dep",reason="timeout"} 1');
  });
});
