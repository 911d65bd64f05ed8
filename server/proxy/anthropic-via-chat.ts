/**
 * The translated path of the inbound Messages API: an Anthropic request for a deployment whose provider
 * is not Anthropic runs through the ordinary chat pipeline (prepareCallFor → callForJson / the upstream
 * stream), and the answer is translated back into an Anthropic message or event stream.
 */
import type { AnswerContext } from '../providers/anthropic/inbound/response-from-openai.ts';
import { toAnthropicMessage } from '../providers/anthropic/inbound/response-from-openai.ts';
import { toOpenAIChatBody } from '../providers/anthropic/inbound/request-to-openai.ts';
import { AnthropicEventStream } from '../providers/anthropic/inbound/stream-from-openai.ts';
import type { Deployment, Usage } from '../providers/types.ts';
import { callForJson, prepareCallFor, type PreparedCall } from './call.ts';
import type { CallLifetime } from './call-lifetime.ts';
import { openChunkStream } from './chunk-stream.ts';

export interface ChatCall {
  call: PreparedCall;
  answer: AnswerContext;
}

/**
 * The deployment was already chosen (the route had to know its provider to decide on translating), so
 * the pipeline gets a router holding just that one, asked for by its group name.
 */
export function prepareChatCall(deployment: Deployment, body: Record<string, unknown>, requestId: string): ChatCall {
  const chatBody = { ...toOpenAIChatBody(body), model: deployment.modelName };
  const call = prepareCallFor(deployment, deployment.modelName, 'chat', chatBody, requestId);
  const stopSequences = Array.isArray(body.stop_sequences) ? body.stop_sequences.filter((s): s is string => typeof s === 'string') : [];
  return { call, answer: { model: String(body.model), requestId, stopSequences } };
}

export async function messageViaChat({ call, answer }: ChatCall, lifetime: CallLifetime): Promise<Record<string, unknown>> {
  const { body } = await callForJson(call, lifetime);
  return toAnthropicMessage(body, answer);
}

export interface EventStream {
  frames: AsyncIterable<string>;
  toError(err: unknown): Error;
  close(): void;
}

/** Resolves once the upstream stream is open; its frames are Anthropic's events, usage recorded on the call. */
export async function eventsViaChat({ call, answer }: ChatCall, lifetime: CallLifetime): Promise<EventStream> {
  const stream = await openChunkStream(call, lifetime);
  async function* frames(): AsyncGenerator<string> {
    const events = new AnthropicEventStream(answer);
    yield events.start();
    for await (const chunk of stream.chunks) {
      if (chunk.usage && typeof chunk.usage === 'object') call.usage = chunk.usage as Usage;
      const out = events.push(chunk);
      if (out) yield out;
    }
    yield events.end();
  }
  return { frames: frames(), toError: stream.toError, close: stream.close };
}
