import { describe, expect, it } from 'vitest';
import { gatewayErrorFrom, testCallContext } from '../../test-support/fixtures.ts';
import { buildCohereEmbedRequest } from './embed.ts';
import { cohereRerankRequest } from './rerank.ts';
import { buildCohereChatRequest } from './request.ts';

const deployment = { provider: 'cohere', upstreamModel: 'command-a-03-2025', apiBase: 'https://api.cohere.com', apiKey: 'co-key-1' };
const ctx = (body: Record<string, unknown>, options: { stream?: boolean; dropParams?: boolean } = {}) =>
  testCallContext(body, { stream: options.stream ?? false, deployment: { ...deployment, dropParams: options.dropParams ?? false } });
const sent = (body: Record<string, unknown>, options?: { stream?: boolean; dropParams?: boolean }) => {
  const req = buildCohereChatRequest(ctx(body, options));
  return { req, body: JSON.parse(req.body ?? '{}') as Record<string, unknown> };
};

describe('Cohere v2 chat request', () => {
  it('posts to /v2/chat with a Bearer key, the upstream model and the messages in Cohere roles', () => {
    const { req, body } = sent({
      model: 'my-command',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAA' } },
          ],
        },
      ],
    });
    expect(req.url).toBe('https://api.cohere.com/v2/chat');
    expect(req.headers.authorization).toBe('Bearer co-key-1');
    expect(body).toEqual({
      model: 'command-a-03-2025',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAA' } },
          ],
        },
      ],
    });
  });

  it("maps OpenAI's parameters to Cohere's names and asks for a stream", () => {
    const { body } = sent(
      {
        messages: [{ role: 'user', content: 'hi' }],
        temperature: 0.2,
        top_p: 0.9,
        top_k: 5,
        max_completion_tokens: 50,
        stop: '\n\n',
        seed: 7,
        frequency_penalty: 0.1,
        presence_penalty: 0.3,
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
        user: 'u1',
        n: 1,
        stream_options: { include_usage: true },
        safety_mode: 'STRICT',
      },
      { stream: true },
    );
    expect(body).toMatchObject({
      temperature: 0.2,
      p: 0.9,
      k: 5,
      max_tokens: 50,
      stop_sequences: ['\n\n'],
      seed: 7,
      frequency_penalty: 0.1,
      presence_penalty: 0.3,
      response_format: { type: 'json_object', json_schema: { type: 'object' } },
      safety_mode: 'STRICT',
      stream: true,
    });
    for (const gone of ['top_p', 'top_k', 'user', 'n', 'stream_options', 'max_completion_tokens', 'stop']) expect(body).not.toHaveProperty(gone);
  });

  it('sends tools, tool calls with their ids, and tool results by tool_call_id', () => {
    const { body } = sent({
      messages: [
        { role: 'user', content: 'weather in Paris?' },
        {
          role: 'assistant',
          content: 'I will look it up.',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
        },
      ],
      tool_choice: 'required',
    });
    expect(body.messages).toEqual([
      { role: 'user', content: 'weather in Paris?' },
      {
        role: 'assistant',
        tool_plan: 'I will look it up.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
    ]);
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
    ]);
    expect(body.tool_choice).toBe('REQUIRED');
  });

  it('refuses what Cohere cannot take unless drop_params, leaving neutral values out silently', () => {
    expect(gatewayErrorFrom(() => sent({ messages: [{ role: 'user', content: 'x' }], n: 2 })).param).toBe('n');
    expect(sent({ messages: [{ role: 'user', content: 'x' }], n: 2 }, { dropParams: true }).body).not.toHaveProperty('n');
    const named = {
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ type: 'function', function: { name: 'f' } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
    };
    expect(gatewayErrorFrom(() => sent(named)).param).toBe('tool_choice');
    expect(sent(named, { dropParams: true }).body).not.toHaveProperty('tool_choice');
  });
});

describe('Cohere embed and rerank requests', () => {
  it('embeds texts as search documents in float', () => {
    const req = buildCohereEmbedRequest({ ...ctx({ input: ['a', 'b'], dimensions: 256, encoding_format: 'base64' }), endpoint: 'embeddings' });
    expect(req.url).toBe('https://api.cohere.com/v2/embed');
    expect(JSON.parse(req.body ?? '')).toEqual({
      model: 'command-a-03-2025',
      texts: ['a', 'b'],
      input_type: 'search_document',
      embedding_types: ['float'],
      output_dimension: 256,
    });
  });

  it('flattens {text} documents for Rerank v2 and keeps top_n and max_tokens_per_doc', () => {
    const req = cohereRerankRequest(ctx({}).deployment, {
      query: 'q',
      documents: ['one', { text: 'two' }],
      top_n: 1,
      max_tokens_per_doc: 512,
      return_documents: true,
    });
    expect(req.url).toBe('https://api.cohere.com/v2/rerank');
    expect(JSON.parse(req.body ?? '')).toEqual({ model: 'command-a-03-2025', query: 'q', documents: ['one', 'two'], top_n: 1, max_tokens_per_doc: 512 });
  });
});
