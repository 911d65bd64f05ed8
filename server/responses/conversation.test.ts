import { describe, expect, it } from 'vitest';
import { encodeThinkingBlocks } from '../providers/openai/responses/reasoning-replay.ts';
import { openDatabase } from '../store/database.ts';
import { resolveConversation, statelessInput } from './conversation.ts';
import { ResponseStore } from './response-store.ts';

const ALL = { kind: 'all' } as const;

function storeWithFirstTurn(): ResponseStore {
  const store = new ResponseStore(openDatabase(':memory:'));
  store.save({
    id: 'resp_1',
    keyId: 'key-a',
    previousId: null,
    model: 'gpt-4o',
    inputItems: [{ id: 'msg_in1', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'first question' }] }],
    response: {
      id: 'resp_1',
      object: 'response',
      output: [
        { id: 'rs_1', type: 'reasoning', summary: [] },
        { id: 'rs_2', type: 'reasoning', summary: [], encrypted_content: 'opaque' },
        { id: 'rs_3', type: 'reasoning', summary: [], encrypted_content: encodeThinkingBlocks([{ type: 'thinking', thinking: 'hmm', signature: 'sig' }]) },
        { id: 'msg_out1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'first answer', annotations: [] }] },
      ],
    },
  });
  return store;
}

describe('resolveConversation', () => {
  it('puts the previous response chain before this request, and refuses an unknown or foreign previous_response_id', () => {
    const store = storeWithFirstTurn();
    const conversation = resolveConversation(store, ALL, { previous_response_id: 'resp_1', input: 'second question' });
    expect(conversation.history.map((item) => item.id)).toEqual(['msg_in1', 'rs_1', 'rs_2', 'rs_3', 'msg_out1']);
    expect(conversation.inputItems).toMatchObject([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'second question' }] }]);
    for (const [reader, id] of [
      [ALL, 'resp_missing'],
      [{ kind: 'key', keyId: 'key-b' }, 'resp_1'],
    ] as const) {
      expect(() => resolveConversation(store, reader, { previous_response_id: id, input: 'x' })).toThrow(
        expect.objectContaining({ status: 400, code: 'previous_response_not_found', param: 'previous_response_id' }),
      );
    }
  });

  it('resolves item references from the store, for the items this request stores too', () => {
    const store = storeWithFirstTurn();
    const conversation = resolveConversation(store, ALL, {
      input: [
        { type: 'item_reference', id: 'msg_out1' },
        { role: 'user', content: 'next' },
      ],
    });
    expect(conversation.inputItems[0]).toMatchObject({ id: 'msg_out1', role: 'assistant' });
  });
});

describe('statelessInput', () => {
  it("sends the whole conversation without ids, and only OpenAI's own reasoning it can replay", () => {
    const store = storeWithFirstTurn();
    const input = statelessInput(resolveConversation(store, ALL, { previous_response_id: 'resp_1', input: 'second question' }));
    expect(input.map((item) => item.type)).toEqual(['message', 'reasoning', 'message', 'message']);
    expect(input[1]).toEqual({ id: 'rs_2', type: 'reasoning', summary: [], encrypted_content: 'opaque' });
    expect(input.filter((item) => item.type === 'message').every((item) => !('id' in item))).toBe(true);
    expect(JSON.stringify(input)).toContain('first answer');
  });
});
