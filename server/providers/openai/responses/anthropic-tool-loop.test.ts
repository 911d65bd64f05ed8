/**
 * A Codex tool loop on an Anthropic deployment with thinking on, through the real Anthropic adapter both ways:
 * the answer's signed thinking must come back first in the assistant turn of the next request, or Anthropic
 * refuses it ("a final assistant message must start with a thinking block").
 */
import { describe, expect, it } from 'vitest';
import { anthropicMessage, anthropicStreamEvents, type AnthropicAnswer } from '../../../../e2e/mock-providers/index.ts';
import { expectValid } from '../../../../e2e/support/openapi.ts';
import { buildMessagesRequest } from '../../anthropic/request.ts';
import { translateMessageResponse } from '../../anthropic/response.ts';
import { createAnthropicStreamTranslator } from '../../anthropic/stream.ts';
import { chatContext } from '../../anthropic/test-fixtures.ts';
import { decodeThinkingBlocks, isChatReasoning } from './reasoning-replay.ts';
import { responsesRequestToChat } from './request-to-chat.ts';
import { responseFromChat } from './response-from-chat.ts';
import { ResponseEventsFromChat } from './stream-from-chat.ts';
import { functionTool } from './test-tools.ts';
import type { Item } from './wire.ts';

const thinking = { thinking: 'The user wants the files listed; I will run ls.', signature: 'EqQBCkYIBxgCKkD-signed-by-anthropic' };
const answer: AnthropicAnswer = {
  model: 'claude-sonnet-4-5-20250929',
  thinking,
  block: { type: 'tool_use', id: 'toolu_01A', name: 'shell', input: { arg: 'ls' } },
  stopReason: 'tool_use',
  usage: { input_tokens: 40, output_tokens: 30, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
};

const firstInput = [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'List the files.' }] }];
const request = {
  model: 'claude',
  instructions: 'You are Codex.',
  input: firstInput,
  tools: [functionTool('shell')],
  reasoning: { effort: 'medium' },
  store: false,
};
const ctx = { id: 'resp_loop', createdAt: 1764750000, request, model: 'claude' };

/** The Response the gateway answers when the Anthropic answer is streamed. */
function streamedResponse(): Record<string, unknown> {
  const translator = createAnthropicStreamTranslator(chatContext({ messages: [] }, { stream: true }));
  const events = new ResponseEventsFromChat(ctx);
  const all = [...events.start()];
  for (const frame of anthropicStreamEvents(answer).frames) {
    const match = /^event: (.*)\ndata: (.*)\n\n$/s.exec(frame);
    if (!match) throw new Error(`not an SSE frame: ${frame}`);
    for (const chunk of translator.push({ event: match[1], data: match[2]! })) all.push(...events.push(chunk));
  }
  for (const chunk of translator.end()) all.push(...events.push(chunk));
  all.push(...events.finish());
  for (const event of all) expectValid('ResponseStreamEvent', event);
  return events.response();
}

/** The Anthropic request body the next turn becomes: Codex sends the output back with the call's result. */
function nextAnthropicRequest(output: Item[]): Record<string, unknown> {
  const input = [...firstInput, ...output, { type: 'function_call_output', call_id: 'toolu_01A', output: 'README.md' }];
  const chat = responsesRequestToChat({ ...request, input });
  return JSON.parse(String(buildMessagesRequest(chatContext(chat)).body)) as Record<string, unknown>;
}

describe('Responses on Anthropic with thinking: the tool loop', () => {
  it.each([
    ['streamed', streamedResponse],
    ['JSON', () => responseFromChat(translateMessageResponse(anthropicMessage(answer), chatContext({ messages: [] })), ctx)],
  ])('keeps the signed thinking of a %s answer and sends it back first in the next assistant turn', (_kind, answered) => {
    const response = answered();
    expectValid('Response', response);
    const output = response.output as Item[];
    expect(output.map((item) => item.type)).toEqual(['reasoning', 'function_call']);
    expect(output[0]).toMatchObject({ summary: [{ type: 'summary_text', text: thinking.thinking }] });
    expect(isChatReasoning(output[0]!)).toBe(true);
    expect(decodeThinkingBlocks(output[0]!.encrypted_content)).toEqual([{ type: 'thinking', ...thinking }]);

    const next = nextAnthropicRequest(output);
    expect(next.thinking).toMatchObject({ type: 'enabled' });
    expect(next.system).toBe('You are Codex.');
    expect(next.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'List the files.' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', ...thinking },
          { type: 'tool_use', id: 'toolu_01A', name: 'shell', input: { arg: 'ls' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: 'README.md' }] },
    ]);
  });

  it("leaves out reasoning that is not the gateway's (OpenAI's encrypted content, a summary only)", () => {
    const next = nextAnthropicRequest([
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'hm' }], encrypted_content: 'gAAAAABopaque' },
      { type: 'function_call', id: 'fc_1', call_id: 'toolu_01A', name: 'shell', arguments: '{"arg":"ls"}', status: 'completed' },
    ]);
    expect((next.messages as { content: unknown[] }[])[1]?.content).toEqual([{ type: 'tool_use', id: 'toolu_01A', name: 'shell', input: { arg: 'ls' } }]);
  });
});
