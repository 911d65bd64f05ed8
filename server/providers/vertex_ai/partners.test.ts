import { describe, expect, it } from 'vitest';
import { testDeployment } from '../../test-support/fixtures.ts';
import type { CallContext, Deployment } from '../types.ts';
import { vertexChatAdapter } from './chat.ts';
import { vertexProvider } from './index.ts';
import { buildVertexMistralRequest } from './partner-mistral.ts';
import { buildVertexOpenapiRequest } from './partner-openapi.ts';

const BASE = 'https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5';

const deployment = (upstreamModel: string, params: Record<string, unknown> = {}): Deployment =>
  testDeployment({ provider: 'vertex_ai', upstreamModel, apiBase: BASE, apiKey: 'ya29.t', params: { model: `vertex_ai/${upstreamModel}`, ...params } });

const ctx = (d: Deployment, body: Record<string, unknown>, stream = false): CallContext => ({ endpoint: 'chat', body, deployment: d, stream, requestId: 'r' });

const messages = [{ role: 'user', content: 'hi' }];

describe('Model Garden partner models on Vertex', () => {
  it('routes each family to its adapter: Claude, Mistral (with or without its publisher), MaaS publisher/model and endpoint ids, else Gemini', () => {
    const family = (model: string) => vertexChatAdapter(model).buildRequest(ctx(deployment(model), { messages })).url;
    expect(family('claude-sonnet-4-5')).toMatch(/publishers\/anthropic\/models\/claude-sonnet-4-5:rawPredict$/);
    expect(family('mistral-large@2407')).toMatch(/publishers\/mistralai\/models\/mistral-large@2407:rawPredict$/);
    expect(family('mistralai/codestral-2@001')).toMatch(/publishers\/mistralai\/models\/codestral-2@001:rawPredict$/);
    expect(family('meta/llama-3.1-405b-instruct-maas')).toMatch(/\/endpoints\/openapi\/chat\/completions$/);
    expect(family('openai/1234567890')).toMatch(/\/endpoints\/1234567890\/chat\/completions$/);
    expect(family('gemini-2.5-flash')).toMatch(/publishers\/google\/models\/gemini-2.5-flash:generateContent$/);
  });

  it('Llama MaaS: the v1beta1 openapi endpoint, the publisher/model name in the body, usage asked for in a stream', () => {
    const req = buildVertexOpenapiRequest(ctx(deployment('meta/llama-3.1-405b-instruct-maas'), { messages, stream: true }, true));
    expect(req.url).toBe('https://us-east5-aiplatform.googleapis.com/v1beta1/projects/p/locations/us-east5/endpoints/openapi/chat/completions');
    expect(JSON.parse(req.body ?? '')).toEqual({ model: 'meta/llama-3.1-405b-instruct-maas', messages, stream: true, stream_options: { include_usage: true } });
    expect(req.headers.authorization).toBeUndefined();
  });

  it('a deployed endpoint: its id in the URL, no model in the body; api_base is the endpoint URL when given', () => {
    const req = buildVertexOpenapiRequest(ctx(deployment('openai/5464397967697903616'), { messages }));
    expect(req.url).toBe(`${BASE}/endpoints/5464397967697903616/chat/completions`);
    expect(JSON.parse(req.body ?? '')).toEqual({ messages });
    const given = testDeployment({
      ...deployment('meta/llama-3.3-70b-instruct-maas'),
      apiBase: 'https://proxy.test/openapi',
      params: { model: 'x', api_base: 'https://proxy.test/openapi' },
    });
    expect(buildVertexOpenapiRequest(ctx(given, { messages })).url).toBe('https://proxy.test/openapi/chat/completions');
  });

  it('Mistral: :streamRawPredict with stream true, the model without its @version, max_tokens, no stream_options', () => {
    const req = buildVertexMistralRequest(
      ctx(deployment('mistral-large@2407'), { messages, stream: true, stream_options: { include_usage: true }, max_completion_tokens: 50 }, true),
    );
    expect(req.url).toBe(`${BASE}/publishers/mistralai/models/mistral-large@2407:streamRawPredict`);
    expect(JSON.parse(req.body ?? '')).toEqual({ model: 'mistral-large', messages, stream: true, max_tokens: 50 });
  });

  it('health probes: one-token chat calls at each family’s own URL', () => {
    const probe = (model: string) => vertexProvider.healthProbe?.(deployment(model));
    expect(probe('meta/llama-3.3-70b-instruct-maas')).toMatchObject({ url: expect.stringMatching(/v1beta1\/.*\/endpoints\/openapi\/chat\/completions$/) });
    expect(JSON.parse(probe('meta/llama-3.3-70b-instruct-maas')?.body ?? '')).toMatchObject({ model: 'meta/llama-3.3-70b-instruct-maas', max_tokens: 1 });
    expect(probe('codestral@2405')?.url).toBe(`${BASE}/publishers/mistralai/models/codestral@2405:rawPredict`);
    expect(JSON.parse(probe('codestral@2405')?.body ?? '')).toMatchObject({ model: 'codestral', max_tokens: 1 });
  });
});
