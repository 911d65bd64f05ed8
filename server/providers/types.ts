/**
 * The provider contract (Portkey-style): one adapter per wire protocol, one small transform per endpoint.
 * Adapters are pure translation: they build the upstream HTTP request and translate answers; the
 * executor (server/proxy/) owns HTTP, timeouts, streaming and errors.
 */
import type { GatewayError } from '../core/errors.ts';
import type { Deployment, Endpoint, UpstreamRequest } from '../core/call.ts';

export type { Deployment, Endpoint, UpstreamRequest, Usage } from '../core/call.ts';

export interface CallContext {
  endpoint: Endpoint;
  /**
   * The request body to send: the client's body merged over the deployment's defaults, with the
   * gateway-only fields (mock_response, caching, fallbacks, metadata, …) removed. `model` is still the
   * client's name; adapters put `deployment.upstreamModel` in its place.
   */
  body: Record<string, unknown>;
  deployment: Deployment;
  stream: boolean;
  requestId: string;
  /** Per-request `mock_response` (LiteLLM): answer with this text instead of calling the provider. */
  mockResponse?: string;
}

/** An OpenAI chat.completion.chunk (or text_completion chunk) as a plain object. */
export type OpenAIChunk = Record<string, unknown>;

/** One server-sent event, as the SSE framing reads it. */
export interface SseFrame {
  event?: string | undefined;
  data: string;
  id?: string | undefined;
}

/** An AWS event-stream header value (`long` headers as numbers). */
export type AwsHeaderValue = string | number | boolean | Uint8Array | Date;

/** One AWS event-stream message: its decoded headers (`:event-type`, `:content-type`, …) and payload bytes. */
export interface AwsEventStreamFrame {
  headers: Record<string, AwsHeaderValue>;
  payload: Uint8Array;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The parsed frame each framing yields; NDJSON yields one parsed JSON value per line. */
export interface StreamFrameOf {
  sse: SseFrame;
  'aws-eventstream': AwsEventStreamFrame;
  ndjson: JsonValue;
}

export type StreamFrame = StreamFrameOf[StreamFraming];

/** Turns a non-OpenAI stream into OpenAI chunks, one parsed upstream frame at a time. */
export interface StreamTranslator<Frame extends StreamFrame = SseFrame> {
  /** One upstream frame in, zero or more OpenAI chunks out. Throws GatewayError on an in-band error event. */
  push(frame: Frame): OpenAIChunk[];
  /**
   * Called once after the upstream stream ended. Returns the last chunks; the translator always emits a
   * final usage chunk (`choices: []`, `usage`) here or earlier — the relay drops it when the client did
   * not ask for usage.
   */
  end(): OpenAIChunk[];
}

export interface EndpointAdapter {
  /**
   * Builds the upstream request. Throws GatewayError(400, param) for a parameter the provider cannot take,
   * unless `deployment.dropParams`, in which case the parameter is left out.
   */
  buildRequest(ctx: CallContext): UpstreamRequest;
  /** Non-streamed upstream JSON → OpenAI body. Absent: the upstream already speaks OpenAI (passed through). */
  translateResponse?(upstream: unknown, ctx: CallContext): Record<string, unknown>;
  /**
   * Streamed upstream → OpenAI chunks. The translator takes the frames of its provider's framing
   * (`ProviderAdapter.framing`; an SSE translator is a `StreamTranslator<SseFrame>`). Absent: OpenAI SSE,
   * passed through without re-serialising.
   */
  createStreamTranslator?(ctx: CallContext): StreamTranslator<StreamFrame>;
}

/** Answers in-process instead of over HTTP (the built-in `mock/` provider). */
/**
 * A provider that answers through its own code rather than one upstream request built by the gateway: the
 * built-in mock (in process), or a provider whose call is several HTTP requests (Replicate: create, poll,
 * stream URL), which sets `callsUpstream` so it is priced, shown, logged and probed like any remote provider.
 */
export interface LocalProvider {
  respond(ctx: CallContext, signal: AbortSignal): Promise<LocalResult>;
  /** The answer comes from a remote API (not the gateway's own process). */
  callsUpstream?: true;
}

export type LocalResult = { kind: 'json'; body: Record<string, unknown> } | { kind: 'stream'; chunks: AsyncIterable<OpenAIChunk> };

/**
 * How a provider frames a streamed answer: server-sent events (OpenAI, Anthropic, Gemini `alt=sse`), AWS binary
 * event-stream messages (Bedrock ConverseStream), or newline-delimited JSON (Ollama's native API, Cohere v1).
 */
export type StreamFraming = 'sse' | 'aws-eventstream' | 'ndjson';

export interface ProviderAdapter {
  /** Registry key, also the `provider/` prefix in litellm_params.model. */
  id: string;
  /** How its streamed answers are framed. Absent: 'sse'. */
  framing?: StreamFraming;
  endpoints: Partial<Record<Endpoint, EndpointAdapter>>;
  /** Upstream error answer → GatewayError. Absent: the OpenAI-shaped default mapping. */
  mapError?(status: number, bodyText: string, headers: Record<string, string | string[] | undefined>): GatewayError;
  /** A request that proves the deployment is reachable at the least cost. */
  healthProbe?(deployment: Deployment): UpstreamRequest;
  /**
   * What a successful (2xx) probe answer says about the deployment when a 2xx alone does not mean healthy (a
   * control-plane probe reporting the status of a SageMaker endpoint): why it is unhealthy, or undefined.
   */
  healthProbeVerdict?(bodyText: string): string | undefined;
  /**
   * Signs or authorizes a built request (AWS SigV4, a Google OAuth access token): async work buildRequest and
   * healthProbe cannot do. Runs on every upstream request the proxy and the health probes send for this provider.
   */
  authorizeRequest?(req: UpstreamRequest, deployment: Deployment): Promise<UpstreamRequest>;
  local?: LocalProvider;
}
