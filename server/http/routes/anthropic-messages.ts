/**
 * POST /v1/messages and /v1/messages/count_tokens (and both without /v1): Anthropic's Messages API, so
 * Claude Code and the Anthropic SDKs can use the gateway (`ANTHROPIC_BASE_URL=http://localhost:4000`).
 *
 * The requested model goes through the same router as OpenAI requests. An Anthropic deployment gets the
 * request natively and its answer is relayed byte for byte; any other provider gets it translated to an
 * OpenAI chat call, whose answer is translated back. Every error on these routes is Anthropic-shaped.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { logRequest } from '../../observe/request-log.ts';
import { estimateInputTokens } from '../../providers/anthropic/inbound/count-tokens.ts';
import { errorEventFrame, renderAnthropicError } from '../../providers/anthropic/inbound/errors.ts';
import { nativeRequest } from '../../providers/anthropic/inbound/native.ts';
import { countTokensBodySchema, messagesBodySchema, validationError } from '../../providers/anthropic/inbound/schema.ts';
import type { Deployment, UpstreamRequest, Usage } from '../../providers/types.ts';
import { forwardNativeJson, forwardNativeStream, type NativeReply } from '../../proxy/anthropic-native.ts';
import { eventsViaChat, messageViaChat, prepareChatCall } from '../../proxy/anthropic-via-chat.ts';
import { CallLifetime } from '../../proxy/call-lifetime.ts';
import { writeEvents, type WriteEventsResult } from '../../proxy/event-writer.ts';
import { SSE_HEADERS } from '../../proxy/sse.ts';
import { ClientGoneError } from '../../proxy/upstream.ts';
import { pickDeployment } from '../../router/pick-deployment.ts';
import { toGatewayError } from '../error-handler.ts';
import { GatewayError } from '../../core/errors.ts';
import type { Runtime } from '../runtime.ts';
import { callerOf, modelFor } from '../auth.ts';
import type { Caller } from '../../keys/caller.ts';
import { MeteredCall } from '../../metering/metered-call.ts';
import { errorInfo, statusOf } from '../../metering/outcome.ts';

type Body = Record<string, unknown>;

/** What one call did, for the debug log line and the spend row. */
interface CallRecord {
  requestId: string;
  started: number;
  stream: boolean;
  caller: Caller;
  metered?: MeteredCall;
  deployment?: Deployment;
  upstream?: UpstreamRequest;
  usage?: Usage;
}

function logCall(runtime: Runtime, request: FastifyRequest, record: CallRecord, status: number, error?: Error): void {
  logRequest(runtime.logger, {
    requestId: record.requestId,
    path: request.url,
    model: (request.body as Body | undefined)?.model,
    deployment: record.deployment,
    upstream: record.upstream,
    usage: record.usage,
    status,
    started: record.started,
    stream: record.stream,
    error,
  });
}

function callHeaders(record: CallRecord): Record<string, string> {
  return { 'x-litellm-call-id': record.requestId, ...(record.deployment ? { 'x-litellm-model-id': record.deployment.id } : {}) };
}

/** The generated text of an Anthropic message (text blocks, tool inputs): for a usage estimate. */
function messageText(message: unknown): string {
  const content = (message as { content?: { type?: string; text?: unknown; input?: unknown }[] } | undefined)?.content ?? [];
  return content.map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : block.type === 'tool_use' ? JSON.stringify(block.input ?? {}) : '')).join('');
}

function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A relayed native answer that is not a stream: JSON or the upstream's error, with the upstream's status. */
function sendNative(reply: FastifyReply, record: CallRecord, answer: NativeReply): number {
  if (answer.kind === 'error') {
    record.metered?.finish({ httpStatus: answer.error.status, error: { type: 'upstream_error', code: null } });
    reply.code(answer.error.status).headers({ ...answer.error.headers, ...callHeaders(record) }).type('application/json').send(answer.error.body);
    return answer.error.status;
  }
  if (answer.usage) record.usage = answer.usage;
  record.metered?.finish({ httpStatus: answer.status, usage: answer.usage, completionText: () => messageText(parsedOrUndefined(answer.text)) });
  reply.code(answer.status).headers({ ...answer.headers, ...callHeaders(record) }).type('application/json').send(answer.text);
  return answer.status;
}

/** Streams already-framed events to the client; a late failure becomes one `event: error`. */
async function sendEvents(
  reply: FastifyReply,
  record: CallRecord,
  headers: Record<string, string>,
  stream: { frames: AsyncIterable<string | Uint8Array>; toError(err: unknown): Error; close(): void },
  usage: () => Usage | undefined,
) {
  reply.hijack();
  reply.raw.writeHead(200, { ...SSE_HEADERS, ...headers, ...callHeaders(record) });
  // The spend row is committed before the stream's last byte, whatever ended it.
  const beforeEnd = ({ error: failure, firstFrameAt }: WriteEventsResult) => {
    record.usage = usage();
    record.metered?.finish({
      httpStatus: failure ? statusOf(failure) : 200,
      usage: record.usage,
      error: failure ? errorInfo(failure) : undefined,
      ttftMs: firstFrameAt === undefined ? undefined : firstFrameAt - record.metered.startedPerf,
    });
  };
  const { error } = await writeEvents(reply.raw, stream.frames, { toError: stream.toError, errorFrame: errorEventFrame, beforeEnd });
  if (error) stream.close();
  return error;
}

