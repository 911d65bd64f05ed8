/**
 * OpenAI's response_format on AWS Bedrock through a real gateway, driven by the official openai SDK, against the
 * framed mock's Converse (SigV4 checked): json_schema through Converse's native outputConfig.textFormat on a model
 * that has structured outputs (Claude Sonnet 4.5), and LiteLLM's forced answer tool elsewhere and for json_object —
 * whose input comes back as the message's content with finish_reason stop, also streamed — beside client tools too.
 */
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { withGatewayOnFramedMocks } from './support/gateway-per-file.ts';
import { AWS_TEST_CREDENTIALS } from './mock-providers/bedrock-sigv4.ts';
import type { FramedMockProviders, FramedRequest } from './mock-providers/framed-server.ts';
import type { TestGateway } from './support/gateway.ts';
import { expectValid } from './support/openapi.ts';
import { WEATHER_TOOL } from './support/provider-contract.ts';

const { accessKeyId, secretAccessKey } = AWS_TEST_CREDENTIALS;
const signed = `aws_access_key_id: ${accessKeyId}, aws_secret_access_key: "${secretAccessKey}", aws_region_name: us-east-1`;

const config = (url: string) => `
model_list:
  - model_name: sonnet-45
    litellm_params: { model: bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0, api_base: "${url}", ${signed} }
  - model_name: haiku-3
    litellm_params: { model: bedrock/anthropic.claude-3-haiku-20240307-v1:0, api_base: "${url}", ${signed} }
litellm_settings:
  num_retries: 0
general_settings:
  master_key: sk-1234
`;

const CITY_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, population: { type: 'integer' }, capital: { type: 'boolean' } },
  required: ['city', 'population', 'capital'],
  additionalProperties: false,
};
/** A schema the mock's answer tool fills (its tool input is `{"echo": <the user's text>}`). */
const ECHO_SCHEMA = { type: 'object', properties: { echo: { type: 'string' } }, required: ['echo'], additionalProperties: false };
const jsonSchema = (schema: object): OpenAI.ResponseFormatJSONSchema => ({
  type: 'json_schema',
  json_schema: { name: 'answer', description: 'The answer', schema: schema as Record<string, unknown>, strict: true },
});

let mock: FramedMockProviders;
let gw: TestGateway;

withGatewayOnFramedMocks(config, {}, {}, (started) => {
  ({ mock, gw } = started);
});

const client = () => gw.client('sk-1234');
const last = (): FramedRequest => mock.requests.at(-1)!;

async function streamed(params: OpenAI.ChatCompletionCreateParamsStreaming): Promise<{ content: string; finish: string | null; toolCalls: number }> {
  let content = '';
  let finish: string | null = null;
  let toolCalls = 0;
  for await (const chunk of await client().chat.completions.create(params)) {
    expectValid('CreateChatCompletionStreamResponse', chunk);
    const choice = chunk.choices[0];
    content += choice?.delta.content ?? '';
    toolCalls += choice?.delta.tool_calls?.length ?? 0;
    finish = choice?.finish_reason ?? finish;
  }
  return { content, finish, toolCalls };
}

describe('Bedrock response_format, native structured outputs', () => {
  it('sends json_schema as outputConfig.textFormat (schema as a JSON string) and answers its JSON as content', async () => {
    const res = await client().chat.completions.create({
      model: 'sonnet-45',
      messages: [{ role: 'user', content: 'Name a capital' }],
      response_format: jsonSchema(CITY_SCHEMA),
    });
    expectValid('CreateChatCompletionResponse', res);
    expect(last().body.outputConfig).toEqual({
      textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: JSON.stringify(CITY_SCHEMA), name: 'answer', description: 'The answer' } } },
    });
    expect(last().body.toolConfig).toBeUndefined();
    expect(JSON.parse(res.choices[0]!.message.content ?? '')).toEqual({ city: 'echo: Name a capital', population: 3, capital: true });
    expect(res.choices[0]!.finish_reason).toBe('stop');
  });

  it('streams the native JSON answer as content', async () => {
    const { content, finish } = await streamed({
      model: 'sonnet-45',
      stream: true,
      messages: [{ role: 'user', content: 'Name a capital' }],
      response_format: jsonSchema(CITY_SCHEMA),
    });
    expect(JSON.parse(content)).toEqual({ city: 'echo: Name a capital', population: 3, capital: true });
    expect(finish).toBe('stop');
  });
});

describe('Bedrock response_format through the answer tool', () => {
  it('forces the answer tool on a model without structured outputs and returns its input as content, finish_reason stop', async () => {
    const res = await client().chat.completions.create({
      model: 'haiku-3',
      messages: [{ role: 'user', content: 'Say hi' }],
      response_format: jsonSchema(ECHO_SCHEMA),
    });
    expectValid('CreateChatCompletionResponse', res);
    expect(last().body.outputConfig).toBeUndefined();
    expect(last().body.toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'json_tool_call', description: 'The answer', inputSchema: { json: ECHO_SCHEMA } } }],
      toolChoice: { tool: { name: 'json_tool_call' } },
    });
    expect(JSON.parse(res.choices[0]!.message.content ?? '')).toEqual({ echo: 'Say hi' });
    expect(res.choices[0]!.message.tool_calls).toBeUndefined();
    expect(res.choices[0]!.finish_reason).toBe('stop');
  });

  it('answers json_object through the tool with an open object schema, on every model, streamed as content deltas', async () => {
    const { content, finish, toolCalls } = await streamed({
      model: 'sonnet-45',
      stream: true,
      messages: [{ role: 'user', content: 'Say hi' }],
      response_format: { type: 'json_object' },
    });
    expect(last().body.toolConfig).toMatchObject({
      tools: [{ toolSpec: { name: 'json_tool_call', inputSchema: { json: { type: 'object', additionalProperties: true } } } }],
      toolChoice: { tool: { name: 'json_tool_call' } },
    });
    expect(JSON.parse(content)).toEqual({ echo: 'Say hi' });
    expect(toolCalls).toBe(0);
    expect(finish).toBe('stop');
  });

  it("offers the answer tool beside the client's tools, the model bound to call one of them", async () => {
    const res = await client().chat.completions.create({
      model: 'haiku-3',
      messages: [{ role: 'user', content: 'Paris weather' }],
      tools: [WEATHER_TOOL],
      response_format: jsonSchema(ECHO_SCHEMA),
    });
    expectValid('CreateChatCompletionResponse', res);
    const sentTools = (last().body.toolConfig as { tools: { toolSpec: { name: string } }[]; toolChoice: unknown }).tools.map((t) => t.toolSpec.name);
    expect(sentTools).toEqual(['get_weather', 'json_tool_call']);
    expect((last().body.toolConfig as { toolChoice: unknown }).toolChoice).toEqual({ any: {} });
    // The mock calls the first tool offered: the client's, which stays a tool call.
    expect((res.choices[0]!.message.tool_calls![0] as OpenAI.Chat.ChatCompletionMessageFunctionToolCall).function.name).toBe('get_weather');
    expect(res.choices[0]!.finish_reason).toBe('tool_calls');
  });
});
