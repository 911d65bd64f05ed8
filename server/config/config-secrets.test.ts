import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MemorySecretStore } from '../secrets/memory-store.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { findLiteralSecrets, isSecretName, maskSecretsInText, moveSecretsToStore, placeholdersForSecrets } from './config-secrets.ts';

const KEY = 'sk-proj-Zq8vN3kR7tLw2XyB5mHc9JdFgT4pQs6uA1eVoKi0';

const TEXT = `# secrets everywhere
model_list:
  - model_name: direct   # a pasted key
    litellm_params:
      model: openai/gpt-4o
      api_key: ${KEY}
      api_base: https://user:hunter22@proxy.example/v1
      headers: { Authorization: "Bearer tok-0123456789", X-Team: research }
  - model_name: ref
    llm_params: { model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY, aws_secret_access_key: keychain/AWS }
    model_info: { id: ref-1 }
litellm_settings:
  cache_params: { type: redis, password: 123456789 }
general_settings:
  master_key: sk-1234   # admin
  database_url: postgres://app:pg-pass-99@db/llm
environment_variables:
  ANTHROPIC_API_KEY: sk-ant-in-the-file-42
  AZURE_API_BASE: https://x.openai.azure.com
`;

describe('findLiteralSecrets', () => {
  it('finds every secret written as a value, by the model secrets code’s list, and no reference', () => {
    const found = findLiteralSecrets(TEXT).map((spot) => [spot.path.join('.'), spot.value]);
    expect(found).toEqual([
      ['model_list.0.litellm_params.api_key', KEY],
      ['model_list.0.litellm_params.headers.Authorization', 'Bearer tok-0123456789'],
      ['model_list.0.litellm_params.api_base', 'https://user:hunter22@proxy.example/v1'],
      ['litellm_settings.cache_params.password', '123456789'],
      ['general_settings.master_key', 'sk-1234'],
      ['general_settings.database_url', 'postgres://app:pg-pass-99@db/llm'],
      ['environment_variables.ANTHROPIC_API_KEY', 'sk-ant-in-the-file-42'],
    ]);
    expect(isSecretName('aws_secret_access_key')).toBe(true);
    expect(isSecretName('x-api-key')).toBe(true);
    expect(isSecretName('api_base')).toBe(false);
  });
});

describe('maskSecretsInText', () => {
  it('masks each value where it is, the rest byte for byte', () => {
    const masked = maskSecretsInText(TEXT);
    for (const secret of [KEY, 'tok-0123456789', 'hunter22', '123456789', 'sk-1234', 'pg-pass-99', 'sk-ant-in-the-file-42'])
      expect(masked).not.toContain(secret);
    expect(masked).toContain('      api_key: "sk-…oKi0"\n');
    expect(masked).toContain('  master_key: "****"   # admin\n');
    expect(masked).toContain('api_key: os.environ/OPENAI_API_KEY');
    expect(masked).toContain('# secrets everywhere');
  });

  it('masks text that is not YAML line by line, and redacts known values anywhere (comments too)', () => {
    const broken = `model_list:\n  - model_name: x\n   litellm_params: [\n      api_key: "${KEY}"  # here\n# old: ${KEY}\n`;
    const masked = maskSecretsInText(broken);
    expect(masked).not.toContain(KEY);
    expect(masked).toContain('      api_key: "sk-…oKi0"  # here');
    expect(masked).toContain('# old: sk-…oKi0');
    expect(maskSecretsInText('a: b\n# the key was sk-live-999999\n', ['sk-live-999999'])).toBe('a: b\n# the key was sk-…9999\n');
  });
});

