/**
 * The OpenAI Responses API surface (/v1/responses), for Codex, the AI SDK's default provider and the openai SDKs.
 * Per attempt, for the deployment the router picked: a deployment whose provider speaks the Responses API (OpenAI,
 * Azure) gets the request natively; any other gets it translated into a chat call whose answer is translated back.
 * So a fallback between the two kinds works like any other.
 *
 * State is the gateway's: it mints the response id (`resp_…`, the same across retries and fallbacks), resolves
 * `previous_response_id` and `item_reference`s from its own store (an upstream is sent the whole conversation and
 * `store: false`, since it never saw these ids), and stores the answer unless the request said `store: false` —
 * a stream once its response.completed was sent.
 *
 * Not cached: a cached answer would repeat another response's id and skip the store.
 */
import { badRequest } from '../../core/errors.ts';
import { newId } from '../../providers/openai/responses/wire.ts';
import { getProvider, servesNatively } from '../../providers/registry.ts';
import type { Deployment, UpstreamRequest } from '../../providers/types.ts';
import { requestedModel, withoutGatewayFields } from '../../proxy/call.ts';
import type { CallLifetime } from '../../proxy/call-lifetime.ts';
import { resolveConversation, statelessInput, type ResponseConversation } from '../../responses/conversation.ts';
import type { ResponseReader, ResponseStore } from '../../responses/response-store.ts';
import type { Answer, Surface, SurfaceCall } from '../surface.ts';
import { ResponseStreamState, failureFrames, responsesStreamWriter } from './responses-events.ts';
import { nativeResponseEvents, nativeResponseJson, type ResponseIdentity } from './responses-native.ts';
import { prepareResponsesChatCall, responseViaChat, responseEventsViaChat, type ResponsesChatCall } from './responses-via-chat.ts';

type Json = Record<string, unknown>;

/** Where the surface keeps and finds responses, on behalf of whom. */
export interface ResponsesSession {
  store: ResponseStore;
  /** Whose responses previous_response_id and item_reference may name. */
  reader: ResponseReader;
  /** The virtual key a stored response belongs to (null: the master key, or a gateway without keys). */
  keyId: string | null;
}

/** A call relayed natively to a deployment that speaks the Responses API. */
export interface NativeResponsesCall extends SurfaceCall {
  kind: 'native';
  upstreamRequest: UpstreamRequest;
}

export type ResponsesCall = NativeResponsesCall | ResponsesChatCall;

/** The generated text of a Response (message text, function arguments): for a usage estimate. */
export function responseText(response: Json | undefined): string {
  const output = Array.isArray(response?.output) ? (response.output as Json[]) : [];
  let text = '';
  for (const item of output) {
    if (item.type === 'function_call' && typeof item.arguments === 'string') text += item.arguments;
    for (const part of Array.isArray(item.content) ? (item.content as Json[]) : []) if (typeof part.text === 'string') text += part.text;
  }
  return text;
}

function hasItemReference(input: unknown): boolean {
  return Array.isArray(input) && input.some((item) => typeof item === 'object' && item !== null && (item as Json).type === 'item_reference');
}

