/**
 * The translated path of the Responses API: a request for a deployment whose provider does not speak it runs as an
 * ordinary chat call (prepareCallFor → callForJson / the upstream chunk stream), with the conversation the gateway
 * resolved from its store, and the answer is translated back into a Response or its stream of events.
 */
import { GatewayError } from '../../core/errors.ts';
import { responsesRequestToChat } from '../../providers/openai/responses/request-to-chat.ts';
import { responseFromChat, type ResponseContext } from '../../providers/openai/responses/response-from-chat.ts';
import type { Deployment } from '../../providers/types.ts';
import { callForJson, prepareCallFor, type PreparedCall } from '../../proxy/call.ts';
import type { CallLifetime } from '../../proxy/call-lifetime.ts';
import type { ResponseConversation } from '../../responses/conversation.ts';
import type { ResponseStreamState } from './responses-events.ts';

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
  const chatBody = { ...responsesRequestToChat(body, conversation.history, conversation.referenced), model: modelGroup };
  return { ...prepareCallFor(deployment, modelGroup, 'chat', chatBody, requestId), kind: 'chat', answer };
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

export async function responseEventsViaChat(_call: ResponsesChatCall, _lifetime: CallLifetime): Promise<ResponseEventStream> {
  throw new GatewayError(400, 'Streamed responses from this model are not available yet; send the request without stream.', { param: 'stream' });
}
