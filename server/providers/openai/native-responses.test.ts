import { describe, expect, it } from 'vitest';
import { testDeployment } from '../../test-support/fixtures.ts';
import { azureProvider } from '../azure/index.ts';
import { servesNatively } from '../registry.ts';
import { openaiProvider } from './family.ts';
import { responsesDefaults } from './native-responses.ts';

describe('native Responses requests', () => {
  it('are served by OpenAI and Azure only', () => {
    expect(servesNatively('openai', 'responses')).toBe(true);
    expect(servesNatively('azure', 'responses')).toBe(true);
    for (const other of ['anthropic', 'groq', 'hosted_vllm', 'ollama']) expect(servesNatively(other, 'responses')).toBe(false);
  });

  it('go to OpenAI with the deployment model, its key, and its defaults under the request', () => {
    const deployment = testDeployment({
      upstreamModel: 'gpt-4o-2024-08-06',
      apiBase: 'https://api.openai.com/v1',
      apiKey: 'sk-dep',
      defaults: { temperature: 0.2, max_tokens: 50, stop: ['x'], reasoning_effort: 'low' },
      params: { model: 'openai/gpt-4o', organization: 'org-1' },
    });
    const req = openaiProvider.responsesRequest!(deployment, { model: 'gpt-4o', input: 'hi', temperature: 0.9 });
    expect(req.url).toBe('https://api.openai.com/v1/responses');
    expect(req.headers).toMatchObject({ authorization: 'Bearer sk-dep', 'openai-organization': 'org-1', 'content-type': 'application/json' });
    expect(JSON.parse(req.body!)).toEqual({ model: 'gpt-4o-2024-08-06', input: 'hi', temperature: 0.9, max_output_tokens: 50, reasoning: { effort: 'low' } });
  });

  it('go to Azure v1 API unless a Responses preview version is configured', () => {
    const deployment = testDeployment({
      provider: 'azure',
      upstreamModel: 'my-dep',
      apiBase: 'https://res.openai.azure.com',
      apiKey: 'az',
      apiVersion: '2024-10-21',
    });
    const v1 = azureProvider.responsesRequest!(deployment, { input: 'hi' });
    expect(v1.url).toBe('https://res.openai.azure.com/openai/v1/responses');
    expect(v1.headers['api-key']).toBe('az');
    expect(JSON.parse(v1.body!).model).toBe('my-dep');
    const preview = azureProvider.responsesRequest!({ ...deployment, apiVersion: '2025-04-01-preview' }, { input: 'hi' });
    expect(preview.url).toBe('https://res.openai.azure.com/openai/responses?api-version=2025-04-01-preview');
  });

  it('keep only the defaults the Responses API takes', () => {
    expect(responsesDefaults({ max_completion_tokens: 9, n: 2, seed: 1, top_p: 0.5 })).toEqual({ max_output_tokens: 9, top_p: 0.5 });
  });
});
