/**
 * What an inbound API (OpenAI chat/completions/embeddings, Anthropic messages, count_tokens) gives the
 * pipeline: how it bills, how one attempt calls the deployment the router picked, and how its answers
 * are framed. Everything else — auth, model access, cache, routing, metering, logs, metrics — is the
 * pipeline's, the same for every surface. (Schemas and error rendering are the routes'.)
 */
import type { ServerResponse } from 'node:http';
import type { CachedAnswer } from '../cache/response-cache.ts';
import type { Deployment, Endpoint, UpstreamRequest, Usage } from '../providers/types.ts';
import type { CallLifetime } from '../proxy/call-lifetime.ts';
import type { WriteEventsResult } from '../proxy/event-writer.ts';
import type { RoutableCall } from '../router/route-call.ts';
import type { SpendEndpoint } from '../spend/spend-log.ts';

/** One attempt's call, as the surface prepared it for the deployment the router picked. */
export interface SurfaceCall extends RoutableCall {
  /** The upstream request as sent, once it was (the trace log's curl line). */
  upstreamRequest?: UpstreamRequest | undefined;
}

/** A whole answer, sent at once. */
export interface JsonAnswer {
  kind: 'json';
  status: number;
  /** Upstream headers relayed to the client (a native relay's request id and rate-limit state). */
  headers?: Record<string, string>;
  /** The bytes to send (an upstream's own text, sent without re-serialising) or an object. */
  body: string | Record<string, unknown>;
  usage?: Usage | undefined;
  /** The generated text, for a usage estimate when the provider reported none. */
  completionText?: () => string;
  /** The answer to keep in the response cache, for a surface that caches. */
  cacheable?: Record<string, unknown>;
}

/** A stream whose first byte arrived: errors from here on are the stream's, told in-band. */
export interface StreamAnswer<F> {
  kind: 'stream';
  headers?: Record<string, string>;
  frames: AsyncIterable<F>;
  /** The usage the stream reported so far (complete once it ended). */
  usage(): Usage | undefined;
  completionText?: () => string;
  /** Maps an error raised while streaming to what the client is told in-band. */
  toError(err: unknown): Error;
  close(): void;
}

export type Answer<F> = JsonAnswer | StreamAnswer<F>;

/** Writes frames with this surface's framing; `beforeEnd` runs after the last frame, before the response ends. */
export type StreamWriter<F> = (
  res: ServerResponse,
  frames: AsyncIterable<F>,
  toError: (err: unknown) => Error,
  beforeEnd: (result: WriteEventsResult) => void,
) => Promise<WriteEventsResult>;

/** A surface whose answers the response cache may keep (exact match, keyed per surface and model group). */
export interface SurfaceCache<F> {
  /** The cache's key space. */
  endpoint: Endpoint;
  /** A stored answer as this surface sends it: as stored, or replayed as a stream. */
  replay(hit: CachedAnswer): Answer<F>;
  /** Keeps a streamed miss's frames on their way; `answer` assembles them once the stream ended well. */
  collect(frames: AsyncIterable<F>): { frames: AsyncIterable<F>; answer(usage: Usage | undefined): Record<string, unknown> | undefined };
}

export interface Surface<C extends SurfaceCall, F> {
  /** The spend row's endpoint; undefined: not an inference call (no spend row, budget, queue or inference metrics). */
  readonly billedAs: SpendEndpoint | undefined;
  readonly stream: boolean;
  /** The request's own model name, if it named one. */
  readonly model: string | undefined;
  /**
   * The body whose prompt the token estimates (budget reservation, tpm, usage when the provider reports none)
   * count, when the request's own body is not all of it: a Responses call's previous_response_id brings in the
   * conversation so far. Absent: the request's body.
   */
  readonly promptBody?: (() => Record<string, unknown>) | undefined;
  /** Absent: the response cache is not used on this surface. */
  readonly cache?: SurfaceCache<F> | undefined;
  /** The call for the deployment the router picked (made per attempt, so a fallback may cross providers). */
  prepare(deployment: Deployment, modelGroup: string, requestId: string): C;
  /** One attempt: resolves with the answer, or with a stream once its first byte arrived; throws a GatewayError. */
  attempt(call: C, lifetime: CallLifetime): Promise<Answer<F>>;
  writeStream: StreamWriter<F>;
}
