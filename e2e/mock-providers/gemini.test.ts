import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sseJson } from '../support/sse.ts';
import { GEMINI_INVALID_KEY } from './gemini-studio.ts';
import type { MockProviders } from './index.ts';
import { mockEmbedding, startMockProviders } from './index.ts';

let mock: MockProviders;
beforeAll(async () => {
  mock = await startMockProviders();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

function post(path: string, body: unknown, key: string | null = 'AIza-test') {
  return fetch(`${mock.url}/v1beta/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === null ? {} : { 'x-goog-api-key': key }) },
    body: JSON.stringify(body),
  });
}

const request = {
  systemInstruction: { parts: [{ text: 'Be brief.' }] },
  contents: [{ role: 'user', parts: [{ text: 'hello world' }] }],
};

interface GenerateContent {
  candidates: { content: { role: string; parts: unknown[] } }[];
}

describe('mock Gemini (AI Studio)', () => {
  it('answers generateContent with the echo and usageMetadata, and records the request', async () => {
    const res = await post('models/gemini-2.5-flash:generateContent', request);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      candidates: [{ content: { role: 'model', parts: [{ text: 'echo: hello world' }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 3, totalTokenCount: 7 },
      modelVersion: 'gemini-2.5-flash',
    });
    expect(mock.requests).toMatchObject([{ method: 'POST', path: '/v1beta/models/gemini-2.5-flash:generateContent', model: 'gemini-2.5-flash', status: 200 }]);
  });

  it('streams with alt=sse, usageMetadata cumulative and finishReason on the last event', async () => {
    const res = await post('models/m:streamGenerateContent?alt=sse', request);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = sseJson(await res.text()) as {
      candidates: { content: { parts: { text: string }[] }; finishReason?: string }[];
      usageMetadata: { candidatesTokenCount: number };
    }[];
    expect(events.map((e) => e.candidates[0]?.content.parts[0]?.text).join('')).toBe('echo: hello world');
    expect(events.map((e) => e.usageMetadata.candidatesTokenCount)).toEqual([1, 2, 3]);
    expect(events.at(-1)?.candidates[0]?.finishReason).toBe('STOP');
  });

  it('calls the first declared function, and echoes the function response afterwards', async () => {
    const tools = [{ functionDeclarations: [{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }] }];
    const call = (await (await post('models/m:generateContent', { ...request, tools })).json()) as GenerateContent;
    expect(call.candidates[0]!.content.parts).toEqual([{ functionCall: { name: 'lookup', args: { echo: 'hello world' } } }]);
    const after = (await (
      await post('models/m:generateContent', {
        tools,
        contents: [
          ...request.contents,
          call.candidates[0]!.content,
          { role: 'user', parts: [{ functionResponse: { name: 'lookup', response: { content: 'found it' } } }] },
        ],
      })
    ).json()) as GenerateContent;
    expect(after.candidates[0]!.content.parts).toEqual([{ text: 'echo: found it' }]);
  });

  it('refuses a field the API does not know, as Google does', async () => {
    const res = await post('models/m:generateContent', { ...request, temperature: 0.1 });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 400, status: 'INVALID_ARGUMENT', message: expect.stringContaining('Unknown name "temperature"') },
    });
  });

  it('answers missing and wrong keys as Google does', async () => {
    expect((await post('models/m:generateContent', request, null)).status).toBe(403);
    const wrong = await post('models/m:generateContent', request, GEMINI_INVALID_KEY);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { details: [{ reason: 'API_KEY_INVALID' }] } });
  });

  it('plays the failure markers in Google error shapes', async () => {
    const limited = await post('models/m-error-429:generateContent', request);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: { status: 'RESOURCE_EXHAUSTED', details: [{ retryDelay: '7s' }] } });
    expect((await post('models/m-error-500:generateContent', request)).status).toBe(500);
    expect(await (await post('models/m-context-overflow:generateContent', request)).json()).toMatchObject({ error: { status: 'INVALID_ARGUMENT' } });
    expect(await (await post('models/m-content-policy:generateContent', request)).json()).toMatchObject({ promptFeedback: { blockReason: 'SAFETY' } });
  });

  it('embeds a batch, one embedding per request', async () => {
    const res = await post('models/text-embedding-004:batchEmbedContents', {
      requests: ['a b', 'c'].map((text) => ({ model: 'models/text-embedding-004', content: { parts: [{ text }] } })),
    });
    expect(await res.json()).toEqual({ embeddings: [{ values: mockEmbedding('a b', 8) }, { values: mockEmbedding('c', 8) }] });
  });

  it('describes a model for free (GET)', async () => {
    const res = await fetch(`${mock.url}/v1beta/models/gemini-2.5-flash`, { headers: { 'x-goog-api-key': 'k' } });
    expect(await res.json()).toMatchObject({ name: 'models/gemini-2.5-flash', inputTokenLimit: 1048576 });
  });
});
