/**
 * Ollama's native chat API (POST /api/chat), streamed as newline-delimited JSON (application/x-ndjson): one
 * line per word of the answer (`message.content`, `done: false`), then a `done: true` line with an empty
 * message, `done_reason` and the counts (`prompt_eval_count`, `eval_count`, durations in nanoseconds), as
 * Ollama's API reference shows it.
 */
import type { JsonObject } from './text.ts';
import { countTokens, echoAnswer, lastUserText, promptTokens, splitIntoPieces } from './text.ts';

export const OLLAMA_NDJSON_CONTENT_TYPE = 'application/x-ndjson';

/** The lines of a streamed /api/chat answer, each ending with a newline. */
export function ollamaChatLines(body: JsonObject, model: string): string[] {
  const answer = echoAnswer(lastUserText(body.messages));
  const createdAt = new Date().toISOString();
  const line = (value: JsonObject) => `${JSON.stringify(value)}\n`;
  return [
    ...splitIntoPieces(answer).map((content) => line({ model, created_at: createdAt, message: { role: 'assistant', content }, done: false })),
    line({
      model,
      created_at: createdAt,
      message: { role: 'assistant', content: '' },
      done_reason: 'stop',
      done: true,
      total_duration: 4_353_619_900,
      load_duration: 63_915_300,
      prompt_eval_count: promptTokens(body.messages),
      prompt_eval_duration: 246_847_000,
      eval_count: countTokens(answer),
      eval_duration: 4_032_296_000,
    }),
  ];
}
