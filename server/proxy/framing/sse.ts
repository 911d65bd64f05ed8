/**
 * Server-sent events (OpenAI, Anthropic, Gemini `alt=sse`): upstream bytes → parsed events, one batch per
 * network read so writes to the client stay batched too. eventsource-parser does the parsing.
 */
import { createParser } from 'eventsource-parser';
import type { SseFrame } from '../../providers/types.ts';

export const SSE_CONTENT_TYPES: readonly string[] = ['text/event-stream'];

export async function* sseFrameBatches(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseFrame[]> {
  const decoder = new TextDecoder();
  let batch: SseFrame[] = [];
  const parser = createParser({ onEvent: (event) => batch.push(event) });
  for await (const bytes of body) {
    parser.feed(decoder.decode(bytes, { stream: true }));
    if (batch.length) {
      yield batch;
      batch = [];
    }
  }
  // End of stream ends the last event too, even when the upstream left out its blank line
  // (reset({ consume: true }) would parse that line but never dispatch the event).
  parser.feed(`${decoder.decode()}\n\n`);
  if (batch.length) yield batch;
}
