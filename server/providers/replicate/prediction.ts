/**
 * One Replicate prediction from creation to its end, which takes several HTTP requests — so Replicate answers
 * through the descriptor's `local` hook rather than one upstream request: create it (`Prefer: wait`, which
 * holds the answer up to 60 s), then poll `urls.get` with backoff until `succeeded` / `failed` / `canceled`; for a
 * stream, read the prediction's `urls.stream` server-sent events (`output`, `done`, `error`) and then fetch the
 * finished prediction for its token metrics (https://replicate.com/docs/topics/predictions/streaming).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { request } from 'undici';
import { GatewayError } from '../../core/errors.ts';
import { authHeaders } from '../auth.ts';
import type { CallContext, Deployment, LocalResult, OpenAIChunk } from '../types.ts';
import { asCompletion } from './completions.ts';
import { chatContext } from '../completions-via-chat.ts';
import { mapReplicateError, predictionFailure } from './errors.ts';
import { PROVIDER_LABEL, predictionBody, predictionTarget } from './input.ts';
import { TERMINAL, type Prediction, chatCompletionOf, chunkMaker, finishReasonOf, usageOf } from './output.ts';

export const REPLICATE_AUTH = { kind: 'bearer' } as const;

/** litellm_params: seconds before the first poll (default 0.5); each later wait is 1.5× longer, at most 5 s. */
export const POLL_INTERVAL_SETTING = 'replicate_poll_interval';
const MAX_POLL_WAIT_MS = 5000;

export function replicateHeaders(d: Deployment): Record<string, string> {
  return { 'content-type': 'application/json', ...authHeaders(REPLICATE_AUTH, d), ...d.headers };
}

async function send(method: 'GET' | 'POST', url: string, headers: Record<string, string>, signal: AbortSignal, body?: string) {
  const res = await request(url, { method, headers, signal, ...(body === undefined ? {} : { body }) });
  return res;
}

async function json(method: 'GET' | 'POST', url: string, headers: Record<string, string>, signal: AbortSignal, body?: string): Promise<Prediction> {
  const res = await send(method, url, headers, signal, body);
  const text = await res.body.text();
  if (res.statusCode >= 400) throw mapReplicateError(res.statusCode, text, res.headers);
  try {
    return JSON.parse(text) as Prediction;
  } catch {
    throw new GatewayError(502, `${PROVIDER_LABEL} answered with something that is not JSON: ${text.slice(0, 200)}`, { code: 'upstream_invalid_response' });
  }
}

export async function createPrediction(ctx: CallContext, signal: AbortSignal): Promise<Prediction> {
  const headers = replicateHeaders(ctx.deployment);
  if (!ctx.stream) headers.prefer = 'wait';
  return json('POST', predictionTarget(ctx.deployment).url, headers, signal, JSON.stringify(predictionBody(ctx)));
}

function firstWaitMs(d: Deployment): number {
  const seconds = d.params[POLL_INTERVAL_SETTING];
  return typeof seconds === 'number' && seconds >= 0 ? seconds * 1000 : 500;
}

function getUrl(prediction: Prediction, d: Deployment): string {
  if (prediction.urls?.get) return prediction.urls.get;
  if (prediction.id) return `${d.apiBase}/predictions/${prediction.id}`;
  throw new GatewayError(502, `${PROVIDER_LABEL} created a prediction without an id.`, { code: 'upstream_invalid_response' });
}

/** Polls until the prediction ends; returns it when it succeeded, throws its failure otherwise. */
export async function settle(prediction: Prediction, d: Deployment, signal: AbortSignal): Promise<Prediction> {
  let current = prediction;
  let waitMs = firstWaitMs(d);
  const headers = replicateHeaders(d);
  delete headers['content-type'];
  while (!TERMINAL.has(current.status ?? '')) {
    await sleep(waitMs, undefined, { signal });
    waitMs = Math.min(MAX_POLL_WAIT_MS, Math.max(waitMs * 1.5, 1));
    current = await json('GET', getUrl(current, d), headers, signal);
  }
  if (current.status !== 'succeeded') throw predictionFailure(current.error, current.status);
  return current;
}

async function* streamEvents(url: string, d: Deployment, signal: AbortSignal): AsyncGenerator<EventSourceMessage> {
  const headers: Record<string, string> = { ...replicateHeaders(d), accept: 'text/event-stream', 'cache-control': 'no-store' };
  delete headers['content-type'];
  const res = await send('GET', url, headers, signal);
  if (res.statusCode >= 400) throw mapReplicateError(res.statusCode, await res.body.text(), res.headers);
  const pending: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event) });
  const decoder = new TextDecoder();
  for await (const bytes of res.body) {
    parser.feed(decoder.decode(bytes as Uint8Array, { stream: true }));
    while (pending.length > 0) yield pending.shift() as EventSourceMessage;
  }
}

type StreamStep = { text: string } | 'done';

