/**
 * InvokeEndpointWithResponseStream → OpenAI chunks. Each `PayloadPart` event carries raw bytes of the container's
 * own stream, cut anywhere (inside a character, inside an event); for TGI that is its generate_stream server-sent
 * events, parsed here with eventsource-parser and translated like TGI's own stream.
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_ResponseStream.html
 */
import { createParser } from 'eventsource-parser';
import { createGenerateStreamTranslator } from '../huggingface/generate-response.ts';
import type { AwsEventStreamFrame, CallContext, OpenAIChunk, SseFrame, StreamTranslator } from '../types.ts';

export function createInvocationStreamTranslator(ctx: CallContext): StreamTranslator<AwsEventStreamFrame> {
  const tgi = createGenerateStreamTranslator(ctx);
  const decoder = new TextDecoder();
  let events: SseFrame[] = [];
  const parser = createParser({
    onEvent: (event) => {
      events.push({ event: event.event, data: event.data, id: event.id });
    },
  });
  const drain = (): OpenAIChunk[] => {
    const ready = events;
    events = [];
    return ready.flatMap((event) => tgi.push(event));
  };
  return {
    push({ headers, payload }) {
      if (headers[':event-type'] !== 'PayloadPart') return [];
      parser.feed(decoder.decode(payload, { stream: true }));
      return drain();
    },
    end() {
      parser.feed(decoder.decode());
      parser.reset({ consume: true });
      return [...drain(), ...tgi.end()];
    },
  };
}
