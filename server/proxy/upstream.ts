/**
 * The one HTTP client for every upstream: an undici Agent keeps one keep-alive pool per origin.
 * Failures become GatewayErrors a client understands: unreachable → 502, too slow → 504.
 */
import { Agent, errors as undiciErrors } from 'undici';
import { GatewayError } from '../core/errors.ts';
import type { StreamFraming, UpstreamRequest } from '../providers/types.ts';
import { STREAM_CONTENT_TYPES, acceptsContentType } from './framing/index.ts';
import { UpstreamExchange, type UpstreamResponse } from './upstream-exchange.ts';

export type { UpstreamResponse } from './upstream-exchange.ts';
export { UpstreamExchange } from './upstream-exchange.ts';

export const upstreamAgent = new Agent({
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 10 * 60_000,
  // Answers of LLMs take long; the gateway's own timers decide when to give up.
  headersTimeout: 0,
  bodyTimeout: 0,
});

/** Why the gateway aborted an upstream call. */
export const ABORT_TIMEOUT = 'gateway-timeout';
export const ABORT_CLIENT_GONE = 'client-gone';

export class ClientGoneError extends Error {
  constructor() {
    super('the client closed the connection');
    this.name = 'ClientGoneError';
  }
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * Turns whatever an upstream call threw into a GatewayError, or ClientGoneError when the client left.
 * `aborted` is why the gateway stopped the call (or the AbortSignal that did), if it did.
 */
export function classifyUpstreamFailure(err: unknown, aborted: AbortSignal | string | undefined, url: string, timeoutMs: number): Error {
  if (err instanceof GatewayError) return err;
  const reason = typeof aborted === 'object' ? (aborted.aborted ? String(aborted.reason) : undefined) : aborted;
  if (reason === ABORT_CLIENT_GONE) return new ClientGoneError();
  if (reason === ABORT_TIMEOUT || err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) {
    return new GatewayError(504, `The upstream ${originOf(url)} did not answer within ${timeoutMs / 1000}s (request_timeout / timeout).`, {
      code: 'upstream_timeout',
    });
  }
  const e = err as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  const code = e.code ?? e.cause?.code ?? 'network_error';
  return new GatewayError(502, `Could not reach the upstream ${originOf(url)} (${code}: ${e.cause?.message ?? e.message ?? 'unknown error'}).`, {
    code: 'upstream_unreachable',
  });
}

/** origin + path of each URL seen, so the hot path does not parse the same deployment URL every call. */
const targets = new Map<string, { origin: string; path: string }>();

function targetOf(url: string): { origin: string; path: string } {
  let target = targets.get(url);
  if (!target) {
    const parsed = new URL(url);
    target = { origin: parsed.origin, path: parsed.pathname + parsed.search };
    if (targets.size > 5000) targets.clear();
    targets.set(url, target);
  }
  return target;
}

/** Starts an upstream exchange; abort it with `exchange.abort(reason)`. */
export function startUpstream(req: UpstreamRequest): UpstreamExchange {
  const { origin, path } = targetOf(req.url);
  return new UpstreamExchange(upstreamAgent, { origin, path, method: req.method, headers: req.headers, body: req.body ?? null });
}

/**
 * A stream was asked for: a content type other than the framing's (text/event-stream unless the provider
 * frames its streams otherwise) is a broken upstream (502), not an answer.
 */
export async function requireEventStream(res: UpstreamResponse, framing: StreamFraming = 'sse'): Promise<void> {
  const contentType = String(res.headers['content-type'] ?? '');
  if (acceptsContentType(framing, contentType)) return;
  const text = await res.body.text().catch(() => '');
  const expected = STREAM_CONTENT_TYPES[framing].join(' or ');
  throw new GatewayError(502, `The upstream was asked to stream (${expected}) but answered ${contentType || 'without a content type'}: ${text.slice(0, 200)}`, {
    code: 'upstream_invalid_response',
  });
}
