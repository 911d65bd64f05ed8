import { describe, expect, it } from 'vitest';
import { testCallContext, testDeployment, type TestCallOptions } from '../../test-support/fixtures.ts';
import type { Deployment } from '../types.ts';
import { AZURE_DEFAULT_API_VERSION, azureProvider, normaliseAzureBase } from './index.ts';

/** An Azure deployment: the shared test deployment with Azure's fields. */
const AZURE: Partial<Deployment> = {
  id: 'dep-az',
  modelName: 'gpt-4o',
  provider: 'azure',
  upstreamModel: 'gpt-4o-eu',
  apiBase: 'https://my-res.openai.azure.com',
  apiKey: 'az-key-123456',
  apiVersion: '2024-06-01',
  params: { model: 'azure/gpt-4o-eu' },
};

function request(body: Record<string, unknown>, options: TestCallOptions = {}) {
  const ctx = testCallContext(body, { ...options, deployment: { ...AZURE, ...options.deployment } });
  return azureProvider.endpoints[ctx.endpoint]!.buildRequest(ctx);
}

const messages = [{ role: 'user', content: 'hi' }];

describe('Azure OpenAI requests', () => {
  it('POSTs to the deployment URL with api-version in the query', () => {
    const req = request({ model: 'gpt-4o', messages });
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://my-res.openai.azure.com/openai/deployments/gpt-4o-eu/chat/completions?api-version=2024-06-01');
  });

  it("uses the endpoint's path", () => {
    expect(request({ prompt: 'x' }, { endpoint: 'completions' }).url).toContain('/openai/deployments/gpt-4o-eu/completions?');
    expect(request({ input: 'x' }, { endpoint: 'embeddings' }).url).toContain('/openai/deployments/gpt-4o-eu/embeddings?');
  });

  it('encodes the deployment name and falls back to the default api-version', () => {
    const req = request({ messages }, { deployment: { upstreamModel: 'my deployment', apiVersion: undefined } });
    expect(req.url).toBe(`https://my-res.openai.azure.com/openai/deployments/my%20deployment/chat/completions?api-version=${AZURE_DEFAULT_API_VERSION}`);
  });

  it('sends the key as api-key, not as Bearer', () => {
    expect(request({ messages }).headers).toEqual({ 'content-type': 'application/json', 'api-key': 'az-key-123456' });
  });

  it('sends azure_ad_token as Bearer when there is no key', () => {
    const headers = request({ messages }, { deployment: { apiKey: undefined, params: { model: 'azure/gpt-4o-eu', azure_ad_token: 'eyJ0eXAi' } } }).headers;
    expect(headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer eyJ0eXAi' });
  });

  it("adds the deployment's extra headers", () => {
    expect(request({ messages }, { deployment: { headers: { 'x-ms-useragent': 'gateway' } } }).headers['x-ms-useragent']).toBe('gateway');
  });

  it('leaves the model out of the body (the URL names the deployment)', () => {
    expect(JSON.parse(request({ model: 'gpt-4o', messages, temperature: 0 }).body!)).toEqual({ messages, temperature: 0 });
  });

  it('forces stream_options.include_usage on streams only', () => {
    expect(JSON.parse(request({ messages, stream: true }, { stream: true }).body!).stream_options).toEqual({ include_usage: true });
    expect(JSON.parse(request({ messages }).body!).stream_options).toBeUndefined();
  });

  it('probes health with GET /openai/models, without a content type', () => {
    expect(azureProvider.healthProbe!(testDeployment(AZURE))).toEqual({
      method: 'GET',
      url: 'https://my-res.openai.azure.com/openai/models?api-version=2024-06-01',
      headers: { 'api-key': 'az-key-123456' },
    });
  });
});

describe('normaliseAzureBase', () => {
  it('trims trailing slashes and a pasted /openai', () => {
    expect(normaliseAzureBase('https://r.openai.azure.com/')).toBe('https://r.openai.azure.com');
    expect(normaliseAzureBase('https://r.openai.azure.com/openai')).toBe('https://r.openai.azure.com');
    expect(normaliseAzureBase('https://r.openai.azure.com/openai/')).toBe('https://r.openai.azure.com');
    expect(normaliseAzureBase('https://openai.example.com')).toBe('https://openai.example.com');
  });
});
