import { describe, expect, it } from 'vitest';
import { testDeployment } from '../../test-support/fixtures.ts';
import { cohereProvider } from './index.ts';

describe('Cohere descriptor', () => {
  it("resolves LiteLLM's environment variables and api_base meaning (the host root)", () => {
    expect(cohereProvider.resolveConnection({ model: 'cohere/command-r' }, { COHERE_API_KEY: 'co-env' }, 'm')).toMatchObject({
      apiBase: 'https://api.cohere.com',
      apiKey: 'co-env',
    });
    expect(cohereProvider.resolveConnection({ model: 'cohere/command-r' }, { COHERE_API_BASE: 'https://proxy.example/' }, 'm').apiBase).toBe(
      'https://proxy.example',
    );
  });

  it('probes for free through the model list, with the key, even given an api_base ending in /v1', () => {
    const probe = cohereProvider.healthProbe?.(testDeployment({ provider: 'cohere', apiBase: 'https://api.cohere.com/v1', apiKey: 'co-k' }));
    expect(probe).toMatchObject({ method: 'GET', url: 'https://api.cohere.com/v1/models?page_size=1', headers: { authorization: 'Bearer co-k' } });
  });

  it('serves chat, embeddings and rerank natively, under both LiteLLM prefixes', () => {
    expect(cohereProvider.serves).toEqual(['chat', 'completions', 'embeddings', 'rerank']);
    expect(typeof cohereProvider.rerankRequest).toBe('function');
    expect(cohereProvider.prefixes).toEqual(['cohere', 'cohere_chat']);
  });
});
