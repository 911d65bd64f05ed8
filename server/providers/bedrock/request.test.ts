import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.ts';
import { thrownBy } from '../../test-support/fixtures.ts';
import { buildConverseRequest } from './request.ts';
import { bedrockCall } from './test-fixtures.ts';

const body = (req: { body?: string }) => JSON.parse(req.body ?? '{}') as Record<string, unknown>;

describe('buildConverseRequest', () => {
  it('posts a plain chat to the model’s converse URL, the model id’s colon escaped, with system apart', () => {
    const req = buildConverseRequest(
      bedrockCall({
        model: 'claude',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
        max_tokens: 50,
        temperature: 0.2,
        top_p: 0.9,
        stop: 'END',
      }),
    );
    expect(req.url).toBe('https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse');
    expect(req.headers).toMatchObject({ 'content-type': 'application/json', accept: 'application/json' });
    expect(req.headers.authorization).toBeUndefined();
    expect(body(req)).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      system: [{ text: 'Be brief.' }],
      inferenceConfig: { maxTokens: 50, temperature: 0.2, topP: 0.9, stopSequences: ['END'] },
    });
  });

  it('streams to converse-stream, and a cross-region profile id or converse/ route names the model as is', () => {
    const req = buildConverseRequest(
      bedrockCall({ messages: [{ role: 'user', content: 'Hi' }] }, { stream: true, deployment: { upstreamModel: 'converse/us.amazon.nova-micro-v1:0' } }),
    );
    expect(req.url).toBe('https://bedrock-runtime.us-east-1.amazonaws.com/model/us.amazon.nova-micro-v1%3A0/converse-stream');
    expect(req.headers.accept).toBe('application/vnd.amazon.eventstream');
  });

  it('sends tools and tool_choice, and a tool round trip as toolUse / toolResult blocks with the ids kept', () => {
    const req = buildConverseRequest(
      bedrockCall({
        messages: [
          { role: 'user', content: 'Weather?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'tooluse_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
          },
          { role: 'tool', tool_call_id: 'tooluse_1', content: 'sunny' },
        ],
        tools: [
          { type: 'function', function: { name: 'weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
        ],
        tool_choice: 'required',
      }),
    );
    expect(body(req)).toEqual({
      messages: [
        { role: 'user', content: [{ text: 'Weather?' }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_1', name: 'weather', input: { city: 'Paris' } } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_1', content: [{ text: 'sunny' }] } }] },
      ],
      toolConfig: {
        tools: [{ toolSpec: { name: 'weather', description: 'Weather', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } } } }],
        toolChoice: { any: {} },
      },
    });
  });

  it('takes images as base64 data URLs and refuses links', () => {
    const image = (url: string) =>
      bedrockCall({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What?' },
              { type: 'image_url', image_url: { url } },
            ],
          },
        ],
      });
    expect(body(buildConverseRequest(image('data:image/png;base64,iVBORw0KGgo=')))).toEqual({
      messages: [{ role: 'user', content: [{ text: 'What?' }, { image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } }] }],
    });
    expect(thrownBy(() => buildConverseRequest(image('https://example.com/cat.png')), GatewayError).status).toBe(400);
  });

  it('puts model-specific parameters in additionalModelRequestFields, and reasoning_effort as thinking for Claude', () => {
    const req = buildConverseRequest(
      bedrockCall({
        messages: [{ role: 'user', content: 'Hi' }],
        top_k: 5,
        reasoning_effort: 'low',
        guardrailConfig: { guardrailIdentifier: 'g1', guardrailVersion: '1' },
      }),
    );
    expect(body(req)).toMatchObject({
      additionalModelRequestFields: { top_k: 5, thinking: { type: 'enabled', budget_tokens: 1024 } },
      guardrailConfig: { guardrailIdentifier: 'g1', guardrailVersion: '1' },
    });
  });

  it('refuses an OpenAI parameter Converse lacks unless drop_params, and leaves neutral values out silently', () => {
    expect(
      thrownBy(() => buildConverseRequest(bedrockCall({ messages: [{ role: 'user', content: 'Hi' }], presence_penalty: 0.5 })), GatewayError),
    ).toMatchObject({
      status: 400,
      param: 'presence_penalty',
    });
    const dropped = buildConverseRequest(
      bedrockCall({ messages: [{ role: 'user', content: 'Hi' }], presence_penalty: 0.5, n: 1 }, { deployment: { dropParams: true } }),
    );
    expect(body(dropped)).toEqual({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
  });

  it('sends a Bedrock API key as a Bearer token', () => {
    const req = buildConverseRequest(bedrockCall({ messages: [{ role: 'user', content: 'Hi' }] }, { deployment: { apiKey: 'ABSK-key' } }));
    expect(req.headers.authorization).toBe('Bearer ABSK-key');
  });

  it('turns cache_control into cache points, in the system prompt too', () => {
    const req = buildConverseRequest(
      bedrockCall({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Long rules', cache_control: { type: 'ephemeral' } }] },
          { role: 'user', content: [{ type: 'text', text: 'Hi', cache_control: { type: 'ephemeral' } }] },
        ],
      }),
    );
    expect(body(req)).toEqual({
      system: [{ text: 'Long rules' }, { cachePoint: { type: 'default' } }],
      messages: [{ role: 'user', content: [{ text: 'Hi' }, { cachePoint: { type: 'default' } }] }],
    });
  });

  it('declares the tools a conversation used when the request offers none (Converse requires a toolConfig then)', () => {
    const req = buildConverseRequest(
      bedrockCall({
        messages: [
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'weather', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 't1', content: 'sunny' },
        ],
      }),
    );
    expect(body(req).toolConfig).toEqual({ tools: [{ toolSpec: { name: 'weather', inputSchema: { json: { type: 'object', properties: {} } } } }] });
  });
});
