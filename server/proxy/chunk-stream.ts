/**
 * The upstream stream of a prepared chat call as OpenAI chunk objects rather than pre-framed SSE text:
 * for routes that re-shape every chunk (the Anthropic Messages API over a non-Anthropic deployment).
 * Same rules as openStream: errors before the first chunk (the upstream's first event included) are thrown as
 * GatewayErrors, later ones surface from the iterator and are mapped by `toError`.
 */
import { GatewayError } from '../core/errors.ts';
import type { OpenAIChunk, StreamFrame, StreamFraming, StreamTranslator } from '../providers/types.ts';
import { startStream, type PreparedCall } from './call.ts';
import type { CallLifetime } from './call-lifetime.ts';
import { frameBatches } from './framing/index.ts';
import { sseFrameBatches } from './framing/sse.ts';
import { primedOrThrow } from './primed-stream.ts';

export interface ChunkStream {
  chunks: AsyncIterable<OpenAIChunk>;
  toError(err: unknown): Error;
  close(): void;
}

export async function openChunkStream(call: PreparedCall, lifetime: CallLifetime): Promise<ChunkStream> {
  const { source, toError, close } = await startStream(call, lifetime);
  const chunks =
    source.kind === 'chunks' ? source.chunks : source.translator ? translatedChunks(source.body, source.translator, source.framing) : parsedChunks(source.body);
  // The first chunk is read before the client is answered: a failure in the upstream's first event is an HTTP error.
  return { chunks: await primedOrThrow(chunks, toError, close), toError, close };
}

/** An OpenAI-shaped upstream: each event's JSON, `[DONE]` left out. */
async function* parsedChunks(body: AsyncIterable<Uint8Array>): AsyncGenerator<OpenAIChunk> {
  for await (const events of sseFrameBatches(body)) {
    for (const { data } of events) {
      if (data === '[DONE]' || data.trim() === '') continue;
      let chunk: unknown;
      try {
        chunk = JSON.parse(data);
      } catch {
        throw new GatewayError(502, `The upstream sent a stream event that is not JSON: ${data.slice(0, 200)}`, { code: 'upstream_invalid_response' });
      }
      if (typeof chunk !== 'object' || chunk === null || Array.isArray(chunk)) continue;
      // Some servers report a failure mid-stream as `data: {"error":{…}}` instead of a chunk.
      const failure = (chunk as { error?: { message?: unknown } }).error;
      if (failure && !('choices' in chunk)) {
        throw new GatewayError(502, `The upstream failed mid-stream: ${String(failure.message ?? JSON.stringify(failure))}`, { code: 'upstream_stream_error' });
      }
      yield chunk as OpenAIChunk;
    }
  }
}

/** A non-OpenAI upstream, read with its provider's framing: its adapter's translator turns each frame into chunks. */
async function* translatedChunks(
  body: AsyncIterable<Uint8Array>,
  translator: StreamTranslator<StreamFrame>,
  framing: StreamFraming,
): AsyncGenerator<OpenAIChunk> {
  for await (const frames of frameBatches(framing, body)) {
    for (const frame of frames) yield* translator.push(frame);
  }
  yield* translator.end();
}
