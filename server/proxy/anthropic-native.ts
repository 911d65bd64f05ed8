/**
 * Executes the native Anthropic path of the inbound Messages API: the request goes to an Anthropic
 * deployment as built by providers/anthropic/inbound/native.ts — or to a provider that hosts Claude behind its own
 * URL and auth (Vertex AI), as its descriptor's nativeMessagesRequest builds it and its authorizeRequest signs it —
 * and the answer — JSON or SSE bytes — is relayed as the upstream sent it, with the upstream's status. Usage is read on the side.
 *
 * An error answer is thrown as a RelayedUpstreamError: mapped like any upstream error, so the router
 * retries, falls back and cools down exactly as it would for a chat call, yet still carrying Anthropic's
 * own status and body for the client when it is the final answer.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { createParser } from 'eventsource-parser';
import { GatewayError } from '../core/errors.ts';
import { streamErrorToGatewayError } from '../providers/anthropic/errors.ts';
import { relayedUpstreamError, type RenderedError } from '../providers/anthropic/inbound/errors.ts';
import { type NativeEndpoint, StreamUsageCollector, nativeRequest, usageOfMessage } from '../providers/anthropic/inbound/native.ts';
import { mapUpstreamError } from '../providers/openai/errors.ts';
import { getProvider, servesNatively } from '../providers/registry.ts';
import type { Deployment, UpstreamRequest, Usage } from '../providers/types.ts';
import { authorizeUpstream } from './authorize.ts';
import type { CallLifetime } from './call-lifetime.ts';
import { withIdleTimeout } from './idle-timeout.ts';
import { primedOrThrow } from './primed-stream.ts';
import { startRelayedStream } from './relayed-stream.ts';
import { classifyUpstreamFailure, startUpstream, type UpstreamResponse } from './upstream.ts';

/** A whole answer relayed at once (messages without stream, count_tokens), with the upstream's status. */
export interface NativeJson {
  status: number;
  headers: Record<string, string>;
  text: string;
  usage?: Usage;
}

export interface NativeStream {
  headers: Record<string, string>;
  frames: AsyncIterable<Uint8Array>;
  usage(): Usage | undefined;
  toError(err: unknown): Error;
  close(): void;
}

/**
 * An upstream's error answer: a GatewayError as the provider's error mapping reads it (for the router's
 * retry, fallback and cooldown decisions, the spend row and the logs), with the answer as it is relayed
 * to a client of the same API.
 */
export class RelayedUpstreamError extends GatewayError {
  constructor(
    mapped: GatewayError,
    readonly relayed: RenderedError,
  ) {
    super(mapped.status, mapped.message, { type: mapped.type, param: mapped.param, code: mapped.code, headers: mapped.headers });
    this.name = 'RelayedUpstreamError';
  }
}

/**
 * The upstream request of a Messages API call to this deployment when it takes one natively: Anthropic's own API,
 * or a descriptor's nativeMessagesRequest (Claude on Vertex AI); undefined when it is served through chat.
 */
export function nativeMessagesRequest(
  deployment: Deployment,
  endpoint: NativeEndpoint,
  body: Record<string, unknown>,
  clientHeaders: IncomingHttpHeaders,
): UpstreamRequest | undefined {
  if (servesNatively(deployment.provider, 'messages')) return nativeRequest(deployment, endpoint, body, clientHeaders);
  return getProvider(deployment.provider)?.nativeMessagesRequest?.(deployment, endpoint, body, clientHeaders);
}

/** Upstream headers a client of Anthropic's API reads: its request id and rate-limit state. */
function relayedHeaders(headers: UpstreamResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || !(lower === 'request-id' || lower === 'retry-after' || lower.startsWith('anthropic-ratelimit-'))) continue;
    out[lower] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

async function errorAnswer(res: UpstreamResponse, deployment: Deployment): Promise<RelayedUpstreamError> {
  const text = await res.body.text().catch(() => '');
  const provider = getProvider(deployment.provider);
  const mapped = provider?.mapError
    ? provider.mapError(res.statusCode, text, res.headers)
    : mapUpstreamError(deployment.provider, res.statusCode, text, res.headers);
  // The mapping's Retry-After too: Vertex tells the delay in its body's RetryInfo, not in a header.
  const relayed = relayedUpstreamError(res.statusCode, text, mapped.headers['retry-after']);
  return new RelayedUpstreamError(mapped, { ...relayed, headers: { ...relayed.headers, ...relayedHeaders(res.headers) } });
}

