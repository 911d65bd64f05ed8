/**
 * The OpenAI surfaces (/v1/chat/completions, /v1/completions, /v1/embeddings): the pipeline's own shape,
 * so an attempt is a plain call through the deployment's adapter. OpenAI-shaped upstream streams pass
 * through without re-serialising; answers may be cached (and replayed as a stream).
 */
import { AnswerCollector } from '../../cache/answer-collector.ts';
import { replayFrames, type StreamEndpoint } from '../../cache/replay.ts';
import type { Endpoint } from '../../providers/types.ts';
import { callForJson, openStream, prepareCallFor, requestedModel, type PreparedCall } from '../../proxy/call.ts';
import type { CallLifetime } from '../../proxy/call-lifetime.ts';
import { StreamTranscript, writeFrames } from '../../proxy/sse.ts';
import { estimateUsage } from '../../spend/tokenizer.ts';
import type { Answer, Surface, SurfaceCache } from '../surface.ts';

type Body = Record<string, unknown>;

/** The generated text of a JSON answer, for a usage estimate when the provider reported none. */
function answerText(body: Body): string {
  const choices = (body.choices as { message?: { content?: unknown }; text?: unknown }[] | undefined) ?? [];
  return choices.map((c) => (typeof c.message?.content === 'string' ? c.message.content : typeof c.text === 'string' ? c.text : '')).join('');
}

/**
 * OpenAI's embeddings answer always has `usage` (its schema requires it); some providers report no token counts
 * (Gemini's batchEmbedContents, Hugging Face TEI). Such an answer gets the gateway's estimate, the same one the
 * spend row records (marked estimated there).
 */
function withEstimatedEmbeddingUsage(answer: JsonAnswerOf, body: Body): JsonAnswerOf {
  if (answer.body.usage !== undefined && answer.body.usage !== null) return answer;
  const { prompt_tokens, total_tokens } = estimateUsage('embeddings', body, '');
  return { body: { ...answer.body, usage: { prompt_tokens, total_tokens } } };
}

type JsonAnswerOf = Awaited<ReturnType<typeof callForJson>>;

async function jsonAttempt(call: PreparedCall, lifetime: CallLifetime, endpoint: Endpoint, body: Body): Promise<Answer<string>> {
  const called = await callForJson(call, lifetime);
  const answer = endpoint === 'embeddings' ? withEstimatedEmbeddingUsage(called, body) : called;
  return {
    kind: 'json',
    status: 200,
    body: answer.text ?? answer.body,
    usage: call.usage,
    completionText: () => answerText(answer.body),
    cacheable: answer.body,
  };
}

async function streamAttempt(call: PreparedCall, lifetime: CallLifetime): Promise<Answer<string>> {
  const transcript = new StreamTranscript();
  const stream = await openStream(call, lifetime, { includeUsage: call.includeUsage, onUsage: (usage) => (call.usage = usage), transcript });
  return {
    kind: 'stream',
    frames: stream.frames,
    usage: () => call.usage,
    completionText: () => transcript.text(),
    toError: stream.toError,
    close: stream.close,
  };
}

const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));

function openaiCache(endpoint: Endpoint, body: Body, stream: boolean): SurfaceCache<string> {
  return {
    endpoint,
    replay: (hit) => {
      if (!stream) return { kind: 'json', status: 200, body: hit.body };
      const includeUsage = (body.stream_options as { include_usage?: unknown } | null | undefined)?.include_usage === true;
      const frames = replayFrames(endpoint as StreamEndpoint, hit.body, includeUsage);
      return { kind: 'stream', frames, usage: () => undefined, toError: asError, close: () => undefined };
    },
    collect: (frames) => {
      const collector = new AnswerCollector();
      // The relay withholds the usage chunk from clients that did not ask for it: the call's usage fills in.
      return { frames: collector.tap(frames), answer: (usage) => collector.answer(endpoint as StreamEndpoint, usage) };
    },
  };
}

export function openaiSurface(endpoint: Endpoint, body: Body): Surface<PreparedCall, string> {
  const stream = body.stream === true && endpoint !== 'embeddings';
  return {
    billedAs: endpoint,
    stream,
    model: requestedModel(body),
    cache: openaiCache(endpoint, body, stream),
    prepare: (deployment, modelGroup, requestId) => prepareCallFor(deployment, modelGroup, endpoint, body, requestId),
    attempt: stream ? streamAttempt : (call, lifetime) => jsonAttempt(call, lifetime, endpoint, body),
    writeStream: writeFrames,
  };
}
