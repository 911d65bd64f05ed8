/**
 * The start of a stream relayed from an upstream that speaks the client's own API (Anthropic Messages,
 * OpenAI Responses): it resolves once the headers arrived and the answer is an event stream, so every
 * failure before that is a plain HTTP error the router retries and falls back on.
 */
import type { Deployment, UpstreamRequest } from '../providers/types.ts';
import type { CallLifetime } from './call-lifetime.ts';
import { classifyUpstreamFailure, requireEventStream, startUpstream, type UpstreamResponse } from './upstream.ts';

export interface RelayedStreamStart {
  res: UpstreamResponse;
  /** Classifies a failure later in the stream the same way. */
  toError(err: unknown): Error;
}

/** Starts the call; an error status is thrown as `errorOf(res)`, and every failure is classified. */
export async function startRelayedStream(
  req: UpstreamRequest,
  deployment: Deployment,
  lifetime: CallLifetime,
  errorOf: (res: UpstreamResponse) => Promise<Error>,
): Promise<RelayedStreamStart> {
  const toError = (err: unknown) => classifyUpstreamFailure(err, lifetime.reason, req.url, deployment.timeoutMs);
  const clearFirstByteTimer = lifetime.startTimer(deployment.streamTimeoutMs);
  let res: UpstreamResponse;
  try {
    res = await lifetime.attach(startUpstream(req)).response;
    if (res.statusCode >= 400) throw await errorOf(res);
  } catch (err) {
    throw toError(err);
  } finally {
    clearFirstByteTimer();
  }
  await requireEventStream(res);
  return { res, toError };
}
