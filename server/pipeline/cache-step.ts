/**
 * The response cache's place in the pipeline: before routing, look the request up (exact match, keyed by
 * the surface's key space and the model group); a hit is answered from the cache, billed at zero.
 */
import type { CachePlan, ResponseCacheService } from '../cache/cache-service.ts';
import type { CachedAnswer } from '../cache/response-cache.ts';
import type { MeteredCall } from '../metering/metered-call.ts';
import type { Usage } from '../providers/types.ts';
import { SSE_HEADERS } from '../proxy/sse.ts';
import type { ModelRouter } from '../router/model-router.ts';
import type { RequestRecord } from './request-record.ts';
import type { PipelineReply } from './runtime.ts';
import type { StreamWriter, SurfaceCache } from './surface.ts';

export interface CacheLookup {
  plan: CachePlan;
  /** The model group the answer is (or would be) cached under. */
  group: string;
  hit: CachedAnswer | undefined;
}

/** The request's cache plan and the entry to serve, if any; undefined when the cache is not involved. */
export async function lookUp(
  cache: ResponseCacheService,
  router: ModelRouter,
  surfaceCache: SurfaceCache<unknown>,
  body: Record<string, unknown>,
  modelName: string | undefined,
): Promise<CacheLookup | undefined> {
  // Keyed by the model group, not the name asked for: aliases share answers.
  const group = router.resolve(modelName).modelName;
  const plan = cache.plan(surfaceCache.endpoint, body, group);
  if (!plan) return undefined;
  return { plan, group, hit: await cache.lookup(plan) };
}

/**
 * Answers from the cache: the key's limits still apply (admission), nothing is reserved, the row costs 0.
 * The metrics and the log line follow once the answer is sent.
 */
export function replyFromCache<F>(
  record: RequestRecord,
  meter: MeteredCall,
  surface: { cache: SurfaceCache<F>; writeStream: StreamWriter<F> },
  { plan, group }: CacheLookup,
  hit: CachedAnswer,
  counted: (group: string) => void,
): PipelineReply {
  const usage = hit.body.usage as Usage | undefined;
  meter.admitCacheHit(group, typeof hit.body.model === 'string' ? hit.body.model : undefined);
  record.cachedGroup = group;
  record.usage = usage;
  const headers = { 'x-litellm-call-id': record.requestId, 'x-litellm-cache-hit': 'true', 'x-litellm-cache-key': plan.key };
  const answer = surface.cache.replay(hit);
  if (answer.kind === 'json') {
    meter.finish({ httpStatus: 200, usage });
    counted(group);
    record.finished(200);
    return { kind: 'json', status: 200, headers: { ...headers, 'x-litellm-response-cost': '0' }, body: answer.body };
  }
  return {
    kind: 'stream',
    headers: { ...SSE_HEADERS, ...headers },
    pipe: async (res) => {
      await surface.writeStream(res, answer.frames, answer.toError, ({ firstFrameAt }) =>
        meter.finish({ httpStatus: 200, usage, ttftMs: firstFrameAt === undefined ? undefined : firstFrameAt - meter.startedPerf }),
      );
      counted(group);
      record.finished(200);
    },
  };
}
