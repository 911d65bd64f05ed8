/**
 * The native path of the Responses API: the request goes to a deployment that speaks it (OpenAI, Azure), and its
 * answer comes back with the gateway's own response id (the one GET /v1/responses/{id} knows), the client's `store`
 * and `previous_response_id` (the upstream was sent neither: it is asked to keep nothing). Streams are relayed
 * event by event: only the response.* lifecycle events, which carry the Response object, are parsed and rewritten;
 * deltas pass as the upstream framed them. An upstream `error` or `response.failed` event is thrown, so the gateway
 * tells the failure in-band itself, masked.
 */
import { GatewayError } from '../../core/errors.ts';
import { mapUpstreamError } from '../../providers/openai/errors.ts';
import { usageFromResponses } from '../../providers/openai/responses/usage.ts';
import { getProvider } from '../../providers/registry.ts';
import type { Deployment, UpstreamRequest, Usage } from '../../providers/types.ts';
import type { CallLifetime } from '../../proxy/call-lifetime.ts';
import { sseFrameBatches } from '../../proxy/framing/sse.ts';
import { withIdleTimeout } from '../../proxy/idle-timeout.ts';
import { primedOrThrow } from '../../proxy/primed-stream.ts';
import { startRelayedStream } from '../../proxy/relayed-stream.ts';
import { classifyUpstreamFailure, startUpstream, type UpstreamResponse } from '../../proxy/upstream.ts';
import type { ResponseStreamState } from './responses-events.ts';

type Json = Record<string, unknown>;

/** What the client is told about its response, whatever the upstream was sent. */
export interface ResponseIdentity {
  id: string;
  store: boolean;
  previousId: string | null;
}

export function withIdentity(response: Json, identity: ResponseIdentity): Json {
  return { ...response, id: identity.id, store: identity.store, previous_response_id: identity.previousId };
}

async function mappedError(res: UpstreamResponse, deployment: Deployment): Promise<GatewayError> {
  const text = await res.body.text().catch(() => '');
  const provider = getProvider(deployment.provider);
  return provider?.mapError ? provider.mapError(res.statusCode, text, res.headers) : mapUpstreamError(deployment.provider, res.statusCode, text, res.headers);
}

export interface NativeJsonAnswer {
  response: Json;
  usage: Usage | undefined;
}

export async function nativeResponseJson(
  req: UpstreamRequest,
  deployment: Deployment,
  lifetime: CallLifetime,
  identity: ResponseIdentity,
): Promise<NativeJsonAnswer> {
  const clearTimer = lifetime.startTimer(deployment.timeoutMs);
  try {
    const res = await lifetime.attach(startUpstream(req)).response;
    if (res.statusCode >= 400) throw await mappedError(res, deployment);
    const text = await res.body.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new GatewayError(502, `The upstream answered with something that is not JSON: ${text.slice(0, 200)}`, { code: 'upstream_invalid_response' });
    }
    if (typeof parsed !== 'object' || parsed === null || (parsed as Json).object !== 'response') {
      throw new GatewayError(502, `The upstream answered with something that is not a response: ${text.slice(0, 200)}`, { code: 'upstream_invalid_response' });
    }
    const response = withIdentity(parsed as Json, identity);
    return { response, usage: response.usage ? usageFromResponses(response.usage) : undefined };
  } catch (err) {
    throw classifyUpstreamFailure(err, lifetime.reason, req.url, deployment.timeoutMs);
  } finally {
    clearTimer();
  }
}

export interface NativeEventStream {
  frames: AsyncIterable<string>;
  usage(): Usage | undefined;
  toError(err: unknown): Error;
  close(): void;
}

/** Resolves once the upstream's first event was read, so earlier failures (that event's too) are plain HTTP errors (retried, fallen back). */
export async function nativeResponseEvents(
  req: UpstreamRequest,
  deployment: Deployment,
  lifetime: CallLifetime,
  identity: ResponseIdentity,
  state: ResponseStreamState,
): Promise<NativeEventStream> {
  const { res, toError } = await startRelayedStream(req, deployment, lifetime, (answer) => mappedError(answer, deployment));
  let usage: Usage | undefined;
  const body = res.body;
  async function* frames(): AsyncGenerator<string> {
    for await (const events of sseFrameBatches(withIdleTimeout(body, deployment.timeoutMs))) {
      let out = '';
      try {
        for (const { event, data } of events) {
          const frame = relayedEvent(event, data, identity, state);
          if (frame !== undefined) out += frame;
        }
      } catch (err) {
        // The events read before the failing one reach the client first: only a first-event failure fails the first read.
        if (out) yield out;
        throw err;
      }
      if (state.final?.usage && usage === undefined) usage = usageFromResponses(state.final.usage);
      if (out) yield out;
    }
    // Clients (Codex) treat a stream without its closing event as broken: say so rather than end quietly.
    if (!state.final) throw new GatewayError(502, 'The upstream stream ended before response.completed.', { code: 'upstream_stream_error' });
  }
  const close = () => body.destroy();
  // The first event is read before the client is answered: an upstream `error` there is an HTTP error.
  return { frames: await primedOrThrow(frames(), toError, close), usage: () => usage, toError, close };
}

/** Response lifecycle events: they carry the Response object, whose id and settings the gateway answers with. */
const LIFECYCLE = new Set(['response.created', 'response.queued', 'response.in_progress', 'response.completed', 'response.incomplete']);

/** One upstream event as the client gets it (undefined: left out); throws on the upstream's own failure events. */
function relayedEvent(name: string | undefined, data: string, identity: ResponseIdentity, state: ResponseStreamState): string | undefined {
  if (data === '[DONE]' || data.trim() === '') return undefined;
  // OpenAI names every event; an unnamed one is read for its type.
  const needsParse = name === undefined || LIFECYCLE.has(name) || name === 'error' || name === 'response.failed';
  if (!needsParse) {
    state.seen(sequenceOf(data));
    return `event: ${name}\ndata: ${data}\n\n`;
  }
  let event: Json;
  try {
    event = JSON.parse(data) as Json;
  } catch {
    throw new GatewayError(502, `The upstream sent a stream event that is not JSON: ${data.slice(0, 200)}`, { code: 'upstream_invalid_response' });
  }
  const type = typeof event.type === 'string' ? event.type : (name ?? '');
  if (type === 'error' || type === 'response.failed' || (event.error && !event.type)) throw upstreamFailure(event);
  if (typeof event.sequence_number === 'number') state.seen(event.sequence_number);
  if (LIFECYCLE.has(type) && typeof event.response === 'object' && event.response !== null) {
    const response = withIdentity(event.response as Json, identity);
    state.snapshot = response;
    if (type === 'response.completed' || type === 'response.incomplete') state.final = response;
    return `event: ${type}\ndata: ${JSON.stringify({ ...event, response })}\n\n`;
  }
  return `event: ${type}\ndata: ${data}\n\n`;
}

const SEQUENCE = /"sequence_number"\s*:\s*(\d+)/;

function sequenceOf(data: string): number | undefined {
  const match = SEQUENCE.exec(data);
  return match ? Number(match[1]) : undefined;
}

function upstreamFailure(event: Json): GatewayError {
  const nested = (event.response as { error?: { message?: unknown; code?: unknown } } | undefined)?.error ?? (event.error as { message?: unknown } | undefined);
  const message = typeof event.message === 'string' ? event.message : String(nested?.message ?? 'unknown error');
  return new GatewayError(502, `The upstream failed mid-stream: ${message}`, { code: 'upstream_stream_error' });
}
