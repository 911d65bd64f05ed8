/** Serving an answer from the response cache: JSON as stored, or replayed as SSE; billed at zero cost. */
import type { FastifyReply } from 'fastify';
import { replayFrames, type StreamEndpoint } from '../../cache/replay.ts';
import type { CachePlan } from '../../cache/cache-service.ts';
import type { CachedAnswer } from '../../cache/response-cache.ts';
import type { MeteredCall } from '../../metering/metered-call.ts';
import type { Usage } from '../../providers/types.ts';
import { SSE_HEADERS, writeFrames } from '../../proxy/sse.ts';

export async function sendCacheHit(
  reply: FastifyReply,
  meter: MeteredCall,
  plan: CachePlan,
  hit: CachedAnswer,
  body: Record<string, unknown>,
  modelGroup: string,
): Promise<FastifyReply | undefined> {
  const usage = hit.body.usage as Usage | undefined;
  meter.admitCacheHit(modelGroup, typeof hit.body.model === 'string' ? hit.body.model : undefined);
  const headers = { 'x-litellm-call-id': meter.requestId, 'x-litellm-cache-hit': 'true', 'x-litellm-cache-key': plan.key };
  if (!meter.stream) {
    meter.finish({ httpStatus: 200, usage });
    return reply.headers({ ...headers, 'x-litellm-response-cost': '0' }).type('application/json').send(hit.body);
  }
  reply.hijack();
  reply.raw.writeHead(200, { ...SSE_HEADERS, ...headers });
  const includeUsage = (body.stream_options as { include_usage?: unknown } | null | undefined)?.include_usage === true;
  await writeFrames(
    reply.raw,
    replayFrames(plan.endpoint as StreamEndpoint, hit.body, includeUsage),
    (err) => (err instanceof Error ? err : new Error(String(err))),
    ({ firstFrameAt }) => meter.finish({ httpStatus: 200, usage, ttftMs: firstFrameAt === undefined ? undefined : firstFrameAt - meter.startedPerf }),
  );
  return undefined;
}
