/** POST /v1/chat/completions, /v1/completions, /v1/embeddings (and the same without /v1). */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MeteredCall } from '../../metering/metered-call.ts';
import { errorInfo, statusOf } from '../../metering/outcome.ts';
import { logRequest } from '../../observe/request-log.ts';
import type { Endpoint } from '../../providers/types.ts';
import { CallLifetime } from '../../proxy/call-lifetime.ts';
import { callForJson, openStream, requestedModel, type PreparedCall } from '../../proxy/call.ts';
import { routeCall } from '../../router/route-call.ts';
import { withRequestOverrides } from '../../router/router-settings.ts';
import { SSE_HEADERS, StreamTranscript, writeFrames } from '../../proxy/sse.ts';
import { ClientGoneError } from '../../proxy/upstream.ts';
import { nanosToUsd } from '../../spend/cost.ts';
import { countPromptTokens } from '../../spend/tokenizer.ts';
import { AnswerCollector } from '../../cache/answer-collector.ts';
import type { StreamEndpoint } from '../../cache/replay.ts';
import { sendCacheHit } from './cache-hit.ts';
import { callerOf, modelFor } from '../auth.ts';
import type { Runtime } from '../runtime.ts';
import { chatBodySchema, completionBodySchema, embeddingBodySchema } from './schemas.ts';

const ROUTES: [Endpoint, string, object][] = [
  ['chat', '/chat/completions', chatBodySchema],
  ['completions', '/completions', completionBodySchema],
  ['embeddings', '/embeddings', embeddingBodySchema],
];

/** The generated text of a JSON answer, for a usage estimate when the provider reported none. */
function answerText(body: Record<string, unknown>): string {
  const choices = (body.choices as { message?: { content?: unknown }; text?: unknown }[] | undefined) ?? [];
  return choices.map((c) => (typeof c.message?.content === 'string' ? c.message.content : typeof c.text === 'string' ? c.text : '')).join('');
}

