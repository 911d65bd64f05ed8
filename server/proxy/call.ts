/**
 * One inference call: choose the deployment, build the upstream request through its adapter, and get
 * either a JSON answer or a stream of SSE frames. Errors before the stream's first frame (a failure the
 * upstream tells in its first event included) are thrown as GatewayErrors (the route renders them, the
 * router retries and falls back on them); errors after it are the stream writer's business.
 */
import { GatewayError, badRequest } from '../core/errors.ts';
import { completionsViaChat } from '../providers/completions-via-chat.ts';
import { mockProvider } from '../providers/mock/index.ts';
import { mapUpstreamError } from '../providers/openai/errors.ts';
import { getProvider } from '../providers/registry.ts';
import { authorizeUpstream } from './authorize.ts';
import type {
  CallContext,
  Deployment,
  Endpoint,
  EndpointAdapter,
  LocalResult,
  OpenAIChunk,
  ProviderAdapter,
  StreamFrame,
  StreamFraming,
  StreamTranslator,
  UpstreamRequest,
  Usage,
} from '../providers/types.ts';
import { chunkObjectFrames, passThroughFrames, translatedFrames, type StreamPolicy } from './sse.ts';
import type { CallLifetime } from './call-lifetime.ts';
import { withFunctionsInPromptWhenRefused } from './functions-in-prompt.ts';
import { withIdleTimeout } from './idle-timeout.ts';
import { primedOrThrow } from './primed-stream.ts';
import { classifyUpstreamFailure, requireEventStream, startUpstream, type UpstreamResponse } from './upstream.ts';

/** LiteLLM request fields that steer the gateway and must not reach the provider. */
export const GATEWAY_BODY_FIELDS: readonly string[] = [
  'mock_response',
  'caching',
  'cache',
  'fallbacks',
  'context_window_fallbacks',
  'content_policy_fallbacks',
  'num_retries',
  'request_timeout',
  'timeout',
  'litellm_metadata',
  'tags',
  'api_key',
  'api_base',
  'base_url',
];

export interface PreparedCall {
  ctx: CallContext;
  /** The deployment called (the same as ctx.deployment). */
  readonly deployment: Deployment;
  /** The model group that serves the call (after aliases and the default model). */
  readonly modelGroup: string;
  provider: ProviderAdapter;
  adapter: EndpointAdapter;
  /** The client asked for usage in its stream. */
  includeUsage: boolean;
  /** Filled once usage is known (from the provider's answer). */
  usage?: Usage;
  /** The upstream request as sent (for --detailed_debug). */
  upstreamRequest?: UpstreamRequest;
}

/**
 * The client's body without the fields that steer the gateway, for a provider that gets the body as is
 * (the native Anthropic path). The body itself is returned when it has none of them.
 */
export function withoutGatewayFields(clientBody: Record<string, unknown>): Record<string, unknown> {
  if (!GATEWAY_BODY_FIELDS.some((field) => field in clientBody)) return clientBody;
  const body = { ...clientBody };
  for (const field of GATEWAY_BODY_FIELDS) delete body[field];
  return body;
}

function providerBody(deployment: Deployment, clientBody: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = { ...deployment.defaults, ...clientBody };
  for (const field of GATEWAY_BODY_FIELDS) delete body[field];
  // LiteLLM uses `metadata` for its own logging; OpenAI only accepts it on stored completions.
  if (body.store !== true) delete body.metadata;
  return body;
}

function endpointAdapter(provider: ProviderAdapter, endpoint: Endpoint): EndpointAdapter {
  const direct = provider.endpoints[endpoint];
  if (direct) return direct;
  const chat = provider.endpoints.chat;
  if (endpoint === 'completions' && chat) return completionsViaChat(chat);
  throw badRequest(`The provider \`${provider.id}\` does not offer ${endpoint}; route this request to a model that does.`, 'model', 'unsupported_endpoint');
}

/** The model name a request asks for; the router's default (the first model) when it names none. */
export function requestedModel(clientBody: Record<string, unknown>): string | undefined {
  return typeof clientBody.model === 'string' && clientBody.model !== '' ? clientBody.model : undefined;
}

/** A call to this deployment (the router chose it) on behalf of `modelGroup`. */
export function prepareCallFor(
  deployment: Deployment,
  modelGroup: string,
  endpoint: Endpoint,
  clientBody: Record<string, unknown>,
  requestId: string,
): PreparedCall {
  const mockResponse = typeof clientBody.mock_response === 'string' ? clientBody.mock_response : undefined;
  const provider = mockResponse !== undefined ? mockProvider : getProvider(deployment.provider);
  if (!provider) throw new GatewayError(500, `No adapter is registered for provider \`${deployment.provider}\`.`);
  const streamOptions = clientBody.stream_options as { include_usage?: unknown } | null | undefined;
  const adapter = endpointAdapter(provider, endpoint);
  const ctx: CallContext = {
    endpoint,
    body: providerBody(deployment, clientBody),
    deployment,
    stream: clientBody.stream === true && endpoint !== 'embeddings',
    requestId,
    ...(mockResponse !== undefined ? { mockResponse } : {}),
  };
  return {
    deployment,
    modelGroup,
    ctx: withFunctionsInPromptWhenRefused(adapter, ctx),
    provider,
    adapter,
    includeUsage: streamOptions?.include_usage === true,
  };
}

