/**
 * The translated path of the Responses API: a request for a deployment whose provider does not speak it runs as an
 * ordinary chat call (prepareCallFor → callForJson / the upstream chunk stream), with the conversation the gateway
 * resolved from its store, and the answer is translated back into a Response or its stream of events.
 */
import { GatewayError } from '../../core/errors.ts';
import { responsesRequestToChat } from '../../providers/openai/responses/request-to-chat.ts';
import { responseFromChat, type ResponseContext } from '../../providers/openai/responses/response-from-chat.ts';
import { type ResponseEvent, ResponseEventsFromChat, sseFrame } from '../../providers/openai/responses/stream-from-chat.ts';
import type { Deployment, Usage } from '../../providers/types.ts';
import { callForJson, prepareCallFor, type PreparedCall } from '../../proxy/call.ts';
import type { CallLifetime } from '../../proxy/call-lifetime.ts';
import { openChunkStream } from '../../proxy/chunk-stream.ts';
import type { ResponseConversation } from '../../responses/conversation.ts';
import { ResponseStreamState } from './responses-events.ts';

type Json = Record<string, unknown>;

/** A chat call made from a Responses request, with what translating its answer back needs. */
export interface ResponsesChatCall extends PreparedCall {
  kind: 'chat';
  answer: ResponseContext;
}

export function prepareResponsesChatCall(
  deployment: Deployment,
  modelGroup: string,
  requestId: string,
  body: Json,
  conversation: ResponseConversation,
  answer: ResponseContext,
): ResponsesChatCall {
  const chatBody = { ...responsesRequestToChat(body, conversation.history, conversation.referenced, conversation.inputItems), model: modelGroup };
  // The history names the tools an earlier turn's additional_tools offered, so calls of them come back named right.
  return { ...prepareCallFor(deployment, modelGroup, 'chat', chatBody, requestId), kind: 'chat', answer: { ...answer, history: conversation.history } };
}

export async function responseViaChat(call: ResponsesChatCall, lifetime: CallLifetime): Promise<Json> {
  const { body } = await callForJson(call, lifetime);
  return responseFromChat(body, call.answer);
}

export interface ResponseEventStream {
  frames: AsyncIterable<string>;
  state: ResponseStreamState;
  failure(error: Error): string;
  toError(err: unknown): Error;
  close(): void;
}

/** Resolves once the upstream stream is open; its frames are the Responses API's events, usage recorded on the call. */
export async function responseEventsViaChat(call: ResponsesChatCall, lifetime: CallLifetime): Promise<ResponseEventStream> {
  const stream = await openChunkStream(call, lifetime);
  const events = new ResponseEventsFromChat(call.answer);
  const state = new ResponseStreamState();
  async function* frames(): AsyncGenerator<string> {
    yield framed(events.start());
    for await (const chunk of stream.chunks) {
      if (chunk.usage && typeof chunk.usage === 'object') call.usage = chunk.usage as Usage;
      const out = events.push(chunk);
      if (out.length > 0) yield framed(out);
    }
    const closing = events.finish(call.usage);
    state.final = events.response();
    yield framed(closing);
  }
  const failure = (error: Error) => {
    const gateway = error instanceof GatewayError ? error : undefined;
    return framed(events.fail({ message: error.message, code: gateway?.code ?? null, param: gateway?.param ?? null, status: gateway?.status ?? 500 }));
  };
  return { frames: frames(), state, failure, toError: stream.toError, close: stream.close };
}

function framed(events: readonly ResponseEvent[]): string {
  return events.map(sseFrame).join('');
}