async function runMessages(runtime: Runtime, request: FastifyRequest, reply: FastifyReply, record: CallRecord): Promise<{ status: number; error?: Error }> {
  const body = request.body as Body;
  const { group, deployment } = chooseDeployment(runtime, record, body);
  const metered = new MeteredCall({ services: runtime.services, prices: runtime.state.prices, logger: runtime.logger }, record.caller, record.requestId, 'messages', body, record.stream);
  record.metered = metered;
  metered.admit(deployment, group.modelName);
  const lifetime = CallLifetime.forResponse(reply.raw);

  if (deployment.provider === 'anthropic') {
    record.upstream = nativeRequest(deployment, 'messages', body, request.headers);
    if (!record.stream) return { status: sendNative(reply, record, await forwardNativeJson(record.upstream, deployment, lifetime)) };
    const answer = await forwardNativeStream(record.upstream, deployment, lifetime);
    if (answer.kind !== 'stream') return { status: sendNative(reply, record, answer) };
    const error = await sendEvents(reply, record, answer.headers, answer, () => answer.usage());
    return error ? { status: 200, error } : { status: 200 };
  }

  const chat = prepareChatCall(deployment, body, record.requestId);
  try {
    if (!record.stream) {
      const message = await messageViaChat(chat, lifetime);
      metered.finish({ httpStatus: 200, usage: chat.call.usage, completionText: () => messageText(message) });
      reply.headers(callHeaders(record)).type('application/json').send(message);
      return { status: 200 };
    }
    const error = await sendEvents(reply, record, {}, await eventsViaChat(chat, lifetime), () => chat.call.usage);
    return error ? { status: 200, error } : { status: 200 };
  } finally {
    record.upstream = chat.call.upstreamRequest;
    record.usage = chat.call.usage;
  }
}

async function runCountTokens(runtime: Runtime, request: FastifyRequest, reply: FastifyReply, record: CallRecord): Promise<{ status: number }> {
  const body = request.body as Body;
  const { deployment } = chooseDeployment(runtime, record, body);
  if (deployment.provider === 'anthropic') {
    record.upstream = nativeRequest(deployment, 'count_tokens', body, request.headers);
    const answer = await forwardNativeJson(record.upstream, deployment, CallLifetime.forResponse(reply.raw));
    return { status: sendNative(reply, record, answer) };
  }
  reply.headers(callHeaders(record)).type('application/json').send({ input_tokens: estimateInputTokens(body) });
  return { status: 200 };
}

/** The key's view of the requested model, then one deployment of its group. */
function chooseDeployment(runtime: Runtime, record: CallRecord, body: Body) {
  const group = runtime.state.router.resolve(modelFor(record.caller, String(body.model)));
  const deployment = pickDeployment(group.deployments);
  record.deployment = deployment;
  return { group, deployment };
}

type Runner = (runtime: Runtime, request: FastifyRequest, reply: FastifyReply, record: CallRecord) => Promise<{ status: number; error?: Error }>;

async function handle(runtime: Runtime, run: Runner, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const started = performance.now();
  let record: CallRecord | undefined;
  try {
    record = { requestId: randomUUID(), started, stream: (request.body as Body).stream === true, caller: callerOf(runtime, request.headers) };
    const { status, error } = await run(runtime, request, reply, record);
    logCall(runtime, request, record, status, error);
    return reply;
  } catch (err) {
    if (!record) throw err;
    record.metered?.finish({ httpStatus: statusOf(err), usage: record.usage, error: errorInfo(err) });
    if (err instanceof ClientGoneError) {
      logCall(runtime, request, record, 499, err);
      reply.hijack();
      reply.raw.destroy();
      return;
    }
    logCall(runtime, request, record, err instanceof GatewayError ? err.status : 500, err as Error);
    throw err;
  }
}

export function registerAnthropicMessagesRoutes(app: FastifyInstance, runtime: Runtime): void {
  const bodyLimitBytes = app.initialConfig.bodyLimit ?? 1024 * 1024;
  // Route-level, so validation, JSON-parsing and size failures on these paths are Anthropic-shaped too.
  const errorHandler = (err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const failure = err as FastifyError;
    const error = failure.validation ? validationError(failure.validation) : toGatewayError(err, bodyLimitBytes);
    if (error.status >= 500 && !(err instanceof GatewayError)) runtime.logger.error({ err, url: request.url }, 'unexpected error');
    const rendered = renderAnthropicError(error);
    return reply.code(rendered.status).headers(rendered.headers).type('application/json').send(rendered.body);
  };
  for (const prefix of ['/v1', '']) {
    app.post(`${prefix}/messages`, { schema: { body: messagesBodySchema }, errorHandler }, (request, reply) => handle(runtime, runMessages, request, reply));
    app.post(`${prefix}/messages/count_tokens`, { schema: { body: countTokensBodySchema }, errorHandler }, (request, reply) =>
      handle(runtime, runCountTokens, request, reply),
    );
  }
}
