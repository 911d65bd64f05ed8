/**
 * What one request did, kept as it goes through the pipeline, for the one log line and the metrics at its
 * end: which deployment the router last tried, the usage, the metered call.
 */
import { randomUUID } from 'node:crypto';
import type { MeteredCall } from '../metering/metered-call.ts';
import { logRequest } from '../observe/request-log.ts';
import type { Usage } from '../providers/types.ts';
import { nanosToUsd } from '../spend/cost.ts';
import type { Inbound, PipelineRuntime } from './runtime.ts';
import type { SurfaceCall } from './surface.ts';

export class RequestRecord {
  readonly requestId = randomUUID();
  readonly started = performance.now();
  /** The current attempt's call (the last one tried, once the request is over). */
  call: SurfaceCall | undefined;
  /** The model group of an answer that no call served (a cache hit). */
  cachedGroup: string | undefined;
  usage: Usage | undefined;
  /** Absent for a call that is not billed (count_tokens), and before the caller is known. */
  meter: MeteredCall | undefined;

  constructor(
    private readonly runtime: PipelineRuntime,
    private readonly inbound: Inbound,
    /** Counted in the inference metrics. */
    private readonly inference: boolean,
    private readonly stream: boolean,
  ) {}

  /** The request is over: its log line, and for an inference call its metrics. */
  finished(status: number, error?: Error): void {
    const { call, usage } = this;
    if (this.inference) {
      // The group the router served, never the client's free-text model name: metric labels stay bounded.
      this.runtime.metrics.requestFinished({
        modelGroup: call?.modelGroup ?? this.cachedGroup,
        deployment: call?.deployment.id,
        status,
        durationS: (performance.now() - this.started) / 1000,
        spendUsd: this.meter ? nanosToUsd(this.meter.costNanos) : 0,
        promptTokens: usage?.prompt_tokens,
        completionTokens: usage?.completion_tokens,
      });
    }
    logRequest(this.runtime.logger, {
      requestId: this.requestId,
      path: this.inbound.path,
      model: this.inbound.body.model,
      deployment: call?.deployment,
      upstream: call?.upstreamRequest,
      usage,
      status,
      started: this.started,
      stream: this.stream,
      error,
    });
  }
}
