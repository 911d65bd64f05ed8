/** Keyless local servers on the mock: `/local/v1/…` (OpenAI-compatible) and Hugging Face endpoints named `local`. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectValid } from '../support/openapi.ts';
import type { MockProviders } from './index.ts';
import { startMockProviders } from './index.ts';

let mock: MockProviders;
beforeAll(async () => {
  mock = await startMockProviders();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const messages = [{ role: 'user', content: 'hello world' }];

function postWithoutKey(path: string, body: unknown) {
  return fetch(`${mock.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('a local OpenAI-compatible server (vLLM without --api-key, Ollama, LM Studio)', () => {
  it('answers /local/v1/… without a token, recording the path as called', async () => {
    const res = await postWithoutKey('/local/v1/chat/completions', { model: 'facebook/opt-125m', messages });
    expect(res.status).toBe(200);
    const body = await res.json();
    expectValid('CreateChatCompletionResponse', body);
    expect(body).toMatchObject({ choices: [{ message: { content: 'echo: hello world' } }] });
    expect(mock.requests).toMatchObject([{ path: '/local/v1/chat/completions', protocol: 'openai', model: 'facebook/opt-125m', status: 200 }]);

    expect((await postWithoutKey('/local/v1/embeddings', { model: 'e', input: 'a' })).status).toBe(200);
    expect((await postWithoutKey('/local/v1/completions', { model: 'c', prompt: 'a' })).status).toBe(200);
    const models = await fetch(`${mock.localOpenaiBaseUrl}/models`);
    expect(models.status).toBe(200);
    expectValid('ListModelsResponse', await models.json());
  });

  it('still plays the failure markers, and the hosted /v1/… still wants a token', async () => {
    expect((await postWithoutKey('/local/v1/chat/completions', { model: 'm-error-500', messages })).status).toBe(500);
    expect((await postWithoutKey('/v1/chat/completions', { model: 'm', messages })).status).toBe(401);
    // Only OpenAI's surface has a keyless twin: Anthropic's path under /local/ is no route.
    expect((await postWithoutKey('/local/v1/messages', { model: 'claude', messages, max_tokens: 5 })).status).toBe(404);
  });
});

describe('a local Hugging Face TGI (an endpoint named local)', () => {
  it('answers without a token when the endpoint name has the token `local`', async () => {
    const res = await postWithoutKey('/huggingface/local-tgi/generate', { inputs: 'hello world' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ generated_text: 'echo: hello world' });
    const chat = await postWithoutKey('/huggingface/local-tgi/v1/chat/completions', { model: 'tgi', messages });
    expect(chat.status).toBe(200);
  });

  it('wants a token from any other endpoint, `local` inside a word included', async () => {
    expect((await postWithoutKey('/huggingface/my-local/generate', { inputs: 'a' })).status).toBe(200);
    expect((await postWithoutKey('/huggingface/starcoder/generate', { inputs: 'a' })).status).toBe(401);
    expect((await postWithoutKey('/huggingface/localhost/generate', { inputs: 'a' })).status).toBe(401);
    expect((await postWithoutKey('/huggingface/nonlocal-tgi/generate', { inputs: 'a' })).status).toBe(401);
  });
});
