/**
 * Executes the native Anthropic path of the inbound Messages API: the request goes to an Anthropic
 * deployment as built by providers/anthropic/inbound/native.ts, and the answer — JSON or SSE bytes — is
 * relayed as the upstream sent it, with the upstream's status. Usage is read on the side.
 *
 * An error answer is thrown as a RelayedUpstreamError: mapped like any upstream error, so the router
 * retries, falls back and cools down exactly as it would for a chat call, yet still carrying Anthropic's
 * own status and body for the client when it is the final answer.
 */
import { createParser } from 'eventsource-parser';
import { GatewayError } from '../core/errors.ts';
import { streamErrorToGatewayError } from '../providers/anthropic/errors.ts';
import { relayedUpstreamError, type RenderedError } from '../providers/anthropic/inbound/errors.ts';
import { StreamUsageCollector, usageOfMessage } from '../providers/anthropic/inbound/native.ts';
import { mapUpstreamError } from '../providers/openai/errors.ts';
import { getProvider } from '../providers/registry.ts';
import type { Deployment, UpstreamRequest, Usage } from '../providers/types.ts';
import type { CallLifetime } from './call-lifetime.ts';
import { withIdleTimeout } from './idle-timeout.ts';
import { classifyUpstreamFailure, requireEventStream, startUpstream, type UpstreamResponse } from './upstream.ts';

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
  const relayed = relayedUpstreamError(res.statusCode, text, undefined);
  return new RelayedUpstreamError(mapped, { ...relayed, headers: { ...relayed.headers, ...relayedHeaders(res.headers) } });
}

/** A non-streamed call (messages without stream, count_tokens): the whole answer, relayed. */
export async function forwardNativeJson(req: UpstreamRequest, deployment: Deployment, lifetime: CallLifetime): Promise<NativeJson> {
  const clearTimer = lifetime.startTimer(deployment.timeoutMs);
  try {
    const res = await lifetime.attach(startUpstream(req)).response;
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
  const toError = (err: unknown) => classifyUpstreamFailure(err, lifetime.reason, req.url, deployment.timeoutMs);
  const clearFirstByteTimer = lifetime.startTimer(deployment.streamTimeoutMs);
  let res: UpstreamResponse;
  try {
    res = await lifetime.attach(startUpstream(req)).response;
    if (res.statusCode >= 400) throw await errorAnswer(res, deployment);
  } catch (err) {
    throw toError(err);
  } finally {
    clearFirstByteTimer();
  }
  await requireEventStream(res);
  const collector = new StreamUsageCollector();
  const body = res.body;
  return {
    headers: relayedHeaders(res.headers),
    frames: observedBytes(withIdleTimeout(body, deployment.timeoutMs), collector),
    usage: () => collector.result(),
    toError,
    close: () => body.destroy(),
  };
}

/**
 * The upstream's bytes unchanged, while a parser on the side picks the usage events out. The upstream's own
 * `event: error` is not relayed as it came (its message may quote the key): it is thrown, so the gateway tells
 * it in-band, masked, in Anthropic's shape (the piece of the stream it arrived with is not relayed either).
 */
async function* observedBytes(body: AsyncIterable<Uint8Array>, collector: StreamUsageCollector): AsyncGenerator<Uint8Array> {
  const decoder = new TextDecoder();
  let failure: GatewayError | undefined;
  const parser = createParser({
    onEvent: (event) => {
      if (event.event === 'error') failure ??= upstreamStreamError(event.data);
      else collector.observe(event.event, event.data);
    },
  });
  for await (const bytes of body) {
    parser.feed(decoder.decode(bytes, { stream: true }));
    if (failure) throw failure;
    yield bytes;
  }
}

function upstreamStreamError(data: string): GatewayError {
  try {
    return streamErrorToGatewayError((JSON.parse(data) as { error?: unknown }).error);
  } catch {
    return streamErrorToGatewayError(undefined);
  }
}
