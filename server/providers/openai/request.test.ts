import { describe, expect, it } from 'vitest';
import { testCallContext as ctx, testDeployment } from '../../test-support/fixtures.ts';
import type { CallContext } from '../types.ts';
import { getProvider } from '../registry.ts';
import { openaiBody, openaiModelsProbe, openaiRequest } from './request.ts';

const messages = [{ role: 'user', content: 'hi' }];
const sentBody = (c: CallContext) => JSON.parse(openaiRequest(c).body!) as Record<string, unknown>;

describe('openaiRequest', () => {
  it('POSTs to the endpoint path under api_base', () => {
    expect(openaiRequest(ctx({ messages })).url).toBe('https://api.openai.com/v1/chat/completions');
    expect(openaiRequest(ctx({ prompt: 'x' }, { endpoint: 'completions' })).url).toBe('https://api.openai.com/v1/completions');
    expect(openaiRequest(ctx({ input: 'x' }, { endpoint: 'embeddings', deployment: { apiBase: 'http://localhost:11434/v1' } })).url).toBe(
      'http://localhost:11434/v1/embeddings',
    );
    expect(openaiRequest(ctx({ messages })).method).toBe('POST');
  });

  it("replaces the client's model name with the upstream model and keeps every other field", () => {
    const body = sentBody(ctx({ model: 'gpt', messages, temperature: 0.3, seed: 7, top_k: 5 }));
    expect(body).toEqual({ model: 'gpt-4o-2024-08-06', messages, temperature: 0.3, seed: 7, top_k: 5 });
  });

  it('sends the key as Bearer, with JSON content type', () => {
    expect(openaiRequest(ctx({ messages })).headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer sk-test-1234' });
  });

  it('sends no authorization without a key (local servers)', () => {
    expect(openaiRequest(ctx({ messages }, { deployment: { apiKey: undefined } })).headers).toEqual({ 'content-type': 'application/json' });
  });

  it("adds the organization and the deployment's extra headers", () => {
    const headers = openaiRequest(
      ctx({ messages }, { deployment: { params: { model: 'openai/x', organization: 'org-42' }, headers: { 'X-Team': 'research' } } }),
    ).headers;
    expect(headers).toMatchObject({ 'openai-organization': 'org-42', 'X-Team': 'research', authorization: 'Bearer sk-test-1234' });
  });

  it("forces stream_options.include_usage on streams, keeping the client's other options", () => {
    expect(sentBody(ctx({ messages, stream: true }, { stream: true })).stream_options).toEqual({ include_usage: true });
    expect(sentBody(ctx({ messages, stream: true, stream_options: { include_usage: false, extra: 1 } }, { stream: true })).stream_options).toEqual({
      include_usage: true,
      extra: 1,
    });
    expect(sentBody(ctx({ prompt: 'x', stream: true }, { endpoint: 'completions', stream: true })).stream_options).toEqual({ include_usage: true });
  });

  it('leaves stream_options alone when not streaming', () => {
    expect(sentBody(ctx({ messages })).stream_options).toBeUndefined();
    expect(sentBody(ctx({ input: 'x' }, { endpoint: 'embeddings', stream: true })).stream_options).toBeUndefined();
  });

  it("does not change the context's body", () => {
    const c = ctx({ model: 'gpt', messages, stream: true }, { stream: true });
    openaiRequest(c);
    expect(c.body).toEqual({ model: 'gpt', messages, stream: true });
  });

  it('can leave the model out (Azure)', () => {
    expect(JSON.parse(openaiBody(ctx({ model: 'gpt', messages }), 'omit'))).toEqual({ messages });
  });
});

describe('openaiModelsProbe', () => {
  it('GETs /models with the key and no content type', () => {
    expect(openaiModelsProbe(testDeployment())).toEqual({
      method: 'GET',
      url: 'https://api.openai.com/v1/models',
      headers: { authorization: 'Bearer sk-test-1234' },
    });
  });
});

describe('the OpenAI-compatible family', () => {
  it('passes every endpoint through (no translation)', () => {
    const provider = getProvider('groq')!;
    expect(provider.id).toBe('groq');
    for (const endpoint of ['chat', 'completions', 'embeddings'] as const) {
      expect(provider.endpoints[endpoint]?.buildRequest).toBe(openaiRequest);
      expect(provider.endpoints[endpoint]?.translateResponse).toBeUndefined();
      expect(provider.endpoints[endpoint]?.createStreamTranslator).toBeUndefined();
    }
  });
});
