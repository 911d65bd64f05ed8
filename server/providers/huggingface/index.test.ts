import { describe, expect, it } from 'vitest';
import { testCallContext, thrownBy } from '../../test-support/fixtures.ts';
import { DeploymentError } from '../deployment-error.ts';
import { buildEmbedRequest, translateEmbed } from './embeddings.ts';
import { huggingfaceProvider } from './index.ts';
import { createMessagesStreamTranslator } from './messages-api.ts';
import { modeOf } from './mode.ts';

const chat = huggingfaceProvider.endpoints.chat!;
const router = {
  provider: 'huggingface',
  upstreamModel: 'meta-llama/Llama-3.1-8B-Instruct',
  apiBase: 'https://router.huggingface.co/v1',
  apiKey: 'hf_t',
  params: { model: 'x' },
};

describe('huggingface connection', () => {
  it('defaults to the router; HUGGINGFACE_API_KEY, then HF_TOKEN', () => {
    expect(huggingfaceProvider.resolveConnection({ model: 'huggingface/m' }, { HF_TOKEN: 'hf_b' }, 'p')).toEqual({
      apiBase: 'https://router.huggingface.co/v1',
      apiKey: 'hf_b',
      apiVersion: undefined,
    });
    expect(huggingfaceProvider.resolveConnection({ model: 'huggingface/m' }, { HF_TOKEN: 'b', HUGGINGFACE_API_KEY: 'a' }, 'p').apiKey).toBe('a');
  });

  it('the legacy API needs an endpoint URL; a malformed template is refused at load', () => {
    const legacy = thrownBy(() => huggingfaceProvider.resolveConnection({ model: 'huggingface/text-generation-inference/m' }, {}, 'p'), DeploymentError);
    expect(legacy.path).toBe('p.api_base');
    const bad = thrownBy(() => huggingfaceProvider.resolveConnection({ model: 'huggingface/m', api_base: 'http://e', roles: 'x' }, {}, 'p'), DeploymentError);
    expect(bad.path).toBe('p.roles');
  });

  it('mode: Messages API unless text-generation-inference/ or a custom template', () => {
    expect(modeOf({ upstreamModel: 'm', params: { model: 'x' } })).toBe('messages');
    expect(modeOf({ upstreamModel: 'text-generation-inference/m', params: { model: 'x' } })).toBe('generate');
    expect(modeOf({ upstreamModel: 'm', params: { model: 'x', bos_token: '<s>' } })).toBe('generate');
  });
});

describe('Messages API chat', () => {
  it('the router: OpenAI body with the Hub id, usage asked on streams', () => {
    const req = chat.buildRequest(testCallContext({ model: 'alias', messages: [], stream: true }, { stream: true, deployment: router }));
    expect(req.url).toBe('https://router.huggingface.co/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer hf_t');
    expect(JSON.parse(req.body ?? '')).toEqual({
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      messages: [],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('an endpoint URL gets /v1/chat/completions', () => {
    const req = chat.buildRequest(testCallContext({ messages: [] }, { deployment: { ...router, apiBase: 'https://x.endpoints.huggingface.cloud' } }));
    expect(req.url).toBe('https://x.endpoints.huggingface.cloud/v1/chat/completions');
  });

  it('stream chunks pass as they are; [DONE] is dropped; an error event throws', () => {
    const t = createMessagesStreamTranslator();
    expect(t.push({ data: '{"id":"a","choices":[]}' })).toEqual([{ id: 'a', choices: [] }]);
    expect(t.push({ data: '[DONE]' })).toEqual([]);
    expect(() => t.push({ data: '{"error":{"message":"boom"}}' })).toThrow(/boom/);
  });
});

describe('embeddings', () => {
  it('TEI /embed on an endpoint, the feature-extraction pipeline on the router', () => {
    const endpoint = buildEmbedRequest(
      testCallContext({ model: 'e', input: 'hi' }, { endpoint: 'embeddings', deployment: { ...router, apiBase: 'http://tei:80' } }),
    );
    expect([endpoint.url, JSON.parse(endpoint.body ?? '')]).toEqual(['http://tei:80/embed', { inputs: ['hi'] }]);
    const serverless = buildEmbedRequest(testCallContext({ model: 'e', input: ['a', 'b'] }, { endpoint: 'embeddings', deployment: router }));
    expect(serverless.url).toBe('https://router.huggingface.co/hf-inference/models/meta-llama/Llama-3.1-8B-Instruct/pipeline/feature-extraction');
  });

  it('vectors → an OpenAI list, base64 when asked; token arrays are refused', () => {
    const ctx = testCallContext({ input: 'a', encoding_format: 'base64' }, { endpoint: 'embeddings', deployment: router });
    const body = translateEmbed([[0.5, -1]], ctx) as { data: { embedding: string }[] };
    expect(Buffer.from(body.data[0]?.embedding ?? '', 'base64')).toEqual(Buffer.from(new Float32Array([0.5, -1]).buffer));
    expect(translateEmbed([0.25], testCallContext({ input: 'a' }, { endpoint: 'embeddings', deployment: router }))).toMatchObject({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.25] }],
    });
    expect(() => buildEmbedRequest(testCallContext({ input: [[1, 2]] }, { endpoint: 'embeddings', deployment: router }))).toThrow(/text input/);
  });
});