/** One stream event as what it means; throws the prediction's failure on an `error` event. */
function stepOf(event: EventSourceMessage): StreamStep | undefined {
  if (event.event === 'output') return { text: event.data };
  if (event.event === 'done') return 'done';
  if (event.event !== 'error') return undefined;
  let detail: unknown = event.data;
  try {
    detail = (JSON.parse(event.data) as { detail?: unknown }).detail ?? event.data;
  } catch {
    // The error text as sent.
  }
  throw predictionFailure(detail);
}

async function* stepsOf(first: StreamStep | undefined, rest: AsyncGenerator<EventSourceMessage> | undefined): AsyncGenerator<StreamStep> {
  if (first) yield first;
  if (!rest) return;
  for await (const event of rest) {
    const step = stepOf(event);
    if (step) yield step;
  }
}

async function* streamChunks(
  created: Prediction,
  ctx: CallContext,
  signal: AbortSignal,
  steps: AsyncGenerator<StreamStep>,
  onEnd: () => void,
): AsyncGenerator<OpenAIChunk> {
  try {
    yield* streamedAnswer(created, ctx, signal, steps);
  } finally {
    onEnd();
  }
}

async function* streamedAnswer(created: Prediction, ctx: CallContext, signal: AbortSignal, steps: AsyncGenerator<StreamStep>): AsyncGenerator<OpenAIChunk> {
  const d = ctx.deployment;
  const chunk = chunkMaker(created.id ?? ctx.requestId, ctx);
  yield chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
  let done = false;
  for await (const step of steps) {
    if (step === 'done') {
      done = true;
      break;
    }
    if (step.text !== '') yield chunk([{ index: 0, delta: { content: step.text }, logprobs: null, finish_reason: null }]);
  }
  if (!done) throw new GatewayError(502, `${PROVIDER_LABEL}: the stream ended early (no done event).`, { type: 'upstream_error' });
  // The stream carries only text: the finished prediction has the token counts.
  const pollHeaders = replicateHeaders(d);
  delete pollHeaders['content-type'];
  const finished = await settle(await json('GET', getUrl(created, d), pollHeaders, signal), d, signal);
  yield chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReasonOf(finished, ctx) }]);
  const usage = usageOf(finished);
  if (usage) yield chunk([], { usage });
}

/**
 * Opens the prediction's stream and reads its first event before answering, so a prediction that fails at once
 * (context overflow, safety) is an HTTP error the router's fallbacks see rather than a broken stream.
 */
async function openStream(created: Prediction, ctx: CallContext, signal: AbortSignal, onEnd: () => void): Promise<LocalResult> {
  const url = created.urls?.stream;
  if (!url) throw new GatewayError(502, `${PROVIDER_LABEL}: this model cannot stream (the prediction has no stream URL).`, { code: 'stream_unsupported' });
  const events = streamEvents(url, ctx.deployment, signal);
  let first: IteratorResult<EventSourceMessage>;
  let step: StreamStep | undefined;
  do {
    first = await events.next();
    step = first.done ? undefined : stepOf(first.value);
  } while (!first.done && step === undefined);
  return { kind: 'stream', chunks: streamChunks(created, ctx, signal, stepsOf(step, first.done ? undefined : events), onEnd) };
}

/** A prediction left running when the client goes away would still be billed: cancel it (best effort). */
function cancelOnAbort(created: Prediction, d: Deployment, signal: AbortSignal): () => void {
  const url = created.urls?.cancel ?? (created.id ? `${d.apiBase}/predictions/${created.id}/cancel` : undefined);
  if (!url || TERMINAL.has(created.status ?? '')) return () => undefined;
  const cancel = () => {
    send('POST', url, replicateHeaders(d), AbortSignal.timeout(10_000))
      .then((res) => res.body.dump())
      .catch(() => undefined);
  };
  signal.addEventListener('abort', cancel, { once: true });
  return () => signal.removeEventListener('abort', cancel);
}

export async function runPrediction(ctx: CallContext, signal: AbortSignal): Promise<LocalResult> {
  if (ctx.endpoint === 'embeddings') throw new GatewayError(400, `${PROVIDER_LABEL} serves chat (and completions through it), not embeddings.`);
  if (ctx.endpoint === 'completions') return asCompletion(await runChatPrediction(chatContext(ctx), signal));
  return runChatPrediction(ctx, signal);
}

async function runChatPrediction(ctx: CallContext, signal: AbortSignal): Promise<LocalResult> {
  const created = await createPrediction(ctx, signal);
  if (ctx.stream) {
    const stopCancelling = cancelOnAbort(created, ctx.deployment, signal);
    try {
      return await openStream(created, ctx, signal, stopCancelling);
    } catch (err) {
      stopCancelling();
      throw err;
    }
  }
  const stopCancelling = cancelOnAbort(created, ctx.deployment, signal);
  try {
    const finished = await settle(created, ctx.deployment, signal);
    return { kind: 'json', body: chatCompletionOf(finished, ctx) };
  } finally {
    stopCancelling();
  }
}