/** Sends the call upstream; resolves on a success status, throws the mapped GatewayError otherwise. */
async function exchangeFor(call: PreparedCall, lifetime: CallLifetime, timeoutMs: number): Promise<UpstreamResponse> {
  const built = call.adapter.buildRequest(call.ctx);
  const req = call.provider.authorizeRequest ? await authorizeUpstream(call.provider, built, call.ctx.deployment) : built;
  call.upstreamRequest = req;
  try {
    const res = await lifetime.attach(startUpstream(req)).response;
    if (res.statusCode >= 400) {
      const text = await res.body.text();
      const map = call.provider.mapError ?? ((s, b, h) => mapUpstreamError(call.provider.id, s, b, h));
      throw map(res.statusCode, text, res.headers);
    }
    return res;
  } catch (err) {
    throw classifyUpstreamFailure(err, lifetime.reason, req.url, timeoutMs);
  }
}

export interface JsonAnswer {
  /** The upstream's own bytes when they are already the OpenAI answer (sent without re-serialising). */
  text?: string;
  body: Record<string, unknown>;
}

export async function callForJson(call: PreparedCall, lifetime: CallLifetime): Promise<JsonAnswer> {
  const { deployment } = call.ctx;
  const clearTimer = lifetime.startTimer(deployment.timeoutMs);
  try {
    if (call.provider.local) {
      const result = await call.provider.local.respond(call.ctx, lifetime.signal).catch((err) => {
        throw classifyUpstreamFailure(err, lifetime.reason, 'mock://local', deployment.timeoutMs);
      });
      if (result.kind !== 'json') throw new GatewayError(500, 'The mock provider streamed a non-streaming answer.');
      call.usage = result.body.usage as Usage | undefined;
      return { body: result.body };
    }
    const res = await exchangeFor(call, lifetime, deployment.timeoutMs);
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      throw classifyUpstreamFailure(err, lifetime.reason, call.upstreamRequest!.url, deployment.timeoutMs);
    }
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new GatewayError(502, `The upstream answered with something that is not JSON: ${text.slice(0, 200)}`, { code: 'upstream_invalid_response' });
    }
    if (call.adapter.translateResponse) {
      const body = call.adapter.translateResponse(json, call.ctx);
      call.usage = body.usage as Usage | undefined;
      return { body };
    }
    call.usage = json.usage as Usage | undefined;
    return { text, body: json };
  } finally {
    clearTimer();
  }
}

/** A started stream, before it is framed for a client: in-process chunks, or upstream bytes in the provider's framing. */
export interface StartedStream {
  source:
    | { kind: 'chunks'; chunks: AsyncIterable<OpenAIChunk> }
    | { kind: 'upstream'; body: AsyncIterable<Uint8Array>; framing: StreamFraming; translator?: StreamTranslator<StreamFrame> };
  /** Maps an error raised while streaming to what the client is told in-band. */
  toError(err: unknown): Error;
  close(): void;
}

/** Starts the stream; resolves once the first byte (headers) arrived, so errors before it are plain HTTP errors. */
export async function startStream(call: PreparedCall, lifetime: CallLifetime): Promise<StartedStream> {
  const { deployment } = call.ctx;
  const framing = call.provider.framing ?? 'sse';
  // Only OpenAI-shaped SSE can be passed through untranslated.
  if (framing !== 'sse' && !call.adapter.createStreamTranslator)
    throw new GatewayError(500, `The provider \`${call.provider.id}\` streams ${framing} but has no stream translator for ${call.ctx.endpoint}.`);
  const toError = (err: unknown) => classifyUpstreamFailure(err, lifetime.reason, call.upstreamRequest?.url ?? 'mock://local', deployment.timeoutMs);
  const clearFirstByteTimer = lifetime.startTimer(deployment.streamTimeoutMs);
  if (call.provider.local) {
    let result: LocalResult;
    try {
      result = await call.provider.local.respond(call.ctx, lifetime.signal);
    } catch (err) {
      throw toError(err);
    } finally {
      clearFirstByteTimer();
    }
    if (result.kind !== 'stream') throw new GatewayError(500, 'The mock provider did not stream.');
    return { source: { kind: 'chunks', chunks: result.chunks }, toError, close: () => undefined };
  }
  let res: UpstreamResponse;
  try {
    res = await exchangeFor(call, lifetime, deployment.streamTimeoutMs);
  } finally {
    clearFirstByteTimer();
  }
  await requireEventStream(res, framing);
  const body = withIdleTimeout(res.body, deployment.timeoutMs);
  const translator = call.adapter.createStreamTranslator?.(call.ctx);
  return { source: { kind: 'upstream', body, framing, ...(translator ? { translator } : {}) }, toError, close: () => res.body.destroy() };
}

export interface OpenStream {
  frames: AsyncIterable<string>;
  toError(err: unknown): Error;
  close(): void;
}

/**
 * The stream as SSE frames for an OpenAI client. Resolves once its first frame was read (primed-stream.ts), so a
 * failure the upstream tells in its first event is thrown as an HTTP error, retried and fallen back on.
 */
export async function openStream(call: PreparedCall, lifetime: CallLifetime, policy: StreamPolicy): Promise<OpenStream> {
  const { source, toError, close } = await startStream(call, lifetime);
  const frames =
    source.kind === 'chunks'
      ? chunkObjectFrames(source.chunks, policy)
      : source.translator
        ? translatedFrames(source.body, source.translator, policy, source.framing)
        : passThroughFrames(source.body, policy);
  return { frames: await primedOrThrow(frames, toError, close), toError, close };
}
