/** The descriptors hold together: what each declares matches what its adapters and the price table do. */
import { describe, expect, it } from 'vitest';
import { loadPriceTable } from '../prices/price-table.ts';
import { testDeployment } from '../test-support/fixtures.ts';
import { authHeaders } from './auth.ts';
import { PROVIDERS, getProvider, providerOfPriceName, supportedProviders } from './registry.ts';

const GATEWAY_ENDPOINTS = ['chat', 'completions', 'embeddings'] as const;
/** Request fields that are the call itself, never a per-deployment default. */
const CALL_CONTENT = ['model', 'messages', 'prompt', 'input', 'stream'];

describe('the provider registry', () => {
  it('maps every prefix to its descriptor, the id being the first prefix', () => {
    for (const provider of PROVIDERS) {
      expect(provider.prefixes[0]).toBe(provider.id);
      for (const prefix of provider.prefixes) expect(getProvider(prefix)).toBe(provider);
    }
    expect(getProvider('text-completion-openai')?.id).toBe('openai');
    expect(getProvider('azure_text')?.id).toBe('azure');
    expect(getProvider('nosuch')).toBeUndefined();
  });

  it('no prefix is claimed twice, and the supported list is every prefix, sorted', () => {
    const prefixes = PROVIDERS.flatMap((p) => p.prefixes);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect(supportedProviders()).toEqual([...prefixes].sort());
  });

  it('every price-table name is one the bundled table uses, and resolves to its provider', () => {
    const used = new Set([...loadPriceTable().values()].map((entry) => entry.litellm_provider));
    for (const provider of PROVIDERS) {
      for (const name of provider.litellmProviders) {
        expect(used.has(name), `${provider.id}: ${name}`).toBe(true);
        expect(providerOfPriceName(name)).toBe(provider);
      }
    }
  });
});

describe.each(PROVIDERS.map((p) => [p.id, p] as const))('descriptor %s', (_id, provider) => {
  it('serves exactly the gateway endpoints its adapters offer (completions also through chat)', () => {
    for (const endpoint of GATEWAY_ENDPOINTS) {
      const offered = provider.endpoints[endpoint] !== undefined || (endpoint === 'completions' && provider.endpoints.chat !== undefined);
      expect(provider.serves.includes(endpoint), endpoint).toBe(offered);
    }
  });

  it('keeps settings, accepted request parameters and unsupported parameters apart', () => {
    const accepted = provider.requestParams.accepted;
    for (const key of accepted) {
      expect(provider.settings, key).not.toContain(key);
      expect(CALL_CONTENT, key).not.toContain(key);
      expect(Object.hasOwn(provider.requestParams.unsupported ?? {}, key), key).toBe(false);
    }
    expect(new Set(accepted).size).toBe(accepted.length);
  });

  it('asks the dashboard for a base URL exactly when it has none, and for a key only when it authenticates', () => {
    if (provider.form.apiBase !== 'hidden') expect(provider.form.apiBase === 'required').toBe(provider.defaults.apiBase === undefined);
    expect(provider.form.apiKey === 'hidden').toBe(provider.auth.kind === 'none');
    expect(provider.form.apiVersion === 'hidden').toBe(provider.defaults.apiVersionEnv.length === 0);
  });

  it('resolves its defaults with no litellm_params but the model and an api_base where one is needed', () => {
    const params = {
      model: `${provider.id}/m`,
      ...(provider.form.apiBase === 'required' ? { api_base: 'http://upstream.test:8000/v1/' } : {}),
      // A service-account provider (Vertex AI) also needs the cloud project its URL names.
      ...(provider.auth.kind === 'service-account-token' ? { vertex_project: 'test-project' } : {}),
    };
    const connection = provider.resolveConnection(params, {}, 'model_list[0].litellm_params');
    expect(connection.apiBase).not.toMatch(/\/$/);
    if (provider.defaults.apiBase) expect(connection.apiBase.startsWith(provider.defaults.apiBase.replace(/\/v1$/, ''))).toBe(true);
  });

  it('sends the key the way its auth says', () => {
    const d = testDeployment({ provider: provider.id, apiKey: 'sk-key-1234' });
    if (provider.auth.kind === 'bearer') expect(authHeaders(provider.auth, d)).toEqual({ authorization: 'Bearer sk-key-1234' });
    else if (provider.auth.kind === 'header') expect(authHeaders(provider.auth, d)).toEqual({ [provider.auth.header]: 'sk-key-1234' });
    // SigV4 and service-account tokens are added when the request is sent (authorizeRequest), not by authHeaders.
    else expect(['none', 'sigv4', 'service-account-token']).toContain(provider.auth.kind);
    // What the adapter builds carries the same credential.
    const probe = provider.healthProbe?.(d);
    if (probe && provider.auth.kind === 'bearer') expect(probe.headers.authorization).toBe('Bearer sk-key-1234');
    if (probe && provider.auth.kind === 'header') expect(probe.headers[provider.auth.header]).toBe('sk-key-1234');
  });
});
