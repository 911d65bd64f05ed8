import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.ts';
import { thrownBy } from '../../test-support/fixtures.ts';
import type { AwsEventStreamFrame, OpenAIChunk } from '../types.ts';
import { buildConverseRequest } from './request.ts';
import { translateConverseResponse } from './response.ts';
import { createConverseStreamTranslator } from './stream.ts';
import { RESPONSE_TOOL_NAME } from './structured-output.ts';
import { bedrockCall } from './test-fixtures.ts';

const sent = (req: { body?: string }) => JSON.parse(req.body ?? '{}') as Record<string, unknown>;
const messages = [{ role: 'user', content: 'Name a city' }];
const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
const jsonSchema = { type: 'json_schema', json_schema: { name: 'city', description: 'One city', schema, strict: true } };
const weatherTool = { type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: {} } } };
const answerTool = (inputSchema: unknown, description: string) => ({ toolSpec: { name: RESPONSE_TOOL_NAME, description, inputSchema: { json: inputSchema } } });
const CLAUDE_45 = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

const frame = (type: string, payload: unknown): AwsEventStreamFrame => ({
  headers: { ':message-type': 'event', ':event-type': type, ':content-type': 'application/json' },
  payload: Buffer.from(JSON.stringify(payload)),
});
const choiceOf = (chunk: OpenAIChunk) => (chunk.choices as { delta: Record<string, unknown>; finish_reason: string | null }[])[0];

describe('response_format on Bedrock Converse', () => {
  it('uses outputConfig.textFormat (the schema as a JSON string) on models that have structured outputs', () => {
    const body = sent(buildConverseRequest(bedrockCall({ messages, response_format: jsonSchema }, { deployment: { upstreamModel: CLAUDE_45 } })));
    expect(body.outputConfig).toEqual({
      textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: JSON.stringify(schema), name: 'city', description: 'One city' } } },
    });
    expect(body.toolConfig).toBeUndefined();
  });

  it('forces an answer tool with the schema elsewhere, and a permissive object schema for json_object', () => {
    const withSchema = sent(buildConverseRequest(bedrockCall({ messages, response_format: jsonSchema })));
    expect(withSchema.outputConfig).toBeUndefined();
    expect(withSchema.toolConfig).toEqual({ tools: [answerTool(schema, 'One city')], toolChoice: { tool: { name: RESPONSE_TOOL_NAME } } });
    const jsonObject = sent(
      buildConverseRequest(bedrockCall({ messages, response_format: { type: 'json_object' } }, { deployment: { upstreamModel: CLAUDE_45 } })),
    );
    expect(jsonObject.toolConfig).toEqual({
      tools: [answerTool({ type: 'object', additionalProperties: true }, 'Answer with a JSON object that follows the input schema.')],
      toolChoice: { tool: { name: RESPONSE_TOOL_NAME } },
    });
    expect(sent(buildConverseRequest(bedrockCall({ messages, response_format: { type: 'text' } }))).toolConfig).toBeUndefined();
  });

  it("offers the answer tool beside the client's tools: any of them must be called, a named choice is kept, none leaves the answer tool", () => {
    const config = (extra: Record<string, unknown>) =>
      sent(buildConverseRequest(bedrockCall({ messages, response_format: jsonSchema, tools: [weatherTool], ...extra }))).toolConfig as Record<string, unknown>;
    expect(config({}).toolChoice).toEqual({ any: {} });
    expect((config({}).tools as { toolSpec: { name: string } }[]).map((t) => t.toolSpec.name)).toEqual(['weather', RESPONSE_TOOL_NAME]);
    expect(config({ tool_choice: { type: 'function', function: { name: 'weather' } } }).toolChoice).toEqual({ tool: { name: 'weather' } });
    const none = config({ tool_choice: 'none' });
    expect((none.tools as { toolSpec: { name: string } }[]).map((t) => t.toolSpec.name)).toEqual([RESPONSE_TOOL_NAME]);
    expect(none.toolChoice).toEqual({ tool: { name: RESPONSE_TOOL_NAME } });
  });

  it('does not force the tool while extended thinking is on (Anthropic refuses that)', () => {
    const body = sent(buildConverseRequest(bedrockCall({ messages, response_format: jsonSchema, reasoning_effort: 'low' })));
    expect((body.toolConfig as Record<string, unknown>).toolChoice).toEqual({ auto: {} });
  });

  it('refuses a response_format it cannot read', () => {
    expect(thrownBy(() => buildConverseRequest(bedrockCall({ messages, response_format: { type: 'yaml' } })), GatewayError)).toMatchObject({
      status: 400,
      param: 'response_format',
    });
  });

  it("returns the answer tool's input as the content, finish_reason stop, and other tool calls as they are", () => {
    const answer = (content: unknown[]) =>
      (
        translateConverseResponse(
          { output: { message: { role: 'assistant', content } }, stopReason: 'tool_use', usage: { inputTokens: 1, outputTokens: 1 } },
          bedrockCall({ messages, response_format: jsonSchema }),
        ).choices as { message: Record<string, unknown>; finish_reason: string }[]
      )[0]!;
    const only = answer([{ toolUse: { toolUseId: 't1', name: RESPONSE_TOOL_NAME, input: { city: 'Rome' } } }]);
    expect(only.message.content).toBe('{"city":"Rome"}');
    expect(only.message.tool_calls).toBeUndefined();
    expect(only.finish_reason).toBe('stop');
    const tool = answer([{ toolUse: { toolUseId: 't2', name: 'weather', input: {} } }]);
    expect(tool.message.tool_calls).toEqual([{ id: 't2', type: 'function', function: { name: 'weather', arguments: '{}' } }]);
    expect(tool.finish_reason).toBe('tool_calls');
  });

  it("streams the answer tool's input JSON as content deltas, finish_reason stop", () => {
    const t = createConverseStreamTranslator(bedrockCall({ messages, response_format: { type: 'json_object' } }, { stream: true }));
    const chunks = [
      frame('messageStart', { role: 'assistant' }),
      frame('contentBlockStart', { contentBlockIndex: 0, start: { toolUse: { toolUseId: 't1', name: RESPONSE_TOOL_NAME } } }),
      frame('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: '{"city":' } } }),
      frame('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: '"Rome"}' } } }),
      frame('contentBlockStop', { contentBlockIndex: 0 }),
      frame('messageStop', { stopReason: 'tool_use' }),
    ].flatMap((f) => t.push(f));
    expect(chunks.map(choiceOf).slice(1)).toEqual([
      { index: 0, delta: { content: '{"city":' }, logprobs: null, finish_reason: null },
      { index: 0, delta: { content: '"Rome"}' }, logprobs: null, finish_reason: null },
      { index: 0, delta: {}, logprobs: null, finish_reason: 'stop' },
    ]);
  });
});
