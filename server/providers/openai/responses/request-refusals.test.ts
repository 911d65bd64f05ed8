import { describe, expect, it } from 'vitest';
import { gatewayErrorFrom as refusal } from '../../../test-support/fixtures.ts';
import { responsesRequestToChat } from './request-to-chat.ts';
import { functionTool as fnTool } from './test-tools.ts';

/** What only OpenAI's own Responses service can do is a 400 naming the tool or parameter on the chat path. */
describe('Responses request → chat: refusals', () => {
  it.each([
    ['web_search', 'tools[1].type'],
    ['file_search', 'tools[1].type'],
    ['code_interpreter', 'tools[1].type'],
    ['computer_use_preview', 'tools[1].type'],
    ['image_generation', 'tools[1].type'],
    ['mcp', 'tools[1].type'],
    ['local_shell', 'tools[1].type'],
    ['custom', 'tools[1].type'],
  ])('refuses the hosted tool type %s with a 400 naming %s', (type, param) => {
    const error = refusal(() => responsesRequestToChat({ model: 'm', input: 'x', tools: [fnTool('a'), { type, name: 'x' }] }));
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toContain(`'${type}'`);
    expect(error.message).toContain('only available on OpenAI deployments');
  });

  it('refuses what only OpenAI can do, naming the parameter', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ background: true }, 'background'],
      [{ conversation: 'conv_1' }, 'conversation'],
      [{ prompt: { id: 'pmpt_1' } }, 'prompt'],
      [{ input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file-1' }] }] }, 'input[0].content[0].file_id'],
      [{ input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file-1' }] }] }, 'input[0].content[0].file_id'],
      [{ input: [{ type: 'web_search_call', id: 'ws_1', status: 'completed' }] }, 'input[0].type'],
      [{ input: 'x', tools: [fnTool('a')], tool_choice: { type: 'file_search' } }, 'tool_choice.type'],
      [{ input: 'x', tools: [fnTool('a')], tool_choice: { type: 'function', name: 'zzz' } }, 'tool_choice'],
      [{ input: 'x', text: { format: { type: 'json_schema', name: 'n' } } }, 'text.format.schema'],
    ];
    for (const [body, param] of cases) {
      const error = refusal(() => responsesRequestToChat({ model: 'm', input: 'x', ...body }));
      expect([error.status, error.param]).toEqual([400, param]);
    }
  });

  it('names previous_response_id for a bad item that came from the chain', () => {
    const history = [{ id: 'ws_1', type: 'web_search_call', status: 'completed' }];
    expect(refusal(() => responsesRequestToChat({ model: 'm', input: 'x' }, history)).param).toBe('previous_response_id.type');
  });
});
