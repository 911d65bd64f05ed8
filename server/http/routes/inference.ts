/** POST /v1/chat/completions, /v1/completions, /v1/embeddings (and the same without /v1). */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { logRequest } from '../../observe/request-log.ts';
import { callForJson, openStream, type PreparedCall, prepareCall } from '../../proxy/call.ts';
import { SSE_HEADERS, writeFrames } from '../../proxy/sse.ts';
import { CallLifetime } from '../../proxy/call-lifetime.ts';
import { ClientGoneError } from '../../proxy/upstream.ts';
import type { Endpoint } from '../../providers/types.ts';
import { GatewayError } from '../errors.ts';
import type { Runtime } from '../runtime.ts';
import { requireMasterKey } from '../security.ts';
import { chatBodySchema, completionBodySchema, embeddingBodySchema } from './schemas.ts';

const ROUTES: [Endpoint, string, object][] = [
  ['chat', '/chat/completions', chatBodySchema],
  ['completions', '/completions', completionBodySchema],
  ['embeddings', '/embeddings', embeddingBodySchema],
];

function logCall(runtime: Runtime, call: PreparedCall | undefined, request: FastifyRequest, started: number, status: number, stream: boolean, error?: Error): void {
  logRequest(runtime.logger, {
    requestId: call?.ctx.requestId,
    path: request.url,
    model: (request.body as { model?: unknown } | undefined)?.model,
    deployment: call?.ctx.deployment,
    upstream: call?.upstreamRequest,
    usage: call?.usage,
    status,
    started,
    stream,
    error,
  });
}

async function handleInference(runtime: Runtime, endpoint: Endpoint, request: FastifyRequest, reply: FastifyReply) {
  const started = performance.now();
  const state = runtime.state;
  let call: PreparedCall | undefined;
  try {
    requireMasterKey(request.headers, state.masterKey);
    call = prepareCall(state.router, endpoint, request.body as Record<string, unknown>, randomUUID());
    const { deployment, requestId } = call.ctx;
    const lifetime = CallLifetime.forResponse(reply.raw);
    if (!call.ctx.stream) {
      const answer = await callForJson(call, lifetime);
      logCall(runtime, call, request, started, 200, false);
      return reply
        .header('x-litellm-call-id', requestId)
        .header('x-litellm-model-id', deployment.id)
        .type('application/json')
        .send(answer.text ?? answer.body);
    }
    const active = call;
    const stream = await openStream(call, lifetime, { includeUsage: call.includeUsage, onUsage: (usage) => (active.usage = usage) });
    reply.hijack();
    reply.raw.writeHead(200, { ...SSE_HEADERS, 'x-litellm-call-id': requestId, 'x-litellm-model-id': deployment.id });
    const { error } = await writeFrames(reply.raw, stream.frames, stream.toError);
    if (error) stream.close();
    logCall(runtime, call, request, started, 200, true, error);
  } catch (err) {
    if (err instanceof ClientGoneError) {
      logCall(runtime, call, request, started, 499, Boolean(call?.ctx.stream), err);
      reply.hijack();
      reply.raw.destroy();
      return;
    }
    logCall(runtime, call, request, started, err instanceof GatewayError ? err.status : 500, Boolean(call?.ctx.stream), err as Error);
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
