import { describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database.ts';
import { ResponseStore, type ResponseReader } from './response-store.ts';

const ALL: ResponseReader = { kind: 'all' };
const keyA: ResponseReader = { kind: 'key', keyId: 'key-a' };
const keyB: ResponseReader = { kind: 'key', keyId: 'key-b' };

function message(id: string, text: string) {
  return { id, type: 'message', role: 'user', content: [{ type: 'input_text', text }] };
}

function answer(id: string, text: string) {
  return { id, object: 'response', output: [{ id: `msg_${id}`, type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] }] };
}

function storeWithChain(): ResponseStore {
  const store = new ResponseStore(openDatabase(':memory:'));
  store.save({ id: 'resp_1', keyId: 'key-a', previousId: null, model: 'gpt-4o', inputItems: [message('in_1', 'one')], response: answer('resp_1', 'echo one') });
  store.save({
    id: 'resp_2',
    keyId: 'key-a',
    previousId: 'resp_1',
    model: 'gpt-4o',
    inputItems: [message('in_2', 'two')],
    response: answer('resp_2', 'echo two'),
  });
  return store;
}

describe('ResponseStore', () => {
  it('keeps a response and answers it to its key and the master key only', () => {
    const store = storeWithChain();
    expect(store.get('resp_1', keyA)).toMatchObject({ id: 'resp_1', keyId: 'key-a', previousId: null, model: 'gpt-4o', response: { object: 'response' } });
    expect(store.get('resp_1', ALL)?.inputItems).toEqual([message('in_1', 'one')]);
    expect(store.get('resp_1', keyB)).toBeUndefined();
    expect(store.get('resp_missing', ALL)).toBeUndefined();
  });

  it('prunes responses created before a cutoff, a batch at a time', () => {
    const store = new ResponseStore(openDatabase(':memory:'));
    const day = 86_400_000;
    const now = Date.UTC(2026, 11, 3);
    for (const [id, age] of [
      ['old_1', 40],
      ['old_2', 31],
      ['old_3', 35],
      ['recent', 2],
    ] as const) {
      store.save({ id, keyId: null, previousId: null, model: 'gpt-4o', inputItems: [], response: answer(id, id), createdAt: now - age * day });
    }
    expect(store.pruneBatch(now - 30 * day, 2)).toBe(2);
    expect(store.pruneBatch(now - 30 * day, 2)).toBe(1);
    expect(store.pruneBatch(now - 30 * day, 2)).toBe(0);
    expect(['old_1', 'old_2', 'old_3', 'recent'].filter((id) => store.get(id, ALL) !== undefined)).toEqual(['recent']);
  });

  it('gives the conversation of a chain, oldest turn first', () => {
    const store = storeWithChain();
    const chain = store.chain('resp_2', keyA);
    expect(chain?.map((turn) => turn.inputItems[0]?.id)).toEqual(['in_1', 'in_2']);
    expect(chain?.map((turn) => turn.output[0]?.id)).toEqual(['msg_resp_1', 'msg_resp_2']);
    expect(store.chain('resp_2', keyB)).toBeUndefined();
    // A deleted ancestor ends the chain there.
    expect(store.delete('resp_1', keyA)).toBe(true);
    expect(store.chain('resp_2', ALL)?.map((turn) => turn.inputItems[0]?.id)).toEqual(['in_2']);
  });

  it('deletes only what the reader may see', () => {
    const store = storeWithChain();
    expect(store.delete('resp_2', keyB)).toBe(false);
    expect(store.get('resp_2', ALL)).toBeDefined();
    expect(store.delete('resp_2', ALL)).toBe(true);
    expect(store.delete('resp_2', ALL)).toBe(false);
  });

  it('finds stored input and output items by id for item references, for their key', () => {
    const store = storeWithChain();
    const found = store.itemsById(['in_2', 'msg_resp_1', 'unknown'], keyA);
    expect([...found.keys()].sort()).toEqual(['in_2', 'msg_resp_1']);
    expect(found.get('msg_resp_1')).toMatchObject({ role: 'assistant', content: [{ text: 'echo one' }] });
    expect(store.itemsById(['in_2'], keyB).size).toBe(0);
    expect(store.itemsById([], ALL).size).toBe(0);
  });

  it('pages input items in either order after a cursor', () => {
    const store = new ResponseStore(openDatabase(':memory:'));
    const items = ['a', 'b', 'c', 'd', 'e'].map((id) => message(id, id));
    store.save({ id: 'resp_x', keyId: null, previousId: null, model: 'm', inputItems: items, response: answer('resp_x', 'x') });
    const ids = (page: { data: Record<string, unknown>[] } | undefined) => page?.data.map((item) => item.id);
    expect(store.inputItems('resp_x', ALL, { limit: 2, order: 'desc' })).toMatchObject({ firstId: 'e', lastId: 'd', hasMore: true });
    expect(ids(store.inputItems('resp_x', ALL, { limit: 2, order: 'desc', after: 'd' }))).toEqual(['c', 'b']);
    expect(store.inputItems('resp_x', ALL, { limit: 10, order: 'asc', after: 'c' })).toMatchObject({ firstId: 'd', lastId: 'e', hasMore: false });
    expect(store.inputItems('resp_x', ALL, { limit: 10, order: 'asc', after: 'zz' })).toEqual({ data: [], firstId: null, lastId: null, hasMore: false });
    expect(store.inputItems('resp_x', keyA, { limit: 10, order: 'asc' })).toBeUndefined();
  });
});
