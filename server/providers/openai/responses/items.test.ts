import { describe, expect, it } from 'vitest';
import { expectValid } from '../../../../e2e/support/openapi.ts';
import { gatewayErrorFrom as refusal } from '../../../test-support/fixtures.ts';
import { conversationFrom, inputItemsOf, itemListOf, referencedItemIds, resolvedInputItems } from './items.ts';

describe('inputItemsOf', () => {
  it('makes a string input one user message with an input_text part and a msg_ id', () => {
    const items = inputItemsOf({ input: 'Hello' });
    expect(items).toEqual([
      { id: expect.stringMatching(/^msg_[0-9a-f]{48}$/), type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'Hello' }] },
    ]);
    expectValid('ItemResource', items[0]);
  });

  it('normalises every kind of item to the listed shape, keeping given ids', () => {
    const items = inputItemsOf({
      input: [
        { role: 'developer', content: 'Be brief.' },
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'Look' },
            { type: 'input_image', image_url: 'https://example.com/a.png' },
          ],
        },
        { role: 'assistant', id: 'msg_given', content: [{ type: 'output_text', text: 'Sure.' }] },
        { role: 'assistant', content: 'Plain text.' },
        { type: 'function_call', call_id: 'call_1', name: 'ls', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'a.txt' },
        { type: 'reasoning', id: 'rs_given', summary: [{ type: 'summary_text', text: 'Thinking' }] },
      ],
    });
    expect(items.map((item) => item.id)).toEqual([
      expect.stringMatching(/^msg_/),
      expect.stringMatching(/^msg_/),
      'msg_given',
      expect.stringMatching(/^msg_/),
      expect.stringMatching(/^fc_/),
      expect.stringMatching(/^fco_/),
      'rs_given',
    ]);
    expect(items[0]).toMatchObject({ type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Be brief.' }] });
    expect(items[1]?.content).toEqual([
      { type: 'input_text', text: 'Look' },
      { type: 'input_image', image_url: 'https://example.com/a.png', detail: 'auto' },
    ]);
    expect(items[3]).toMatchObject({
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: 'Plain text.', annotations: [], logprobs: [] }],
    });
    expect(items[4]).toMatchObject({ status: 'completed', call_id: 'call_1' });
    for (const item of items) expectValid('ItemResource', item);
  });

  it('leaves out the null fields clients send for absent ones', () => {
    const [reasoning, reference] = inputItemsOf({
      input: [
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Hm.' }], content: null, encrypted_content: 'gAAA' },
        { type: null, id: 'msg_earlier' },
      ],
    });
    expect(reasoning).toEqual({
      id: expect.stringMatching(/^rs_/),
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'Hm.' }],
      encrypted_content: 'gAAA',
    });
    expectValid('ItemResource', reasoning);
    expect(reference).toEqual({ type: 'item_reference', id: 'msg_earlier' });
  });

  it("gives Codex's additional_tools and custom tool items the listed shape", () => {
    const items = inputItemsOf({
      input: [
        {
          type: 'additional_tools',
          role: 'developer',
          tools: [{ type: 'namespace', name: 'functions', description: '', tools: [{ type: 'custom', name: 'exec' }] }],
        },
        { type: 'custom_tool_call', call_id: 'call_1', name: 'exec', namespace: 'functions', input: 'console.log(1)' },
        { type: 'custom_tool_call_output', call_id: 'call_1', output: '1' },
      ],
    });
    expect(items.map((item) => item.id)).toEqual([expect.stringMatching(/^at_/), expect.stringMatching(/^ctc_/), expect.stringMatching(/^ctco_/)]);
    for (const item of items) expectValid('ItemResource', item);
    expect(refusal(() => inputItemsOf({ input: [{ type: 'custom_tool_call', call_id: 'c', name: 'exec' }] })).param).toBe('input[0].input');
  });

  it('gives no items for a request without input', () => {
    expect(inputItemsOf({ previous_response_id: 'resp_1' })).toEqual([]);
  });

  it('refuses malformed items with the parameter that is wrong', () => {
    expect(refusal(() => inputItemsOf({ input: [{ role: 'tool', content: 'x' }] })).param).toBe('input[0].role');
    expect(refusal(() => inputItemsOf({ input: ['hi'] })).param).toBe('input[0]');
    expect(refusal(() => inputItemsOf({ input: [{ type: 'function_call', call_id: 'c', arguments: '{}' }] })).param).toBe('input[0].name');
    expect(refusal(() => inputItemsOf({ input: [{ role: 'user', content: [{ type: 'output_text', text: 'x' }] }] })).param).toBe('input[0].content[0].type');
    expect(refusal(() => inputItemsOf({ input: 42 })).status).toBe(400);
  });
});

describe('conversationFrom', () => {
  const first = {
    inputItems: [{ id: 'msg_a', type: 'message', role: 'user', content: [] }],
    output: [{ id: 'msg_b', type: 'message', role: 'assistant', content: [] }],
  };
  const second = { inputItems: [{ id: 'msg_c', type: 'message', role: 'user', content: [] }], output: [{ id: 'fc_d', type: 'function_call' }] };

  it('lists each earlier input then its output, oldest first, then the current items', () => {
    const current = [{ id: 'fco_e', type: 'function_call_output' }];
    expect(conversationFrom([first, second], current).map((item) => item.id)).toEqual(['msg_a', 'msg_b', 'msg_c', 'fc_d', 'fco_e']);
  });

  it('replaces item references by the chain item, then by a stored item, and refuses unknown ids', () => {
    const stored = new Map([['rs_old', { id: 'rs_old', type: 'reasoning', summary: [] }]]);
    const current = [
      { type: 'item_reference', id: 'msg_b' },
      { type: 'item_reference', id: 'rs_old' },
    ];
    expect(referencedItemIds(current)).toEqual(['msg_b', 'rs_old']);
    expect(conversationFrom([first], current, stored).slice(2)).toEqual([first.output[0], stored.get('rs_old')]);
    expect(resolvedInputItems([first], current, stored)).toEqual([first.output[0], stored.get('rs_old')]);
    const error = refusal(() => conversationFrom([first], [{ type: 'item_reference', id: 'msg_zz' }]));
    expect(error.message).toBe("Item with id 'msg_zz' not found.");
    expect(error.param).toBe('input[0]');
  });
});

describe('itemListOf', () => {
  const items = ['a', 'b', 'c', 'd'].map((id) => ({
    id: `msg_${id}`,
    type: 'message',
    role: 'user',
    status: 'completed',
    content: [{ type: 'input_text', text: id }],
  }));

  it('lists newest first by default and pages with after and limit', () => {
    const page = itemListOf(items, { limit: 2 });
    expect(page).toMatchObject({ object: 'list', first_id: 'msg_d', last_id: 'msg_c', has_more: true });
    expectValid('ResponseItemList', page);
    expect(itemListOf(items, { limit: 2, after: 'msg_c' })).toMatchObject({ first_id: 'msg_b', last_id: 'msg_a', has_more: false });
    expect(itemListOf(items, { order: 'asc' }).data).toEqual(items);
    expect(itemListOf(items, { after: 'msg_unknown' })).toMatchObject({ data: [], has_more: false });
  });
});
