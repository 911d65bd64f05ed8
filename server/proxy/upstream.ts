/**
 * The one HTTP client for every upstream: an undici Agent keeps one keep-alive pool per origin.
 * Failures become GatewayErrors a client understands: unreachable → 502, too slow → 504.
 */
import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import { GatewayError } from '../http/errors.ts';
import type { UpstreamRequest } from '../providers/types.ts';

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

/** Turns whatever an upstream call threw into a GatewayError, or ClientGoneError when the client left. */
export function classifyUpstreamFailure(err: unknown, signal: AbortSignal, url: string, timeoutMs: number): Error {
  if (err instanceof GatewayError) return err;
  if (signal.aborted && signal.reason === ABORT_CLIENT_GONE) return new ClientGoneError();
  if ((signal.aborted && signal.reason === ABORT_TIMEOUT) || err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) {
    return new GatewayError(504, `The upstream ${originOf(url)} did not answer within ${timeoutMs / 1000}s (request_timeout / timeout).`, {
      code: 'upstream_timeout',
    });
  }
  const e = err as { code?: string; cause?: { code?: string }; message?: string };
  const code = e.code ?? e.cause?.code ?? 'network_error';
  return new GatewayError(502, `Could not reach the upstream ${originOf(url)} (${code}: ${e.cause && 'message' in e.cause ? String((e.cause as Error).message) : e.message ?? 'unknown error'}).`, {
    code: 'upstream_unreachable',
  });
}

export async function sendUpstream(req: UpstreamRequest, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
  return request(req.url, { method: req.method, headers: req.headers, body: req.body, signal, dispatcher: upstreamAgent });
}
