import { describe, expect, it } from 'vitest';
import { testCallContext, testDeployment } from '../../test-support/fixtures.ts';
import { vertexChat } from './chat.ts';
import { vertexProvider } from './index.ts';

const BASE = 'https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1';
const gemini = { provider: 'vertex_ai', upstreamModel: 'gemini-2.5-flash', apiBase: BASE, apiKey: 'ya29.t', params: { model: 'vertex_ai/gemini-2.5-flash' } };

describe('Gemini on Vertex', () => {
  it('posts the generateContent body to the publisher model, streams with alt=sse', () => {
    const body = {
      model: 'g',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
      max_tokens: 7,
    };
    const req = vertexChat.buildRequest(testCallContext(body, { deployment: gemini }));
    expect(req.url).toBe(`${BASE}/publishers/google/models/gemini-2.5-flash:generateContent`);
    expect(req.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(req.body ?? '')).toMatchObject({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
      generationConfig: { maxOutputTokens: 7 },
    });
    const streamed = vertexChat.buildRequest(testCallContext(body, { deployment: gemini, stream: true }));
    expect(streamed.url).toBe(`${BASE}/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse`);
  });

  it('appends the method to api_base, the model resource URL', () => {
    const d = {
      ...gemini,
      apiBase: 'https://proxy.test/v1/projects/p/locations/l/publishers/google/models/gemini-x',
      params: { model: 'vertex_ai/gemini-2.5-flash', api_base: 'https://proxy.test/v1/projects/p/locations/l/publishers/google/models/gemini-x' },
    };
    const req = vertexChat.buildRequest(testCallContext({ model: 'g', messages: [{ role: 'user', content: 'hi' }] }, { deployment: d }));
    expect(req.url).toBe('https://proxy.test/v1/projects/p/locations/l/publishers/google/models/gemini-x:generateContent');
  });

  it('probes health with countTokens (free) for Gemini and a one-token rawPredict for Claude', () => {
    expect(vertexProvider.healthProbe?.(testDeployment(gemini))).toMatchObject({ url: `${BASE}/publishers/google/models/gemini-2.5-flash:countTokens` });
    const claude = vertexProvider.healthProbe?.(testDeployment({ ...gemini, upstreamModel: 'claude-haiku-4-5' }));
    expect(claude?.url).toBe(`${BASE}/publishers/anthropic/models/claude-haiku-4-5:rawPredict`);
    expect(JSON.parse(claude?.body ?? '')).toMatchObject({ anthropic_version: 'vertex-2023-10-16', max_tokens: 1 });
  });
});
