/**
 * The Responses API served through chat completions (every provider but openai/ and azure/): request
 * translation, the stored-item model, the JSON answer and the stream events. Pure functions; no HTTP, no store.
 */
export { conversationFrom, inputItemsOf, itemListOf, referencedItemIds, resolvedInputItems, type StoredTurn } from './items.ts';
export { responsesRequestToChat } from './request-to-chat.ts';
export { responseFromChat, responsesUsageFrom, usageFromResponses, type ResponseContext } from './response-from-chat.ts';
export { responseObject } from './response-object.ts';
export { responsesBodySchema, responsesValidationError } from './schema.ts';
export { type ResponseEvent, ResponseEventsFromChat, type StreamFailure, sseFrame } from './stream-from-chat.ts';
export type { Item, ResponseObject } from './wire.ts';
export { newId } from './wire.ts';