export function openaiResponsesSurface(body: Json, session: ResponsesSession): Surface<ResponsesCall, string> {
  const stream = body.stream === true;
  const previousId = typeof body.previous_response_id === 'string' && body.previous_response_id !== '' ? body.previous_response_id : null;
  const identity: ResponseIdentity = { id: newId('resp'), store: body.store !== false, previousId };
  const createdAt = Math.floor(Date.now() / 1000);
  const model = requestedModel(body);
  // Read from the store once, on the first attempt, and only when something needs it.
  const needsStore = identity.store || previousId !== null || hasItemReference(body.input);
  let conversation: ResponseConversation | undefined;
  const conversationOf = () => (conversation ??= resolveConversation(session.store, session.reader, body));
  const save = (response: Json) => {
    if (!identity.store || response.status === 'failed') return;
    const { inputItems } = conversationOf();
    session.store.save({ id: identity.id, keyId: session.keyId, previousId, model: model ?? String(response.model ?? ''), inputItems, response });
  };
  const state = new ResponseStreamState();
  let failure = (error: Error) => failureFrames(error, state);

  const nativeCall = (deployment: Deployment, modelGroup: string): NativeResponsesCall => {
    // A background response lives upstream (polled, cancelled there), which `store: false` rules out.
    if (body.background === true)
      throw badRequest('Background responses are not available through the gateway; send the request without background.', 'background');
    const forwarded: Json = { ...withoutGatewayFields(body), store: false };
    delete forwarded.previous_response_id;
    if (needsStore) {
      const resolved = conversationOf();
      if (previousId !== null || hasItemReference(body.input)) forwarded.input = statelessInput(resolved);
    }
    const provider = getProvider(deployment.provider);
    return { kind: 'native', deployment, modelGroup, upstreamRequest: provider!.responsesRequest!(deployment, forwarded) };
  };

  const nativeAttempt = async (call: NativeResponsesCall, lifetime: CallLifetime): Promise<Answer<string>> => {
    if (!stream) {
      const { response, usage } = await nativeResponseJson(call.upstreamRequest, call.deployment, lifetime, identity);
      call.usage = usage;
      save(response);
      return { kind: 'json', status: 200, body: response, usage, completionText: () => responseText(response) };
    }
    const opened = await nativeResponseEvents(call.upstreamRequest, call.deployment, lifetime, identity, state);
    failure = (error) => failureFrames(error, state);
    return {
      kind: 'stream',
      frames: savedOnCompletion(opened.frames, state, save),
      usage: () => (call.usage = opened.usage()),
      completionText: () => responseText(state.final),
      toError: opened.toError,
      close: opened.close,
    };
  };

  const chatAttempt = async (call: ResponsesChatCall, lifetime: CallLifetime): Promise<Answer<string>> => {
    if (!stream) {
      const response = await responseViaChat(call, lifetime);
      save(response);
      return { kind: 'json', status: 200, body: response, usage: call.usage, completionText: () => responseText(response) };
    }
    const opened = await responseEventsViaChat(call, lifetime);
    failure = opened.failure;
    return {
      kind: 'stream',
      frames: savedOnCompletion(opened.frames, opened.state, save),
      usage: () => call.usage,
      completionText: () => responseText(opened.state.final),
      toError: opened.toError,
      close: opened.close,
    };
  };

  return {
    billedAs: 'responses',
    stream,
    model,
    // The estimates count the whole conversation the upstream gets, not just this turn's input.
    promptBody: () => {
      if (previousId === null) return body;
      const { history, inputItems } = conversationOf();
      return { ...body, input: [...history, ...inputItems] };
    },
    prepare: (deployment, modelGroup, requestId) =>
      servesNatively(deployment.provider, 'responses') && getProvider(deployment.provider)?.responsesRequest
        ? nativeCall(deployment, modelGroup)
        : prepareResponsesChatCall(deployment, modelGroup, requestId, body, conversationOf(), {
            id: identity.id,
            createdAt,
            request: body,
            model: model ?? modelGroup,
          }),
    attempt: (call, lifetime) => (call.kind === 'native' ? nativeAttempt(call, lifetime) : chatAttempt(call, lifetime)),
    writeStream: responsesStreamWriter(() => failure),
  };
}

/** The frames as they are; the response is stored once its final event was sent (the writer asked for the next frame). */
async function* savedOnCompletion(frames: AsyncIterable<string>, state: { final: Json | undefined }, save: (response: Json) => void): AsyncGenerator<string> {
  let saved = false;
  for await (const frame of frames) {
    yield frame;
    if (!saved && state.final) {
      saved = true;
      save(state.final);
    }
  }
}
