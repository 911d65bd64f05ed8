/**
 * Bedrock Runtime ConverseStream (POST /model/{modelId}/converse-stream), as AWS event-stream messages
 * (application/vnd.amazon.eventstream) encoded with @smithy/core/event-streams: messageStart,
 * contentBlockDelta (one per word), contentBlockStop, messageStop, metadata (usage). Each is an `event`
 * message with `:event-type`, `:content-type: application/json` and the event's JSON as payload; a failure
 * mid-stream is an `exception` message with `:exception-type` (throttlingException, …) and `{"message"}`.
 */
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { JsonObject } from './text.ts';
import { countTokens, echoAnswer, lastUserText, promptTokens, splitIntoPieces } from './text.ts';

export const AWS_EVENTSTREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function message(messageType: 'event' | 'exception', type: string, payload: JsonObject): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: messageType },
      [messageType === 'event' ? ':event-type' : ':exception-type']: { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

export function awsException(exceptionType: string, text: string): Uint8Array {
  return message('exception', exceptionType, { message: text });
}

/** The messages of a streamed Converse answer; `contentStart` is the index of the first contentBlockDelta. */
export function converseStreamMessages(body: JsonObject): { messages: Uint8Array[]; contentStart: number } {
  const answer = echoAnswer(lastUserText(body.messages));
  const inputTokens = promptTokens(body.messages, Array.isArray(body.system) ? body.system : undefined);
  const outputTokens = countTokens(answer);
  return {
    messages: [
      message('event', 'messageStart', { role: 'assistant' }),
      ...splitIntoPieces(answer).map((text) => message('event', 'contentBlockDelta', { contentBlockIndex: 0, delta: { text } })),
      message('event', 'contentBlockStop', { contentBlockIndex: 0 }),
      message('event', 'messageStop', { stopReason: 'end_turn' }),
      message('event', 'metadata', {
        usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
        metrics: { latencyMs: 42 },
      }),
    ],
    contentStart: 1,
  };
}
