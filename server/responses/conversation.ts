/**
 * What a Responses request stands for once the gateway's store is read: its own input items (normalised, with
 * ids: what is stored and listed), the items of its `previous_response_id` chain, and the stored items its
 * `item_reference`s name. The upstream never saw the gateway's ids, so every path sends it the whole conversation.
 */
import { GatewayError } from '../core/errors.ts';
import { conversationFrom, inputItemsOf, referencedItemIds, resolvedInputItems, type StoredTurn } from '../providers/openai/responses/items.ts';
import { isChatReasoning } from '../providers/openai/responses/reasoning-replay.ts';
import type { Item } from '../providers/openai/responses/wire.ts';
import type { ResponseReader, ResponseStore } from './response-store.ts';

export interface ResponseConversation {
  /** This request's input items (ids made once), every item_reference replaced by the item it names: what is stored. */
  inputItems: Item[];
  /** The items of the previous_response_id chain (each turn's input, then its output), oldest first; [] without one. */
  history: Item[];
  /** Stored items named by this request's item_references. */
  referenced: Map<string, Item>;
}

/** OpenAI's answer to a previous_response_id it does not know (or that belongs to someone else). */
export function previousResponseNotFound(id: string): GatewayError {
  return new GatewayError(400, `Previous response with id '${id}' not found.`, {
    type: 'invalid_request_error',
    param: 'previous_response_id',
    code: 'previous_response_not_found',
  });
}

export function resolveConversation(store: ResponseStore, reader: ResponseReader, body: Record<string, unknown>): ResponseConversation {
  const current = inputItemsOf(body);
  const previousId = body.previous_response_id;
  let chain: StoredTurn[] = [];
  if (typeof previousId === 'string' && previousId !== '') {
    const found = store.chain(previousId, reader);
    if (!found) throw previousResponseNotFound(previousId);
    chain = found;
  }
  const referenced = store.itemsById(referencedItemIds(current), reader);
  // An unknown reference is the API's 400 (`Item with id '…' not found.`), before any upstream call.
  return { inputItems: resolvedInputItems(chain, current, referenced), history: conversationFrom(chain, []), referenced };
}

/**
 * The whole conversation as input items for an upstream that keeps nothing (`store: false`): ids are left out, since
 * it would look them up as items it stored, and so are reasoning items it cannot replay — those without encrypted
 * content, and those whose encrypted content is the gateway's own (a chat-served answer's thinking, not OpenAI's).
 */
export function statelessInput(conversation: ResponseConversation): Item[] {
  const items = conversationFrom([{ inputItems: conversation.history, output: [] }], conversation.inputItems, conversation.referenced);
  const out: Item[] = [];
  for (const item of items) {
    if (item.type === 'reasoning') {
      if (typeof item.encrypted_content === 'string' && !isChatReasoning(item)) out.push(item);
      continue;
    }
    const { id: _id, ...rest } = item;
    out.push(rest);
  }
  return out;
}
