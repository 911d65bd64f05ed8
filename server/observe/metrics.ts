/**
 * Prometheus metrics of one gateway, in its own prom-client Registry (never the global one, so tests and
 * several gateways in one process do not collide). Labels are model groups, deployment ids and statuses
 * only — never keys or users — and each label takes at most `maxLabelValues` distinct values (the rest
 * are counted as `other`), so a client naming random models cannot grow the series without bound.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LaneSnapshot, QueueEvent } from '../core/events.ts';

export interface QueueSource {
  snapshot(): LaneSnapshot[];
}

export interface GatewayMetricsOptions {
  /** The gateway's DeploymentLimits (read on every scrape for the queue gauges). */
  queues?: () => QueueSource | undefined;
  /** Node process metrics (process_*, nodejs_*). Default true. */
  processMetrics?: boolean;
  /** Distinct values one label may take before new ones become `other`. Default 500. */
  maxLabelValues?: number;
}

export interface FinishedRequest {
  /** The configured model group that served (or was to serve) the call; undefined when none was resolved. */
  modelGroup?: string | undefined;
  /** The deployment id; undefined when the call never reached one. */
  deployment?: string | undefined;
  /** HTTP status sent (499: the client left). */
  status: number;
  durationS: number;
  spendUsd?: number | undefined;
  promptTokens?: number | undefined;
  completionTokens?: number | undefined;
}

export const OTHER = 'other';
export const NONE = 'none';

/** Caps the distinct values of a label. */
class LabelValues {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}

  of(value: string | undefined): string {
    if (value === undefined || value === '') return NONE;
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return OTHER;
    this.seen.add(value);
    return value;
  }
}

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];
const QUEUE_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly groups: LabelValues;
  private readonly deployments: LabelValues;
  private readonly requests: Counter<'model_group' | 'deployment' | 'status'>;
  private readonly duration: Histogram<'model_group'>;
  private readonly spend: Counter<'model_group'>;
  private readonly tokens: Counter<'model_group' | 'type'>;
  private readonly queueWait: Histogram<'deployment' | 'outcome'>;
  private readonly queueRejected: Counter<'deployment' | 'reason'>;
  private readonly cacheHits: Counter<'model_group'>;

  constructor(options: GatewayMetricsOptions = {}) {
    const registers = [this.registry];
    this.groups = new LabelValues(options.maxLabelValues ?? 500);
    this.deployments = new LabelValues(options.maxLabelValues ?? 500);
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'llm_gateway_requests_total',
      help: 'Inference requests answered, by model group, deployment and HTTP status.',
      labelNames: ['model_group', 'deployment', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'llm_gateway_request_duration_seconds',
      help: 'Time from request to the last byte of the answer.',
      labelNames: ['model_group'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.spend = new Counter({ name: 'llm_gateway_spend_usd_total', help: 'Spend in USD, by model group.', labelNames: ['model_group'], registers });
    this.tokens = new Counter({
      name: 'llm_gateway_tokens_total',
      help: 'Tokens used, by model group and type (prompt, completion).',
      labelNames: ['model_group', 'type'],
      registers,
    });
    this.queueWait = new Histogram({
      name: 'llm_gateway_deployment_queue_wait_seconds',
      help: 'Time calls spent in a deployment rpm/tpm queue, by outcome (served, timeout, dropped).',
      labelNames: ['deployment', 'outcome'],
      buckets: QUEUE_BUCKETS,
      registers,
    });
    this.queueRejected = new Counter({
      name: 'llm_gateway_deployment_queue_rejected_total',
      help: 'Calls refused by a deployment queue (429): full, or waited past max_queue_wait.',
      labelNames: ['deployment', 'reason'],
      registers,
    });
    this.cacheHits = new Counter({
      name: 'llm_gateway_cache_hits_total',
      help: 'Answers served from the response cache.',
      labelNames: ['model_group'],
      registers,
    });
    this.registerQueueGauges(options.queues, registers);
  }

  /** One inference request is over (answered, failed, or the client left). */
  requestFinished(r: FinishedRequest): void {
    const group = this.groups.of(r.modelGroup);
    this.requests.inc({ model_group: group, deployment: this.deployments.of(r.deployment), status: String(r.status) });
    if (Number.isFinite(r.durationS) && r.durationS >= 0) this.duration.observe({ model_group: group }, r.durationS);
    if (r.spendUsd !== undefined && r.spendUsd > 0) this.spend.inc({ model_group: group }, r.spendUsd);
    if (r.promptTokens !== undefined && r.promptTokens > 0) this.tokens.inc({ model_group: group, type: 'prompt' }, r.promptTokens);
    if (r.completionTokens !== undefined && r.completionTokens > 0) this.tokens.inc({ model_group: group, type: 'completion' }, r.completionTokens);
  }

  /** A call left a deployment queue after `seconds` (served, timed out, or its client left). */
  queueWaited(deployment: string, seconds: number, outcome: 'served' | 'timeout' | 'dropped' = 'served'): void {
    this.queueWait.observe({ deployment: this.deployments.of(deployment), outcome }, Math.max(0, seconds));
    if (outcome === 'timeout') this.queueRejected.inc({ deployment: this.deployments.of(deployment), reason: 'timeout' });
  }

  /** DeploymentLimits' `onQueueEvent`, as is. */
  queueEvent(event: QueueEvent): void {
    if (event.outcome === 'full') this.queueRejected.inc({ deployment: this.deployments.of(event.deployment), reason: 'full' });
    else this.queueWaited(event.deployment, event.waitedS, event.outcome);
  }

  cacheHit(modelGroup?: string): void {
    this.cacheHits.inc({ model_group: this.groups.of(modelGroup) });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  private registerQueueGauges(queues: (() => QueueSource | undefined) | undefined, registers: Registry[]): void {
    const snapshot = () => queues?.()?.snapshot() ?? [];
    const deployments = this.deployments;
    new Gauge({
      name: 'llm_gateway_deployment_queue_depth',
      help: 'Calls waiting in a deployment rpm/tpm queue.',
      labelNames: ['deployment'],
      registers,
      collect() {
        this.reset();
        for (const lane of snapshot()) this.set({ deployment: deployments.of(lane.deployment) }, lane.queueDepth);
      },
    });
    new Gauge({
      name: 'llm_gateway_deployment_capacity_available',
      help: 'Requests (rpm) or tokens (tpm) a deployment can take now.',
      labelNames: ['deployment', 'limit'],
      registers,
      collect() {
        this.reset();
        for (const lane of snapshot()) {
          const deployment = deployments.of(lane.deployment);
          if (lane.rpm) this.set({ deployment, limit: 'rpm' }, Math.max(0, Math.floor(lane.rpm.available)));
          if (lane.tpm) this.set({ deployment, limit: 'tpm' }, Math.max(0, Math.floor(lane.tpm.available)));
        }
      },
    });
  }
}
