/**
 * Executes the native Anthropic path of the inbound Messages API: the request goes to an Anthropic
 * deployment as built by providers/anthropic/inbound/native.ts, and the answer — JSON, SSE bytes or an
 * error — is relayed as the upstream sent it, with the upstream's status. Usage is read on the side.
 */
import { createParser } from 'eventsource-parser';
import { relayedUpstreamError, type RenderedError } from '../providers/anthropic/inbound/errors.ts';
import { StreamUsageCollector, usageOfMessage } from '../providers/anthropic/inbound/native.ts';
import type { Deployment, UpstreamRequest, Usage } from '../providers/types.ts';
import type { CallLifetime } from './call-lifetime.ts';
import { withIdleTimeout } from './idle-timeout.ts';
import { classifyUpstreamFailure, requireEventStream, startUpstream, type UpstreamResponse } from './upstream.ts';

/** A whole answer relayed at once: the upstream's JSON, or its error (both with the upstream's status). */
export type NativeReply = { kind: 'json'; status: number; headers: Record<string, string>; text: string; usage?: Usage } | { kind: 'error'; error: RenderedError };

export interface NativeStream {
  kind: 'stream';
  headers: Record<string, string>;
  frames: AsyncIterable<Uint8Array>;
  usage(): Usage | undefined;
  toError(err: unknown): Error;
  close(): void;
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

async function errorAnswer(res: UpstreamResponse): Promise<NativeReply> {
  const text = await res.body.text().catch(() => '');
  const error = relayedUpstreamError(res.statusCode, text, undefined);
  return { kind: 'error', error: { ...error, headers: { ...error.headers, ...relayedHeaders(res.headers) } } };
}

/** A non-streamed call (messages without stream, count_tokens): the whole answer, relayed. */
export async function forwardNativeJson(req: UpstreamRequest, deployment: Deployment, lifetime: CallLifetime): Promise<NativeReply> {
  const clearTimer = lifetime.startTimer(deployment.timeoutMs);
  try {
    const res = await lifetime.attach(startUpstream(req)).response;
    if (res.statusCode >= 400) return await errorAnswer(res);
    const text = await res.body.text();
    const usage = usageOfMessage(text);
    return { kind: 'json', status: res.statusCode, headers: relayedHeaders(res.headers), text, ...(usage ? { usage } : {}) };
  } catch (err) {
    throw classifyUpstreamFailure(err, lifetime.reason, req.url, deployment.timeoutMs);
  } finally {
    clearTimer();
  }
}

/** A streamed call: resolves once the upstream's headers arrived, so earlier failures are plain HTTP errors. */
export async function forwardNativeStream(req: UpstreamRequest, deployment: Deployment, lifetime: CallLifetime): Promise<NativeReply | NativeStream> {
  const toError = (err: unknown) => classifyUpstreamFailure(err, lifetime.reason, req.url, deployment.timeoutMs);
  const clearFirstByteTimer = lifetime.startTimer(deployment.streamTimeoutMs);
  let res: UpstreamResponse;
  try {
    res = await lifetime.attach(startUpstream(req)).response;
    if (res.statusCode >= 400) return await errorAnswer(res);
  } catch (err) {
    throw toError(err);
  } finally {
    clearFirstByteTimer();
  }
  await requireEventStream(res);
  const collector = new StreamUsageCollector();
  const body = res.body;
  return {
    kind: 'stream',
    headers: relayedHeaders(res.headers),
    frames: observedBytes(withIdleTimeout(body, deployment.timeoutMs), collector),
    usage: () => collector.result(),
    toError,
    close: () => body.destroy(),
  };
}

/** The upstream's bytes unchanged, while a parser on the side picks the usage events out. */
async function* observedBytes(body: AsyncIterable<Uint8Array>, collector: StreamUsageCollector): AsyncGenerator<Uint8Array> {
  const decoder = new TextDecoder();
  const parser = createParser({ onEvent: (event) => collector.observe(event.event, event.data) });
  for await (const bytes of body) {
    parser.feed(decoder.decode(bytes, { stream: true }));
    yield bytes;
  }
}