describe('moveSecretsToStore', () => {
  const ids = ['direct-id', 'ref-1'];

  it('moves each value to the store and writes keychain references, comments kept', () => {
    const store = new MemorySecretStore();
    const moved = moveSecretsToStore(TEXT, { store, modelIds: ids });
    expect(findLiteralSecrets(moved.text)).toEqual([]);
    expect(moved.text).toContain('# secrets everywhere\n');
    expect(moved.text).toContain('  master_key: keychain/LLM_GATEWAY_MASTER_KEY   # admin\n');
    expect(moved.text).toContain('  - model_name: direct   # a pasted key\n');
    const tree = parse(moved.text, { version: '1.1' }) as { model_list: { litellm_params: Record<string, unknown>; model_info: { id: string } }[] };
    expect(tree.model_list[0]?.litellm_params).toMatchObject({
      api_key: 'keychain/openai-gpt-4o-key',
      headers: { Authorization: 'keychain/openai-gpt-4o-authorization-header', 'X-Team': 'research' },
      api_base: 'keychain/config-model_list-0-litellm_params-api_base',
    });
    // The entry gets its id written, so its secrets go with it.
    expect(tree.model_list[0]?.model_info.id).toBe('direct-id');
    expect(tree.model_list[1]?.model_info.id).toBe('ref-1');
    expect(Object.fromEntries(store.list().map((name) => [name, store.get(name)]))).toEqual({
      'openai-gpt-4o-key': KEY,
      'openai-gpt-4o-authorization-header': 'Bearer tok-0123456789',
      'config-model_list-0-litellm_params-api_base': 'https://user:hunter22@proxy.example/v1',
      'config-litellm_settings-cache_params-password': '123456789',
      LLM_GATEWAY_MASTER_KEY: 'sk-1234',
      'config-general_settings-database_url': 'postgres://app:pg-pass-99@db/llm',
      'config-environment_variables-ANTHROPIC_API_KEY': 'sk-ant-in-the-file-42',
    });
    moved.undo();
    expect(store.list()).toEqual([]);
  });

  it('never overwrites a name holding another value, unless the running config refers to it from the same place', () => {
    const store = new MemorySecretStore({ LLM_GATEWAY_MASTER_KEY: 'sk-other', 'LLM_GATEWAY_MASTER_KEY-2': 'sk-other-2' });
    const text = 'general_settings:\n  master_key: sk-new-value-1\n';
    const free = moveSecretsToStore(text, { store, modelIds: [] });
    expect(free.text).toBe('general_settings:\n  master_key: keychain/LLM_GATEWAY_MASTER_KEY-3\n');
    free.undo();
    expect(store.list()).toEqual(['LLM_GATEWAY_MASTER_KEY', 'LLM_GATEWAY_MASTER_KEY-2']);
    const own = moveSecretsToStore(text, { store, modelIds: [], running: { general_settings: { master_key: 'keychain/LLM_GATEWAY_MASTER_KEY' } } });
    expect(own.text).toBe('general_settings:\n  master_key: keychain/LLM_GATEWAY_MASTER_KEY\n');
    expect(store.get('LLM_GATEWAY_MASTER_KEY')).toBe('sk-new-value-1');
    own.undo();
    expect(store.get('LLM_GATEWAY_MASTER_KEY')).toBe('sk-other');
  });

  it('a store that fails leaves nothing behind, and the error never carries a value', () => {
    const store = new MemorySecretStore();
    let writes = 0;
    const failing: SecretStore = {
      backend: 'keychain',
      weakerProtection: false,
      get: (name) => store.get(name),
      delete: (name) => store.delete(name),
      list: () => store.list(),
      set: (name, value) => {
        if (++writes % 3 === 0) throw new Error(`disk full while writing ${value}`);
        store.set(name, value);
      },
    };
    expect(() => moveSecretsToStore(TEXT, { store: failing, modelIds: ids })).toThrow(/secret store is unavailable/);
    try {
      moveSecretsToStore(TEXT, { store: failing, modelIds: ids });
    } catch (error) {
      expect((error as Error).message).not.toContain(KEY);
      expect((error as Error).message).not.toContain('hunter22');
    }
    expect(store.list()).toEqual([]);
  });
});

describe('placeholdersForSecrets', () => {
  it('writes os.environ placeholders with a comment saying what to set', () => {
    const out = placeholdersForSecrets(TEXT);
    expect(findLiteralSecrets(out)).toEqual([]);
    for (const secret of [KEY, 'tok-0123456789', 'hunter22', '123456789', 'pg-pass-99', 'sk-ant-in-the-file-42']) expect(out).not.toContain(secret);
    expect(out).toContain('      api_key: os.environ/DIRECT_API_KEY  # was a secret value (sk-…oKi0): set DIRECT_API_KEY');
    expect(out).toContain('  master_key: os.environ/LITELLM_MASTER_KEY   # admin\n');
    expect(out).toContain('  ANTHROPIC_API_KEY: os.environ/ANTHROPIC_API_KEY  # was a secret value');
  });
});
