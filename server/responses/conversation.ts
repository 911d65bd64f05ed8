/**
 * What a Responses request stands for once the gateway's store is read: its own input items (normalised, with
 * ids: what is stored and listed), the items of its `previous_response_id` chain, and the stored items its
 * `item_reference`s name. The upstream never saw the gateway's ids, so every path sends it the whole conversation.
 */
import { GatewayError } from '../core/errors.ts';
import { conversationFrom, inputItemsOf, referencedItemIds } from '../providers/openai/responses/items.ts';
import type { Item } from '../providers/openai/responses/wire.ts';
import type { ResponseReader, ResponseStore } from './response-store.ts';

export interface ResponseConversation {
  /** This request's input items, references resolved where the store has them. */
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
  let history: Item[] = [];
  if (typeof previousId === 'string' && previousId !== '') {
    const chain = store.chain(previousId, reader);
    if (!chain) throw previousResponseNotFound(previousId);
    history = conversationFrom(chain, []);
  }
  const referenced = store.itemsById(referencedItemIds(current), reader);
  const inputItems = current.map((item) => (item.type === 'item_reference' && typeof item.id === 'string' ? (referenced.get(item.id) ?? item) : item));
  return { inputItems, history, referenced };
}

/**
 * The whole conversation as input items for an upstream that keeps nothing (`store: false`): ids are left out, since
 * it would look them up as items it stored, and so are reasoning items it cannot replay without their encrypted content.
 */
export function statelessInput(conversation: ResponseConversation): Item[] {
  const items = conversationFrom([{ inputItems: conversation.history, output: [] }], conversation.inputItems, conversation.referenced);
  const out: Item[] = [];
  for (const item of items) {
    if (item.type === 'reasoning') {
      if (typeof item.encrypted_content === 'string') out.push(item);
      continue;
    }
    const { id: _id, ...rest } = item;
    out.push(rest);
  }
  return out;
}
