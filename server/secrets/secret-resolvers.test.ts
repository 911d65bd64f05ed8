import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { MemorySecretStore } from './memory-store.ts';
import { secretResolvers } from './secret-resolvers.ts';
import type { SecretStore } from './secret-store.ts';

const CONFIG = `
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: keychain/OPENAI_API_KEY
  - model_name: claude
    litellm_params:
      model: anthropic/claude-sonnet-4-5
      api_key: os.environ/ANTHROPIC_API_KEY
  - model_name: groq
    litellm_params:
      model: groq/llama-3.1-8b-instant
      api_key: keychain/GROQ_API_KEY
general_settings:
  master_key: keychain/master.key
`;

describe('secretResolvers', () => {
  const store = new MemorySecretStore({ OPENAI_API_KEY: 'sk-openai-0123456789', 'master.key': 'sk-master-0123456789' });

  it('resolves keychain/NAME through the store, beside os.environ/VAR, keeping references in raw', () => {
    const loaded = parseConfig(CONFIG, 'config.yaml', { env: { ANTHROPIC_API_KEY: 'sk-ant-0123456789' }, resolvers: secretResolvers(store) });
    expect(loaded.resolved.model_list[0]!.litellm_params.api_key).toBe('sk-openai-0123456789');
    expect(loaded.resolved.model_list[1]!.litellm_params.api_key).toBe('sk-ant-0123456789');
    expect(loaded.resolved.general_settings.master_key).toBe('sk-master-0123456789');
    // The raw config (what export and write-back use) keeps the references, never the values.
    expect(loaded.raw.model_list[0]!.litellm_params.api_key).toBe('keychain/OPENAI_API_KEY');
    expect(JSON.stringify(loaded.raw)).not.toContain('sk-openai');
  });

  it('warns about a secret that is not set, without failing the load', () => {
    const loaded = parseConfig(CONFIG, 'config.yaml', { env: {}, resolvers: secretResolvers(store) });
    expect(loaded.resolved.model_list[2]!.litellm_params.api_key).toBeUndefined();
    expect(loaded.warnings).toContain(
      'config.yaml: model_list[2].litellm_params.api_key refers to `keychain/GROQ_API_KEY`, which was not found; the value is left empty',
    );
  });

  it('treats a name no secret can have as not found', () => {
    const loaded = parseConfig('model_list: [{ model_name: a, litellm_params: { model: mock/echo, api_key: "keychain/has space" } }]', 'config.yaml', {
      env: {},
      resolvers: secretResolvers(store),
    });
    expect(loaded.warnings.some((w) => w.includes('`keychain/has space`, which was not found'))).toBe(true);
  });

  it('lets a store failure (locked keychain) stop the load instead of leaving keys empty', () => {
    const locked: SecretStore = {
      backend: 'keychain',
      weakerProtection: false,
      get: () => {
        throw new Error('OS keychain: could not read secret `OPENAI_API_KEY`: the collection is locked');
      },
      set: () => undefined,
      delete: () => false,
      list: () => [],
    };
    expect(() => parseConfig(CONFIG, 'config.yaml', { env: {}, resolvers: secretResolvers(locked) })).toThrow(/collection is locked/);
  });
});
