import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROVIDERS_DOC_PATH, providersDoc } from '../../scripts/docs-providers.ts';
import type { ProviderInfo } from '../core/provider-info.ts';
import { providerInfo } from './provider-info.ts';
import { renderProvidersDoc } from './providers-doc.ts';
import { PROVIDERS, getProvider } from './registry.ts';

describe('docs/providers.md', () => {
  it('is what `npm run docs:providers` writes from the descriptors', () => {
    expect(readFileSync(PROVIDERS_DOC_PATH, 'utf8'), 'docs/providers.md is out of date: run `npm run docs:providers`').toBe(providersDoc());
  });

  it("has one table row and one section per provider, in the registry's order", () => {
    const doc = providersDoc();
    const rows = doc.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Provider'));
    expect(rows.map((row) => row.split(' | ')[0]!.slice(2))).toEqual(PROVIDERS.map((p) => p.label));
    expect([...doc.matchAll(/^### .* \(`(.+)`\)$/gm)].map((m) => m[1])).toEqual(PROVIDERS.map((p) => p.id));
  });
});

describe('renderProvidersDoc', () => {
  const openai = providerInfo(getProvider('openai')!);
  const vertex: ProviderInfo = {
    ...openai,
    endpoints: ['chat', 'completions', 'embeddings'],
    id: 'vertex_ai',
    label: 'Vertex AI',
    prefixes: ['vertex_ai'],
    default_api_base: null,
    env: { api_base: [], api_key: [], api_version: [] },
    auth: { kind: 'service-account-token' },
    stream_framing: 'sse',
    settings: ['vertex_credentials', 'vertex_project'],
    request_params: [...openai.request_params, 'safety_settings'],
    form: { ...openai.form, api_base: 'required' },
  };

  it('says where base URL and key come from, what is never sent, and what is a default', () => {
    const doc = renderProvidersDoc([openai, vertex], ['rpm', 'timeout']);
    expect(doc).toContain(
      '| OpenAI | `openai/`, `text-completion-openai/` | chat, completions, embeddings, responses | `https://api.openai.com/v1` | `OPENAI_API_KEY` | `Authorization: Bearer` | SSE |',
    );
    expect(doc).toContain(
      '| Vertex AI | `vertex_ai/` | chat, completions, embeddings | required | `api_key` only | OAuth token from a service account | SSE |',
    );
    expect(doc).toContain('- Base URL: `api_base` (or `base_url`), else `OPENAI_API_BASE`, `OPENAI_BASE_URL`, else `https://api.openai.com/v1`.');
    expect(doc).toContain('- Its settings (read by the gateway, never sent upstream): `vertex_credentials`, `vertex_project`.');
    expect(doc).toContain('- Request parameters (a litellm_params default for every request): those of OpenAI (above), plus `safety_settings`.');
    expect(doc).toContain('whatever the provider: `rpm`, `timeout`. They are never sent upstream.');
  });
});
