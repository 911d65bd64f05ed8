/**
 * The Responses API served through chat completions (every provider but openai/ and azure/): request
 * translation, the stored-item model, the JSON answer and the stream events. Pure functions; no HTTP, no store.
 *
 * How a surface uses it, per POST /v1/responses on a chat-served deployment:
 *   1. validate the body with `responsesBodySchema` (answer failures with `responsesValidationError(validation)`);
 *   2. `inputItems = inputItemsOf(body)` once (ids are made here);
 *   3. load the previous_response_id chain, oldest first, as `StoredTurn`s ({inputItems, output} per row), and
 *      the stored items named by `referencedItemIds(inputItems)` that are not in the chain, as a Map by id;
 *   4. `chat = responsesRequestToChat(body, conversationFrom(chain, []), storedById, inputItems)` → the pipeline;
 *   5. JSON: `responseFromChat(chatAnswer, ctx)`; stream: `new ResponseEventsFromChat(ctx)`, `start()`,
 *      `push(chunk)` per chat chunk, `finish(usage)` or `fail({message, code, param, status})`, each event
 *      written with `sseFrame`; `response()` is the Response to store;
 *   6. store `resolvedInputItems(chain, inputItems, storedById)` and the Response's `output`.
 * `ctx` is { id: newId('resp'), createdAt: unix seconds, request: body, model: the client's model name, and
 * optionally history: the chain's items (their additional_tools items name tools too) }.
 * Tools: function, custom and namespace tools (top-level or in additional_tools items) are offered; hosted tools
 * are left out (tool-catalog.ts).
 * A reasoning item answered on this path may carry Anthropic's signed thinking in its encrypted_content (the
 * gateway's format, reasoning-replay.ts): the native path must leave such items out (`isChatReasoning`), since
 * OpenAI cannot decrypt them.
 */
export { conversationFrom, inputItemsOf, itemListOf, referencedItemIds, resolvedInputItems, type StoredTurn } from './items.ts';
export { decodeThinkingBlocks, encodeThinkingBlocks, isChatReasoning } from './reasoning-replay.ts';
export { responsesRequestToChat } from './request-to-chat.ts';
export { type ResponseContext, responseFromChat, responsesUsageFrom, usageFromResponses } from './response-from-chat.ts';
export { responseObject } from './response-object.ts';
export { responsesBodySchema, responsesValidationError } from './schema.ts';
export { type ResponseEvent, ResponseEventsFromChat, type StreamFailure, sseFrame } from './stream-from-chat.ts';
export type { Item, ResponseObject } from './wire.ts';
export { newId } from './wire.ts';
