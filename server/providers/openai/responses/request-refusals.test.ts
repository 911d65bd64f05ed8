import { describe, expect, it } from 'vitest';
import { gatewayErrorFrom as refusal } from '../../../test-support/fixtures.ts';
import { responsesRequestToChat } from './request-to-chat.ts';
import { functionTool as fnTool } from './test-tools.ts';

/**
 * What only OpenAI's own Responses service can do. A hosted tool offered (Codex always offers web_search) is left
 * out, so the model answers without it; what a client relies on — forcing a hosted tool, background mode,
 * conversations, stored prompts, files in OpenAI's storage — is a 400 naming the parameter.
 */
describe('Responses request → chat: OpenAI-only features', () => {
  it.each([
    'web_search',
    'web_search_preview',
    'file_search',
    'code_interpreter',
    'computer_use_preview',
    'image_generation',
    'mcp',
    'local_shell',
    'shell',
    'apply_patch',
  ])('leaves out the hosted tool %s and keeps the function tools', (type) => {
    const chat = responsesRequestToChat({ model: 'm', input: 'x', tools: [fnTool('a'), { type, name: 'x' }], tool_choice: 'auto' });
    expect((chat.tools as { function: { name: string } }[]).map((tool) => tool.function.name)).toEqual(['a']);
    expect(chat.tool_choice).toBe('auto');
  });

  it('sends no tools at all when only hosted ones were offered', () => {
    const chat = responsesRequestToChat({ model: 'm', input: 'x', tools: [{ type: 'web_search' }], tool_choice: 'auto', parallel_tool_calls: true });
    expect(chat).not.toHaveProperty('tools');
    expect(chat).not.toHaveProperty('tool_choice');
    expect(chat).not.toHaveProperty('parallel_tool_calls');
  });

  it('leaves out hosted-tool items and compaction in the history', () => {
    const chat = responsesRequestToChat({
      model: 'm',
      input: [
        { role: 'user', content: 'Search.' },
        { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'q' } },
        { type: 'compaction', id: 'cmp_1', encrypted_content: 'gAAAA' },
        { role: 'assistant', content: 'Found it.' },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'user', content: 'Search.' },
      { role: 'assistant', content: 'Found it.' },
    ]);
  });

  it('refuses what a client relies on, naming the parameter', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ background: true }, 'background'],
      [{ conversation: 'conv_1' }, 'conversation'],
      [{ prompt: { id: 'pmpt_1' } }, 'prompt'],
      [{ input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file-1' }] }] }, 'input[0].content[0].file_id'],
      [{ input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file-1' }] }] }, 'input[0].content[0].file_id'],
      [{ input: 'x', tools: [fnTool('a'), { type: 'file_search' }], tool_choice: { type: 'file_search' } }, 'tool_choice.type'],
      [{ input: 'x', tools: [fnTool('a')], tool_choice: { type: 'function', name: 'zzz' } }, 'tool_choice'],
      [{ input: 'x', text: { format: { type: 'json_schema', name: 'n' } } }, 'text.format.schema'],
      [{ input: 'x', tools: [{ type: 'function' }] }, 'tools[0].name'],
    ];
    for (const [body, param] of cases) {
      const error = refusal(() => responsesRequestToChat({ model: 'm', input: 'x', ...body }));
      expect([error.status, error.param]).toEqual([400, param]);
    }
    expect(refusal(() => responsesRequestToChat({ model: 'm', background: true })).message).toContain('only available on OpenAI deployments');
  });

  it('names previous_response_id for a bad item that came from the chain', () => {
    const history = [{ id: 'msg_1', type: 'message', role: 'user', content: [{ type: 'input_image', file_id: 'file-1', detail: 'auto' }] }];
    expect(refusal(() => responsesRequestToChat({ model: 'm', input: 'x' }, history)).param).toBe('previous_response_id.content[0].file_id');
  });
});