/** A non-streamed call (messages without stream, count_tokens): the whole answer, relayed. */
export async function forwardNativeJson(req: UpstreamRequest, deployment: Deployment, lifetime: CallLifetime): Promise<NativeJson> {
  const clearTimer = lifetime.startTimer(deployment.timeoutMs);
  try {
    const res = await lifetime.attach(startUpstream(await authorizeUpstream(getProvider(deployment.provider), req, deployment))).response;
    if (res.statusCode >= 400) throw await errorAnswer(res, deployment);
    const text = await res.body.text();
    const usage = usageOfMessage(text);
    return { status: res.statusCode, headers: relayedHeaders(res.headers), text, ...(usage ? { usage } : {}) };
  } catch (err) {
    // A GatewayError (the relayed answer among them) passes through as it is.
    throw classifyUpstreamFailure(err, lifetime.reason, req.url, deployment.timeoutMs);
  } finally {
    clearTimer();
  }
}

/** A streamed call: resolves once the upstream's headers arrived, so earlier failures are plain HTTP errors. */
export async function forwardNativeStream(req: UpstreamRequest, deployment: Deployment, lifetime: CallLifetime): Promise<NativeStream> {
  const { res, toError } = await startRelayedStream(
    await authorizeUpstream(getProvider(deployment.provider), req, deployment),
    deployment,
    lifetime,
    (answer) => errorAnswer(answer, deployment),
  );
  const collector = new StreamUsageCollector();
  const body = res.body;
  const close = () => body.destroy();
  return {
    headers: relayedHeaders(res.headers),
    // Its first event is read before the client is answered: an `event: error` there is an HTTP error, retried and fallen back on.
    frames: await primedOrThrow(observedBytes(withIdleTimeout(body, deployment.timeoutMs), collector), toError, close),
    usage: () => collector.result(),
    toError,
    close,
  };
}

/**
 * The upstream's bytes unchanged, while a parser on the side picks the usage events out. Bytes are relayed a whole
 * event at a time (up to the last event boundary read so far), so the upstream's own `event: error` — whose message
 * may quote the key — is never relayed, not even its first part: it is thrown, and the gateway tells it masked, in
 * Anthropic's shape. The complete events read before it are relayed first, so the error fails the stream's first
 * read (an HTTP error: forwardNativeStream reads it before answering) only when it is the stream's first event.
 */
export async function* observedBytes(body: AsyncIterable<Uint8Array>, collector: StreamUsageCollector): AsyncGenerator<Uint8Array> {
  const decoder = new TextDecoder();
  let failure: GatewayError | undefined;
  const parser = createParser({
    onEvent: (event) => {
      if (event.event === 'error') failure ??= upstreamStreamError(event.data);
      else collector.observe(event.event, event.data);
    },
  });
  // Events end at an ASCII line break, so a cut there never splits a UTF-8 sequence.
  const relay = (complete: Uint8Array): Uint8Array => {
    const text = decoder.decode(complete);
    parser.feed(text);
    return failure ? complete.subarray(0, Buffer.byteLength(text.slice(0, errorEventStart(text)), 'utf8')) : complete;
  };
  let held: Uint8Array = new Uint8Array(0);
  for await (const bytes of body) {
    held = held.length === 0 ? bytes : Buffer.concat([held, bytes]);
    const end = lastEventEnd(held);
    if (end === 0) continue;
    const complete = held.subarray(0, end);
    held = held.subarray(end);
    const relayed = relay(complete);
    if (relayed.length > 0) yield relayed;
    if (failure) throw failure;
  }
  if (held.length > 0) {
    const relayed = relay(held);
    if (relayed.length > 0) yield relayed;
    if (failure) throw failure;
  }
}

const ERROR_EVENT_LINE = /(?:^|[\r\n])event: ?error(?=[\r\n]|$)/;

/** Where, in the text of complete events, the `event: error` event begins (after the blank line before it); 0 if unsure. */
function errorEventStart(text: string): number {
  const match = ERROR_EVENT_LINE.exec(text);
  if (!match) return 0;
  const line = match.index + (match[0].startsWith('event') ? 0 : 1);
  const before = text.slice(0, line);
  let start = 0;
  for (const blank of ['\n\n', '\r\n\r\n', '\r\r']) {
    const at = before.lastIndexOf(blank);
    if (at >= 0) start = Math.max(start, at + blank.length);
  }
  return start;
}

const LF = 0x0a;
const CR = 0x0d;

/** Where the last complete server-sent event ends in `bytes` (after its blank line); 0 when none has ended yet. */
function lastEventEnd(bytes: Uint8Array): number {
  for (let i = bytes.length - 1; i > 0; i--) {
    if (bytes[i] === LF && (bytes[i - 1] === LF || (bytes[i - 1] === CR && i >= 3 && bytes[i - 2] === LF && bytes[i - 3] === CR))) return i + 1;
    if (bytes[i] === CR && bytes[i - 1] === CR) return i + 1;
  }
  return 0;
}

function upstreamStreamError(data: string): GatewayError {
  try {
    return streamErrorToGatewayError((JSON.parse(data) as { error?: unknown }).error);
  } catch {
    return streamErrorToGatewayError(undefined);
  }
}
