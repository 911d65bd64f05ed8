/**
 * The translated path of the inbound Messages API: an Anthropic request for a deployment whose provider
 * is not Anthropic runs as an ordinary chat call (prepareCallFor → callForJson / the upstream stream),
 * and the answer is translated back into an Anthropic message or event stream.
 */
import type { AnswerContext } from '../providers/anthropic/inbound/response-from-openai.ts';
import { toAnthropicMessage } from '../providers/anthropic/inbound/response-from-openai.ts';
import { toOpenAIChatBody } from '../providers/anthropic/inbound/request-to-openai.ts';
import { AnthropicEventStream } from '../providers/anthropic/inbound/stream-from-openai.ts';
import type { Deployment, Usage } from '../providers/types.ts';
import { callForJson, prepareCallFor, type PreparedCall } from './call.ts';
import type { CallLifetime } from './call-lifetime.ts';
import { openChunkStream } from './chunk-stream.ts';

/** A chat call made from a Messages request, with what translating its answer back needs. */
export interface ChatCall extends PreparedCall {
  answer: AnswerContext;
}

/** The chat call for `deployment` (the router picked it for `modelGroup`). */
export function prepareChatCall(deployment: Deployment, modelGroup: string, body: Record<string, unknown>, requestId: string): ChatCall {
  const chatBody = { ...toOpenAIChatBody(body), model: modelGroup };
  const stopSequences = Array.isArray(body.stop_sequences) ? body.stop_sequences.filter((s): s is string => typeof s === 'string') : [];
  const answer = { model: String(body.model), requestId, stopSequences };
  return { ...prepareCallFor(deployment, modelGroup, 'chat', chatBody, requestId), answer };
}

export async function messageViaChat(call: ChatCall, lifetime: CallLifetime): Promise<Record<string, unknown>> {
  const { body } = await callForJson(call, lifetime);
  return toAnthropicMessage(body, call.answer);
}

export interface EventStream {
  frames: AsyncIterable<string>;
  toError(err: unknown): Error;
  close(): void;
}

/** Resolves once the upstream stream is open; its frames are Anthropic's events, usage recorded on the call. */
export async function eventsViaChat(call: ChatCall, lifetime: CallLifetime): Promise<EventStream> {
  const stream = await openChunkStream(call, lifetime);
  async function* frames(): AsyncGenerator<string> {
    const events = new AnthropicEventStream(call.answer);
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
