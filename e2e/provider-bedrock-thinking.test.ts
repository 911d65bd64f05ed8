/**
 * Extended thinking on AWS Bedrock through a real gateway, driven by the official openai SDK, against the framed
 * mock's Converse (SigV4 checked; it signs its reasoning and, as Anthropic does, refuses reasoning sent back with a
 * wrong signature and a thinking turn whose tool use lost its reasoning): the answer's reasoning_content and
 * LiteLLM's thinking_blocks with the signature, streamed as thinking_blocks deltas ending with the signature, and
 * a tool round trip that sends the signed blocks back — from a plain answer and from a streamed one.
 */
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { withGatewayOnFramedMocks } from './support/gateway-per-file.ts';
import { reasoningSignature } from './mock-providers/bedrock-converse.ts';
import { AWS_TEST_CREDENTIALS } from './mock-providers/bedrock-sigv4.ts';
import type { FramedMockProviders, FramedRequest } from './mock-providers/framed-server.ts';
import type { TestGateway } from './support/gateway.ts';
import { expectValid } from './support/openapi.ts';
import { WEATHER_TOOL } from './support/provider-contract.ts';

const { accessKeyId, secretAccessKey } = AWS_TEST_CREDENTIALS;

const config = (url: string) => `
model_list:
  - model_name: claude
    litellm_params:
      model: bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0
      api_base: "${url}"
      aws_access_key_id: ${accessKeyId}
      aws_secret_access_key: "${secretAccessKey}"
      aws_region_name: us-east-1
litellm_settings:
  num_retries: 0
general_settings:
  master_key: sk-1234
`;

type ThinkingBlock = { type: string; thinking?: string; signature?: string; data?: string };
type ThinkingMessage = OpenAI.ChatCompletionMessage & { reasoning_content?: string; thinking_blocks?: ThinkingBlock[] };

let mock: FramedMockProviders;
let gw: TestGateway;

withGatewayOnFramedMocks(config, {}, {}, (started) => {
  ({ mock, gw } = started);
});

const client = () => gw.client('sk-1234');
const last = (): FramedRequest => mock.requests.at(-1)!;
const QUESTION: OpenAI.ChatCompletionMessageParam = { role: 'user', content: 'Rome weather' };
const THOUGHT = 'The user said: Rome weather';

/** The second turn: the assistant's tool call (with or without its thinking blocks) and the tool's answer. */
function secondTurn(call: OpenAI.Chat.ChatCompletionMessageFunctionToolCall, thinkingBlocks?: ThinkingBlock[]): OpenAI.ChatCompletionCreateParamsNonStreaming {
  const assistant = { role: 'assistant', content: null, tool_calls: [call], ...(thinkingBlocks ? { thinking_blocks: thinkingBlocks } : {}) };
  return {
    model: 'claude',
    reasoning_effort: 'low',
    tools: [WEATHER_TOOL],
    messages: [QUESTION, assistant as OpenAI.ChatCompletionAssistantMessageParam, { role: 'tool', tool_call_id: call.id, content: 'sunny' }],
  };
}

describe('Bedrock extended thinking', () => {
  it('returns the reasoning and its signed thinking block, and a tool round trip sends the block back', async () => {
    const first = await client().chat.completions.create({ model: 'claude', reasoning_effort: 'low', tools: [WEATHER_TOOL], messages: [QUESTION] });
    expectValid('CreateChatCompletionResponse', first);
    expect(last().body.additionalModelRequestFields).toEqual({ thinking: { type: 'enabled', budget_tokens: 1024 } });
    const message = first.choices[0]!.message as ThinkingMessage;
    expect(message.reasoning_content).toBe(THOUGHT);
    expect(message.thinking_blocks).toEqual([{ type: 'thinking', thinking: THOUGHT, signature: reasoningSignature(THOUGHT) }]);
    const call = message.tool_calls![0] as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;

    const second = await client().chat.completions.create(secondTurn(call, message.thinking_blocks));
    expectValid('CreateChatCompletionResponse', second);
    expect((last().body.messages as { content: unknown[] }[])[1]!.content[0]).toEqual({
      reasoningContent: { reasoningText: { text: THOUGHT, signature: reasoningSignature(THOUGHT) } },
    });
    expect(second.choices[0]!.message.content).toBe('echo: sunny');
  });

  it('is refused by Bedrock when the thinking blocks are not sent back (the check the round trip passes)', async () => {
    const first = await client().chat.completions.create({ model: 'claude', reasoning_effort: 'low', tools: [WEATHER_TOOL], messages: [QUESTION] });
    const call = first.choices[0]!.message.tool_calls![0] as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
    await expect(client().chat.completions.create(secondTurn(call))).rejects.toMatchObject({ status: 400 });
    const forged = [{ type: 'thinking', thinking: THOUGHT, signature: reasoningSignature('something else') }];
    await expect(client().chat.completions.create(secondTurn(call, forged))).rejects.toMatchObject({ status: 400 });
  });

  it('streams the reasoning as thinking_blocks deltas closed by the signature, which a client can send back', async () => {
    const stream = await client().chat.completions.create({
      model: 'claude',
      reasoning_effort: 'low',
      tools: [WEATHER_TOOL],
      messages: [QUESTION],
      stream: true,
    });
    let reasoning = '';
    let thinking = '';
    let signature = '';
    let call: OpenAI.Chat.ChatCompletionMessageFunctionToolCall | undefined;
    for await (const chunk of stream) {
      expectValid('CreateChatCompletionStreamResponse', chunk);
      const delta = chunk.choices[0]?.delta as
        | (OpenAI.ChatCompletionChunk.Choice.Delta & { reasoning_content?: string; thinking_blocks?: ThinkingBlock[] })
        | undefined;
      reasoning += delta?.reasoning_content ?? '';
      for (const block of delta?.thinking_blocks ?? []) {
        thinking += block.thinking ?? '';
        signature += block.signature ?? '';
      }
      const piece = delta?.tool_calls?.[0];
      if (piece?.id) call = { id: piece.id, type: 'function', function: { name: piece.function?.name ?? '', arguments: '' } };
      if (call && piece?.function?.arguments) call.function.arguments += piece.function.arguments;
    }
    expect(reasoning).toBe(THOUGHT);
    expect(thinking).toBe(THOUGHT);
    expect(signature).toBe(reasoningSignature(THOUGHT));
    expect(call?.function).toEqual({ name: 'get_weather', arguments: '{"echo":"Rome weather"}' });

    const second = await client().chat.completions.create(secondTurn(call!, [{ type: 'thinking', thinking, signature }]));
    expect(second.choices[0]!.message.content).toBe('echo: sunny');
  });
});
