/**
 * A request's `input` as stored items, and the conversation a `previous_response_id` chain stands for.
 *
 * Stored items take the shape the API lists them in (GET /v1/responses/{id}/input_items): every item has an
 * id (the client's, else a new one), messages have content parts and a status, user/system/developer text is
 * `input_text` and assistant text is `output_text` with its `annotations`. The same items feed the chat
 * translation, so the conversation is rebuilt the same way whether it came in this request or from the store.
 */
import { badRequest } from '../../../core/errors.ts';
import { type Item, isRecord, newId, paramPath } from './wire.ts';

/** One stored response of a chain: the input items its request added and its output items. */
export interface StoredTurn {
  inputItems: readonly Item[];
  output: readonly Item[];
}

const MESSAGE_ROLES = ['user', 'assistant', 'system', 'developer'];

/**
 * `body.input` as items: a string is one user message with an `input_text` part; an array is normalised item by
 * item (see the module comment). No input (a request that only continues `previous_response_id`) is `[]`.
 * Item types this module does not know (hosted-tool calls, …) are kept as given; the chat translation leaves them out.
 */
export function inputItemsOf(body: Record<string, unknown>): Item[] {
  const input = body.input;
  if (input === undefined || input === null) return [];
  if (typeof input === 'string') return [{ id: newId('msg'), type: 'message', role: 'user', status: 'completed', content: [inputText(input)] }];
  if (!Array.isArray(input)) throw badRequest("Invalid type for 'input': expected a string or an array of input items.", 'input');
  return input.map((item: unknown, i) => normaliseItem(item, `input[${i}]`));
}

/**
 * The items a model sees for a request: each earlier response's input items then its output, oldest first, then
 * the current request's items. An `item_reference` is replaced by the item it names: an earlier one in the chain
 * or the current input, else one from `stored` (items of any stored response by id — the AI SDK refers to
 * earlier output by id without a previous_response_id; see referencedItemIds). An unknown id is the API's 400.
 */
export function conversationFrom(chain: readonly StoredTurn[], current: readonly Item[], stored?: ReadonlyMap<string, Item>): Item[] {
  const items: Item[] = [];
  const byId = new Map<string, Item>();
  const add = (item: Item, param: string) => {
    const resolved = item.type === 'item_reference' ? resolveReference(item, byId, stored, param) : item;
    items.push(resolved);
    if (typeof resolved.id === 'string') byId.set(resolved.id, resolved);
  };
  for (const turn of chain) for (const item of [...turn.inputItems, ...turn.output]) add(item, 'previous_response_id');
  for (const [i, item] of current.entries()) add(item, `input[${i}]`);
  return items;
}

/**
 * This request's items with every item_reference replaced by the item it names (in the chain or `stored`): what
 * to store as the response's input items, so a later turn never depends on another response's row.
 */
export function resolvedInputItems(chain: readonly StoredTurn[], current: readonly Item[], stored?: ReadonlyMap<string, Item>): Item[] {
  const all = conversationFrom(chain, current, stored);
  return all.slice(all.length - current.length);
}

/** The ids this request's `item_reference` items name, for the caller to look up in its store before conversationFrom. */
export function referencedItemIds(items: readonly Item[]): string[] {
  return items.filter((item) => item.type === 'item_reference' && typeof item.id === 'string').map((item) => item.id as string);
}

/**
 * A page of stored items as the API's `ResponseItemList` (GET /v1/responses/{id}/input_items): `order` desc (the
 * API's default) lists the newest first; `after` is the id the page starts after; `limit` 1–100, default 20.
 */
export function itemListOf(items: readonly Item[], opts: { after?: string; limit?: number; order?: 'asc' | 'desc' } = {}): Record<string, unknown> {
  const ordered = opts.order === 'asc' ? [...items] : [...items].reverse();
  // An `after` that names no item starts past the end: an empty page, as for an id from another response.
  const start = opts.after === undefined ? 0 : ordered.findIndex((item) => item.id === opts.after) + 1 || ordered.length;
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 100);
  const data = ordered.slice(start, start + limit);
  return {
    object: 'list',
    data,
    first_id: typeof data[0]?.id === 'string' ? data[0].id : '',
    last_id: typeof data.at(-1)?.id === 'string' ? data.at(-1)!.id : '',
    has_more: start + limit < ordered.length,
  };
}

function resolveReference(item: Item, byId: Map<string, Item>, stored: ReadonlyMap<string, Item> | undefined, param: string): Item {
  const id = typeof item.id === 'string' ? item.id : '';
  const found = byId.get(id) ?? stored?.get(id);
  if (!found) throw badRequest(`Item with id '${String(item.id)}' not found.`, param);
  return found;
}

function inputText(text: string): Item {
  return { type: 'input_text', text };
}

