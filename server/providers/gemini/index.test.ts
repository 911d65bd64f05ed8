import { describe, expect, it } from 'vitest';
import { geminiProvider } from './index.ts';
import { geminiContext, geminiDeployment } from './transform/test-fixtures.ts';

const chat = geminiProvider.endpoints.chat!;
const embeddings = geminiProvider.endpoints.embeddings!;

describe('geminiProvider', () => {
  it('calls generateContent with the key in x-goog-api-key, and streamGenerateContent with alt=sse', () => {
    const plain = chat.buildRequest(geminiContext({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(plain.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent');
    expect(plain.headers).toEqual({ 'content-type': 'application/json', 'x-goog-api-key': 'AIza-test' });
    expect(JSON.parse(plain.body!)).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
    const streamed = chat.buildRequest(geminiContext({ messages: [{ role: 'user', content: 'hi' }], stream: true }, { stream: true }));
    expect(streamed.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(JSON.parse(streamed.body!)).not.toHaveProperty('stream');
  });

  it('applies the deployment headers last', () => {
    const req = chat.buildRequest(geminiContext({ messages: [] }, { deployment: { headers: { 'X-Goog-Api-Key': 'other', 'x-extra': '1' } } }));
    expect(req.headers).toMatchObject({ 'x-goog-api-key': 'other', 'x-extra': '1' });
  });

  it('embeds through batchEmbedContents, one request per input', () => {
    const ctx = {
      ...geminiContext({ input: ['a', 'b'], dimensions: 4 }, { deployment: { upstreamModel: 'text-embedding-004' } }),
      endpoint: 'embeddings' as const,
    };
    const req = embeddings.buildRequest(ctx);
    expect(req.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/text-embedding-004:batchEmbedContents');
    expect(JSON.parse(req.body!)).toEqual({
      requests: ['a', 'b'].map((text) => ({ model: 'models/text-embedding-004', content: { parts: [{ text }] }, outputDimensionality: 4 })),
    });
    expect(embeddings.translateResponse!({ embeddings: [{ values: [1, 2] }, { values: [3] }] }, ctx)).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [1, 2] },
        { object: 'embedding', index: 1, embedding: [3] },
      ],
      model: 'text-embedding-004',
    });
  });

  it('probes health by reading the model, which costs nothing', () => {
    expect(geminiProvider.healthProbe!(geminiDeployment())).toEqual({
      url: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash',
      method: 'GET',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'AIza-test' },
    });
  });

  it('reads api_base as the version root (a bare host gets /v1beta) and GEMINI_API_KEY', () => {
    expect(geminiProvider.resolveConnection({ model: 'gemini/x' }, { GEMINI_API_KEY: 'k' }, 'p')).toEqual({
      apiBase: 'https://generativelanguage.googleapis.com/v1beta',
      apiKey: 'k',
      apiVersion: undefined,
    });
    expect(geminiProvider.resolveConnection({ model: 'gemini/x', api_base: 'http://127.0.0.1:9/' }, {}, 'p').apiBase).toBe('http://127.0.0.1:9/v1beta');
    expect(geminiProvider.resolveConnection({ model: 'gemini/x', api_base: 'https://proxy.example/v1alpha' }, {}, 'p').apiBase).toBe(
      'https://proxy.example/v1alpha',
    );
  });
});
