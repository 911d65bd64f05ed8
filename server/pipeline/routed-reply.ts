/**
 * The routed answer on its way out: the spend row, the deployment's rpm/tpm permit, the cache, the log line
 * and the metrics — for a whole answer at once, for a stream just before its last byte.
 */
import type { CachePlan, ResponseCacheService } from '../cache/cache-service.ts';
import { errorInfo, statusOf } from '../metering/outcome.ts';
import { maskedError } from '../observe/mask-error.ts';
import { SSE_HEADERS } from '../proxy/sse.ts';
import type { Permit } from '../router/deployment-limits.ts';
import { nanosToUsd } from '../spend/cost.ts';
import type { RequestRecord } from './request-record.ts';
import type { PipelineReply } from './runtime.ts';
import type { Answer, StreamAnswer, Surface, SurfaceCall } from './surface.ts';

export interface Routed<C, F> {
  call: C;
  answer: Answer<F>;
  permit: Permit;
  /** The cache plan of a miss that may fill the cache. */
  plan: CachePlan | undefined;
  /** The gateway's secrets, masked in an error told in-band (the route's error rendering masks the others). */
  secrets: () => readonly string[];
}

export function routedReply<C extends SurfaceCall, F>(
  cache: ResponseCacheService,
  record: RequestRecord,
  surface: Surface<C, F>,
  routed: Routed<C, F>,
): PipelineReply {
  const { call, answer, permit, plan } = routed;
  const meter = record.meter;
  if (answer.kind === 'stream') {
    const headers = { ...SSE_HEADERS, ...answer.headers, 'x-litellm-call-id': record.requestId, 'x-litellm-model-id': call.deployment.id };
    const toError = (err: unknown) => maskedError(answer.toError(err), routed.secrets());
    return { kind: 'stream', headers, pipe: (res) => pipeStream(res, cache, record, surface, { ...answer, toError }, permit, plan) };
  }
  record.usage = answer.usage;
  meter?.finish({ httpStatus: answer.status, usage: answer.usage, completionText: answer.completionText });
  permit.settle(answer.usage?.total_tokens);
  if (plan && answer.cacheable) void cache.store(plan, answer.cacheable);
  record.finished(answer.status);
  const headers: Record<string, string> = { ...answer.headers, 'x-litellm-call-id': record.requestId, 'x-litellm-model-id': call.deployment.id };
  if (meter) headers['x-litellm-response-cost'] = String(nanosToUsd(meter.costNanos));
  return { kind: 'json', status: answer.status, headers, body: answer.body };
}

/** Streams the answer; a failure after the first byte is the stream's, told in-band by the surface's framing. */
async function pipeStream<C extends SurfaceCall, F>(
  res: import('node:http').ServerResponse,
  cache: ResponseCacheService,
  record: RequestRecord,
  surface: Surface<C, F>,
  answer: StreamAnswer<F>,
  permit: Permit,
  plan: CachePlan | undefined,
): Promise<void> {
  const meter = record.meter;
  // A streamed miss fills the cache too, with the answer its frames add up to.
  const collector = plan?.decision.write && surface.cache ? surface.cache.collect(answer.frames) : undefined;
  // The spend row is committed before the stream's last byte, whatever ended it.
  const { error } = await surface.writeStream(res, collector ? collector.frames : answer.frames, answer.toError, ({ error: failure, firstFrameAt }) => {
    record.usage = answer.usage();
    meter?.finish({
      httpStatus: failure ? statusOf(failure) : 200,
      usage: record.usage,
      completionText: answer.completionText,
      error: failure ? errorInfo(failure) : undefined,
      ttftMs: firstFrameAt === undefined ? undefined : firstFrameAt - meter.startedPerf,
    });
    permit.settle(record.usage?.total_tokens);
  });
  if (error) answer.close();
  else if (plan && collector) {
    const full = collector.answer(record.usage);
    if (full) void cache.store(plan, full);
  }
  record.finished(200, error);
}