function outputText(text: string, annotations: unknown = []): Item {
  return { type: 'output_text', text, annotations: Array.isArray(annotations) ? annotations : [], logprobs: [] };
}

function normaliseItem(given: unknown, at: string): Item {
  if (!isRecord(given)) throw badRequest(`Invalid type for '${at}': expected an object.`, at);
  // Clients send absent fields as null (Codex: a reasoning item's `content: null`); stored items leave them out.
  const item = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== null));
  const type = item.type ?? (item.role !== undefined ? 'message' : typeof item.id === 'string' ? 'item_reference' : undefined);
  switch (type) {
    case 'message':
      return message(item, at);
    case 'function_call':
      requireStrings(item, at, ['call_id', 'name', 'arguments']);
      return { ...item, id: idOr(item, 'fc'), type, status: item.status ?? 'completed' };
    case 'function_call_output':
      requireStrings(item, at, ['call_id']);
      if (typeof item.output !== 'string' && !Array.isArray(item.output)) {
        throw badRequest(`Invalid type for '${at}.output': expected a string or an array of content parts.`, `${at}.output`);
      }
      return { ...item, id: idOr(item, 'fco'), type, status: item.status ?? 'completed' };
    case 'custom_tool_call':
      requireStrings(item, at, ['call_id', 'name', 'input']);
      return { ...item, id: idOr(item, 'ctc'), type, status: item.status ?? 'completed' };
    case 'custom_tool_call_output':
      requireStrings(item, at, ['call_id']);
      return { ...item, id: idOr(item, 'ctco'), type, status: item.status ?? 'completed' };
    case 'additional_tools':
      return { ...item, id: idOr(item, 'at'), type, role: item.role ?? 'developer', tools: Array.isArray(item.tools) ? item.tools : [] };
    case 'reasoning':
      return { ...item, id: idOr(item, 'rs'), type, summary: Array.isArray(item.summary) ? item.summary : [] };
    case 'item_reference':
      requireStrings(item, at, ['id']);
      return { type, id: item.id };
    case undefined:
      throw badRequest(`Missing required parameter: '${at}.type'.`, `${at}.type`);
    default:
      return { ...item };
  }
}

function message(item: Item, at: string): Item {
  const role = item.role;
  if (typeof role !== 'string' || !MESSAGE_ROLES.includes(role)) {
    throw badRequest(`Invalid value for '${at}.role': expected one of ${MESSAGE_ROLES.join(', ')}.`, `${at}.role`);
  }
  const content = item.content;
  if (typeof content !== 'string' && !Array.isArray(content)) {
    throw badRequest(`Invalid type for '${at}.content': expected a string or an array of content parts.`, `${at}.content`);
  }
  const parts =
    role === 'assistant'
      ? typeof content === 'string'
        ? [outputText(content)]
        : content.map((part: unknown, j) => assistantPart(part, paramPath(at, 'content', j)))
      : typeof content === 'string'
        ? [inputText(content)]
        : content.map((part: unknown, j) => inputPart(part, paramPath(at, 'content', j)));
  return { ...item, id: idOr(item, 'msg'), type: 'message', role, status: item.status ?? 'completed', content: parts };
}

function assistantPart(part: unknown, at: string): Item {
  if (!isRecord(part)) throw badRequest(`Invalid type for '${at}': expected an object.`, at);
  if ((part.type === 'output_text' || part.type === 'input_text') && typeof part.text === 'string') return outputText(part.text, part.annotations);
  if (part.type === 'refusal' && typeof part.refusal === 'string') return { type: 'refusal', refusal: part.refusal };
  throw badRequest(`Invalid value for '${at}.type': an assistant message takes output_text and refusal parts.`, `${at}.type`);
}

function inputPart(part: unknown, at: string): Item {
  if (!isRecord(part)) throw badRequest(`Invalid type for '${at}': expected an object.`, at);
  switch (part.type) {
    case 'input_text':
      if (typeof part.text !== 'string') throw badRequest(`Missing required parameter: '${at}.text'.`, `${at}.text`);
      return { ...part };
    case 'input_image':
      return { ...part, detail: part.detail ?? 'auto' };
    case 'input_file':
      return { ...part };
    default:
      throw badRequest(`Invalid value for '${at}.type': expected one of input_text, input_image, input_file.`, `${at}.type`);
  }
}

function idOr(item: Item, prefix: string): string {
  return typeof item.id === 'string' && item.id !== '' ? item.id : newId(prefix);
}

function requireStrings(item: Item, at: string, names: readonly string[]): void {
  for (const name of names) {
    if (typeof item[name] !== 'string') throw badRequest(`Missing required parameter: '${at}.${name}'.`, `${at}.${name}`);
  }
}