async function handleInference(runtime: Runtime, endpoint: Endpoint, request: FastifyRequest, reply: FastifyReply) {
  const started = performance.now();
  const state = runtime.state;
  const body = request.body as Record<string, unknown>;
  let call: PreparedCall | undefined;
  let metered: MeteredCall | undefined;
  const log = (status: number, error?: Error) => {
    // The group the router served, never the client's free-text model name: metric labels stay bounded.
    runtime.metrics.requestFinished({
      modelGroup: call?.modelGroup,
      deployment: call?.ctx.deployment.id,
      status,
      durationS: (performance.now() - started) / 1000,
      spendUsd: metered ? nanosToUsd(metered.costNanos) : 0,
      promptTokens: call?.usage?.prompt_tokens,
      completionTokens: call?.usage?.completion_tokens,
    });
    logRequest(runtime.logger, {
      requestId: metered?.requestId,
      path: request.url,
      model: body.model,
      deployment: call?.ctx.deployment,
      upstream: call?.upstreamRequest,
      usage: call?.usage,
      status,
      started,
      stream: metered?.stream ?? false,
      error,
    });
  };
  try {
    const caller = callerOf(runtime, request.headers);
    metered = new MeteredCall({ services: runtime.services, prices: state.prices, logger: runtime.logger }, caller, randomUUID(), endpoint, body, body.stream === true && endpoint !== 'embeddings');
    const requested = requestedModel(body) ?? state.router.defaultModel();
    const modelName = modelFor(caller, requested);
    const meter = metered;
    const lifetime = CallLifetime.forResponse(reply.raw);
    let promptTokens: number | undefined;
    // Exact-match cache, keyed by the model group (not the name asked for: aliases share answers).
    const cacheGroup = runtime.cache.enabled ? state.router.resolve(modelName).modelName : undefined;
    const plan = cacheGroup === undefined ? undefined : runtime.cache.plan(endpoint, body, cacheGroup);
    if (plan && cacheGroup !== undefined) {
      const hit = await runtime.cache.lookup(plan);
      if (hit) {
        const sent = await sendCacheHit(reply, meter, plan, hit, body, cacheGroup);
        runtime.metrics.cacheHit(cacheGroup);
        log(200);
        return sent;
      }
    }
    const route = {
      router: state.router,
      settings: withRequestOverrides(state.routing, body, modelName ?? ''),
      health: runtime.health,
      endpoint,
      body,
      requestId: meter.requestId,
      modelName,
      lifetime,
      limits: runtime.limits,
      logger: runtime.logger,
      estimateTokens: () => (promptTokens ??= countPromptTokens(endpoint, body)),
      // Admission against the key happens once; a retry or fallback moves the row to the new deployment.
      beforeAttempt: (next: PreparedCall) => {
        call = next;
        if (meter.admitted) meter.servedBy(next.ctx.deployment, next.modelGroup);
        else meter.admit(next.ctx.deployment, next.modelGroup);
      },
    };
    if (!meter.stream) {
      const { call: served, result: answer, permit } = await routeCall({ ...route, attempt: (c, attemptLifetime) => callForJson(c, attemptLifetime) });
      meter.finish({ httpStatus: 200, usage: served.usage, completionText: () => answerText(answer.body) });
      permit.settle(served.usage?.total_tokens);
      if (plan) void runtime.cache.store(plan, answer.body);
      log(200);
      return reply
        .header('x-litellm-call-id', meter.requestId)
        .header('x-litellm-model-id', served.ctx.deployment.id)
        .header('x-litellm-response-cost', String(nanosToUsd(meter.costNanos)))
        .type('application/json')
        .send(answer.text ?? answer.body);
    }
    // Retries and fallbacks happen before the first byte; once streaming, a failure is reported in-band.
    const { call: active, result: opened, permit } = await routeCall({
      ...route,
      attempt: async (c, attemptLifetime) => {
        const transcript = new StreamTranscript();
        const stream = await openStream(c, attemptLifetime, { includeUsage: c.includeUsage, onUsage: (usage) => (c.usage = usage), transcript });
        return { stream, transcript };
      },
    });
    const { stream, transcript } = opened;
    // A streamed miss fills the cache too, with the answer its chunks add up to.
    const collector = plan?.decision.write ? new AnswerCollector() : undefined;
    const { deployment, requestId } = active.ctx;
    reply.hijack();
    reply.raw.writeHead(200, { ...SSE_HEADERS, 'x-litellm-call-id': requestId, 'x-litellm-model-id': deployment.id });
    // The spend row is committed before the stream's last byte, whatever ended it.
    const frames = collector ? collector.tap(stream.frames) : stream.frames;
    const { error } = await writeFrames(reply.raw, frames, stream.toError, ({ error: failure, firstFrameAt }) => {
      meter.finish({
        httpStatus: failure ? statusOf(failure) : 200,
        usage: active.usage,
        completionText: () => transcript.text(),
        error: failure ? errorInfo(failure) : undefined,
        ttftMs: firstFrameAt === undefined ? undefined : firstFrameAt - meter.startedPerf,
      });
      permit.settle(active.usage?.total_tokens);
    });
    if (error) stream.close();
    else if (plan && collector) {
      const full = collector.answer(endpoint as StreamEndpoint, active.usage);
      if (full) void runtime.cache.store(plan, full);
    }
    log(200, error);
  } catch (err) {
    metered?.finish({ httpStatus: statusOf(err), usage: call?.usage, error: errorInfo(err) });
    log(statusOf(err), err as Error);
    // The id matches the failure to its spend row.
    if (metered) reply.header('x-litellm-call-id', metered.requestId);
    if (err instanceof ClientGoneError) {
      reply.hijack();
      reply.raw.destroy();
      return;
    }
    throw err;
  }
}

export function registerInferenceRoutes(app: FastifyInstance, runtime: Runtime): void {
  for (const [endpoint, path, schema] of ROUTES) {
    for (const prefix of ['/v1', '']) {
      app.post(prefix + path, { schema: { body: schema } }, (request, reply) => handleInference(runtime, endpoint, request, reply));
    }
  }
}
