import { describe, expect, it } from 'vitest';
import { gatewayErrorFrom } from '../../../test-support/fixtures.ts';
import { toGenerateContentBody } from './request.ts';
import { geminiContext } from './test-fixtures.ts';
import { toolCallId } from './tool-ids.ts';

const body = (b: Record<string, unknown>, deployment = {}) => toGenerateContentBody(geminiContext(b, { deployment }), 'Gemini');

describe('toGenerateContentBody', () => {
  it('puts system messages in systemInstruction and the turns in contents with Gemini roles', () => {
    expect(
      body({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello' },
          { role: 'developer', content: [{ type: 'text', text: 'No emoji.' }] },
          { role: 'user', content: 'Again' },
        ],
      }),
    ).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'No emoji.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello' }] },
        { role: 'user', parts: [{ text: 'Again' }] },
      ],
    });
  });

  it('maps OpenAI settings to generationConfig names', () => {
    const out = body({
      messages: [{ role: 'user', content: 'x' }],
      temperature: 0.2,
      top_p: 0.9,
      top_k: 5,
      max_tokens: 100,
      stop: 'END',
      n: 2,
      presence_penalty: 0.1,
      frequency_penalty: 0.3,
      seed: 7,
      user: 'u1',
      stream_options: { include_usage: true },
    });
    expect(out.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.9,
      topK: 5,
      maxOutputTokens: 100,
      stopSequences: ['END'],
      candidateCount: 2,
      presencePenalty: 0.1,
      frequencyPenalty: 0.3,
      seed: 7,
    });
    expect(out).not.toHaveProperty('user');
    expect(out).not.toHaveProperty('stream_options');
  });

  it('turns images into inlineData (data URLs) or fileData (other URLs)', () => {
    const out = body({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is it?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.webp' } },
          ],
        },
      ],
    });
    expect(out.contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'What is it?' },
          { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
          { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.webp' } },
        ],
      },
    ]);
  });

  it('declares function tools, maps tool_choice, and answers a call by the name its id points to', () => {
    const id = toolCallId('req-0:0', 0, { name: 'get_weather' }, 'c2lnbmF0dXJl');
    const out = body({
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: id, content: '18C' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather now',
            parameters: { type: 'object', properties: { city: { type: ['string', 'null'] } }, required: ['city'], additionalProperties: false },
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    expect(out.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather now',
            parameters: { type: 'object', properties: { city: { type: 'string', nullable: true } }, required: ['city'] },
          },
        ],
      },
    ]);
    expect(out.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
    expect(out.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2lnbmF0dXJl' }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { content: '18C' } } }] },
    ]);
  });

  it('answers parallel calls in one user turn, each result named by its own call', () => {
    const out = body({
      messages: [
        { role: 'user', content: 'both' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'first', arguments: '{}' } },
            { id: 'call_b', type: 'function', function: { name: 'second', arguments: '{"x":1}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_b', content: 'B' },
        { role: 'tool', tool_call_id: 'call_a', content: [{ type: 'text', text: 'A' }] },
      ],
    });
    expect(out.contents).toEqual([
      { role: 'user', parts: [{ text: 'both' }] },
      { role: 'model', parts: [{ functionCall: { name: 'first', args: {} } }, { functionCall: { name: 'second', args: { x: 1 } } }] },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'second', response: { content: 'B' } } }, { functionResponse: { name: 'first', response: { content: 'A' } } }],
      },
    ]);
  });

  it('refuses a tool result whose id names no earlier call', () => {
    const err = gatewayErrorFrom(() => body({ messages: [{ role: 'tool', tool_call_id: 'nope', content: 'x' }] }));
    expect(err.status).toBe(400);
    expect(err.param).toBe('messages[0].tool_call_id');
  });

  it('maps response_format json_schema to responseMimeType and responseSchema with $refs inlined', () => {
    const out = body({
      messages: [{ role: 'user', content: 'x' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'person',
          strict: true,
          schema: {
            type: 'object',
            properties: { pet: { $ref: '#/$defs/Pet' } },
            $defs: { Pet: { type: 'object', properties: { name: { type: 'string' } } } },
          },
        },
      },
    });
    expect(out.generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { pet: { type: 'object', properties: { name: { type: 'string' } } } } },
    });
    expect(body({ messages: [], response_format: { type: 'json_object' } }).generationConfig).toEqual({ responseMimeType: 'application/json' });
  });

  it('maps reasoning_effort to a thinking budget on 2.5 and a thinking level on 3', () => {
    expect(body({ messages: [], reasoning_effort: 'low' }).generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } });
    expect(body({ messages: [], reasoning_effort: 'none' }).generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 0 } });
    expect(body({ messages: [], reasoning_effort: 'high' }, { upstreamModel: 'gemini-3-pro-preview' }).generationConfig).toEqual({
      thinkingConfig: { thinkingLevel: 'high', includeThoughts: true },
    });
    expect(gatewayErrorFrom(() => body({ messages: [], reasoning_effort: 'max' })).param).toBe('reasoning_effort');
  });

  it('refuses an unsupported parameter unless drop_params, and leaves a neutral value out', () => {
    expect(gatewayErrorFrom(() => body({ messages: [], logit_bias: { '1': 2 } })).param).toBe('logit_bias');
    expect(body({ messages: [], logit_bias: { '1': 2 } }, { dropParams: true })).not.toHaveProperty('logit_bias');
    expect(body({ messages: [], logprobs: false })).not.toHaveProperty('logprobs');
  });

  it('passes Gemini-native fields through under their API names', () => {
    const out = body({
      messages: [],
      safety_settings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
      cachedContent: 'cachedContents/abc',
    });
    expect(out.safetySettings).toEqual([{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }]);
    expect(out.cachedContent).toBe('cachedContents/abc');
    expect(out).not.toHaveProperty('safety_settings');
  });
});
