import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig } from './load.ts';

const FILE = 'config.yaml';

/** A config in the style of LiteLLM's proxy docs, values unquoted as people write them. */
const LITELLM_DOCS_CONFIG = `
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
      rpm: 600
      tpm: "100000"
  - model_name: gpt-4o
    litellm_params:
      model: azure/gpt-4o-eu
      api_base: os.environ/AZURE_API_BASE
      api_key: os.environ/AZURE_API_KEY
      api_version: 2023-05-15
      timeout: "30"
      headers:
        X-Team: research
        X-Retry: 3
    model_info:
      id: azure-eu
  - model_name: claude-sonnet
    litellm_params:
      model: anthropic/claude-sonnet-4-5
      api_key: os.environ/ANTHROPIC_API_KEY
      temperature: 0.2
      top_k: 40
  - model_name: llama3
    litellm_params:
      model: ollama/llama3.1
      api_base: http://localhost:11434

litellm_settings:
  drop_params: True
  num_retries: 3
  request_timeout: 600
  fallbacks: [{ gpt-4o: [claude-sonnet] }]
  success_callback: ["langfuse"]

router_settings:
  routing_strategy: usage-based-routing-v2
  redis_host: os.environ/REDIS_HOST

general_settings:
  master_key: sk-1234
  allowed_hosts: gateway.lan
`;

const ENV = {
  OPENAI_API_KEY: 'sk-openai',
  AZURE_API_BASE: 'https://eu.openai.azure.com',
  AZURE_API_KEY: 'az-key',
  ANTHROPIC_API_KEY: 'sk-ant',
  REDIS_HOST: 'localhost',
};

function configError(text: string): ConfigError {
  try {
    parseConfig(text, FILE, { env: {} });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig: LiteLLM configs', () => {
  it('parses a LiteLLM docs-style config', () => {
    const { raw, resolved, warnings } = parseConfig(LITELLM_DOCS_CONFIG, FILE, { env: ENV });
    // The one warning: the gateway does not run Langfuse (logging-callbacks.test.ts).
    expect(warnings).toEqual([expect.stringContaining('litellm_settings.success_callback: `langfuse` is not run by LLM Gateway')]);
    expect(resolved.model_list.map((m) => m.model_name)).toEqual(['gpt-4o', 'gpt-4o', 'claude-sonnet', 'llama3']);
    const [openai, azure, claude] = resolved.model_list;
    expect(openai?.litellm_params).toEqual({ model: 'openai/gpt-4o', api_key: 'sk-openai', rpm: 600, tpm: 100000 });
    // YAML 1.1 (as in PyYAML) reads the unquoted version as a date; it must come back as written.
    expect(azure?.litellm_params.api_version).toBe('2023-05-15');
    expect(azure?.litellm_params.timeout).toBe(30);
    expect(azure?.litellm_params.headers).toEqual({ 'X-Team': 'research', 'X-Retry': '3' });
    expect(azure?.model_info).toEqual({ id: 'azure-eu' });
    expect(claude?.litellm_params.top_k).toBe(40); // provider parameters pass through
    expect(resolved.litellm_settings).toMatchObject({ drop_params: true, num_retries: 3, request_timeout: 600, fallbacks: [{ 'gpt-4o': ['claude-sonnet'] }] });
    expect(resolved.router_settings).toEqual({ routing_strategy: 'usage-based-routing-v2', redis_host: 'localhost' });
    expect(resolved.general_settings).toEqual({ master_key: 'sk-1234', allowed_hosts: ['gateway.lan'] });
    expect(raw.model_list[1]?.litellm_params.api_version).toBe('2023-05-15');
  });

  it('keeps references in raw and replaces them in resolved', () => {
    const { raw, resolved } = parseConfig(LITELLM_DOCS_CONFIG, FILE, { env: ENV });
    expect(raw.model_list[0]?.litellm_params.api_key).toBe('os.environ/OPENAI_API_KEY');
    expect(raw.router_settings.redis_host).toBe('os.environ/REDIS_HOST');
    expect(resolved.model_list[0]?.litellm_params.api_key).toBe('sk-openai');
  });

  it('accepts an empty file, a comment-only file and blank sections', () => {
    for (const text of ['', '# nothing yet\n', 'model_list:\nlitellm_settings:\ngeneral_settings:\n']) {
      const { resolved, warnings } = parseConfig(text, FILE, { env: {} });
      expect(resolved).toEqual({ model_list: [], litellm_settings: {}, router_settings: {}, general_settings: {}, environment_variables: {} });
      expect(warnings).toEqual([]);
    }
  });

  it('accepts llm_params as an alias of litellm_params', () => {
    const { resolved, raw } = parseConfig('model_list:\n  - model_name: m\n    llm_params:\n      model: openai/gpt-4o\n', FILE, { env: {} });
    expect(resolved.model_list[0]).toEqual({ model_name: 'm', litellm_params: { model: 'openai/gpt-4o' } });
    expect(raw.model_list[0]).not.toHaveProperty('llm_params');
  });

  it('follows YAML anchors and merge keys as PyYAML does', () => {
    const text =
      'x-azure: &azure\n  api_key: k\n  api_version: "2024-06-01"\nmodel_list:\n  - model_name: a\n    litellm_params:\n      <<: *azure\n      model: azure/a\n';
    const { resolved } = parseConfig(text, FILE, { env: {} });
    expect(resolved.model_list[0]?.litellm_params).toEqual({ api_key: 'k', api_version: '2024-06-01', model: 'azure/a' });
  });
});

describe('parseConfig: validation errors name file, path and fix', () => {
  it('missing litellm_params.model', () => {
    const error = configError(
      'model_list:\n  - model_name: a\n    litellm_params: { model: openai/a }\n  - model_name: b\n    litellm_params: { model: openai/b }\n  - model_name: c\n    litellm_params:\n      api_key: k\n',
    );
    expect(error.file).toBe(FILE);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ path: 'model_list[2].litellm_params.model', line: 8 });
    expect(error.message).toContain('config.yaml');
    expect(error.message).toContain('model_list[2].litellm_params.model');
    expect(error.message).toContain('add `model: provider/model-name`, for example `openai/gpt-4o`');
  });

  it('uses the key the user wrote (llm_params) in paths', () => {
    const error = configError('model_list:\n  - model_name: a\n    llm_params: { api_key: k }\n');
    expect(error.issues.map((i) => i.path)).toEqual(['model_list[0].llm_params.model']);
  });

  it.each([
    ['model_list:\n  - litellm_params: { model: openai/a }\n', 'model_list[0].model_name', 'model_name: gpt-4o'],
    ['model_list:\n  - model_name: ""\n    litellm_params: { model: openai/a }\n', 'model_list[0].model_name', 'non-empty'],
    ['model_list:\n  - model_name: a\n', 'model_list[0].litellm_params', 'model: provider/model-name'],
    ['model_list:\n  - model_name: a\n    litellm_params: { model: 42 }\n', 'model_list[0].litellm_params.model', 'openai/gpt-4o'],
    ['model_list:\n  - model_name: a\n    litellm_params: { model: m, rpm: fast }\n', 'model_list[0].litellm_params.rpm', '`rpm: 600`'],
    ['model_list:\n  - model_name: a\n    litellm_params: { model: m, tpm: 1.5 }\n', 'model_list[0].litellm_params.tpm', 'whole number'],
    ['model_list:\n  - model_name: a\n    litellm_params: { model: m, timeout: -1 }\n', 'model_list[0].litellm_params.timeout', 'zero or more'],
    ['model_list:\n  - model_name: a\n    litellm_params: { model: m, headers: [a] }\n', 'model_list[0].litellm_params.headers', 'X-Team'],
    ['model_list:\n  - model_name: a\n    litellm_params: { model: m, drop_params: maybe }\n', 'model_list[0].litellm_params.drop_params', 'true or false'],
    ['model_list:\n  - model_name: a\n    litellm_params: { model: m }\n    llm_params: { model: m }\n', 'model_list[0]', 'keep only one'],
    ['model_list:\n  - just-a-string\n', 'model_list[0]', 'model_name'],
    ['model_list: { model_name: a }\n', 'model_list', '- model_name'],
    ['litellm_settings: { num_retries: lots }\n', 'litellm_settings.num_retries', '`num_retries: 2`'],
    ['litellm_settings: { fallbacks: { gpt-4o: [b] } }\n', 'litellm_settings.fallbacks', 'gpt-4o-mini'],
    ['general_settings: [master_key]\n', 'general_settings', 'master_key'],
    ['general_settings: { max_request_size_mb: big }\n', 'general_settings.max_request_size_mb', '`max_request_size_mb: 32`'],
    ['environment_variables: { A: [1] }\n', 'environment_variables.A', 'quotes'],
    ['- a\n- b\n', '', 'model_list'],
  ])('%s → %s', (text, path, fix) => {
    const error = configError(text);
    expect(error.issues.map((i) => i.path)).toEqual([path]);
    expect(error.issues[0]?.message).toContain(fix);
    expect(error.message).toContain(FILE);
    if (path !== '') expect(error.message).toContain(`${path} (line `);
  });

  it('reports every problem at once', () => {
    const error = configError('model_list:\n  - model_name: a\n    litellm_params: { rpm: x }\n  - model_name: 5\n    litellm_params: { model: m }\n');
    expect(error.issues.map((i) => i.path)).toEqual(['model_list[0].litellm_params.model', 'model_list[0].litellm_params.rpm', 'model_list[1].model_name']);
    expect(error.message).toContain('3 problems');
  });
});

describe('parseConfig: warnings', () => {
  it('warns about unknown keys instead of failing, and keeps unknown settings', () => {
    const text =
      'foo: 1\nmodel_list:\n  - model_name: a\n    litellm_params: { model: m }\n    tags: [x]\nlitellm_settings:\n  foo: bar\n  drop_params: true\ngeneral_settings:\n  ui_theme: dark\n';
    const { resolved, warnings } = parseConfig(text, FILE, { env: {} });
    expect(warnings).toEqual([
      'config.yaml: unknown key `foo` at foo is ignored',
      'config.yaml: unknown key `tags` at model_list[0].tags is ignored',
      'config.yaml: unknown key `foo` at litellm_settings.foo is ignored',
      'config.yaml: unknown key `ui_theme` at general_settings.ui_theme is ignored',
    ]);
    expect(resolved.litellm_settings).toEqual({ foo: 'bar', drop_params: true });
    expect(resolved.model_list[0]).toEqual({ model_name: 'a', litellm_params: { model: 'm' } });
  });

  it('accepts the LiteLLM settings it knows without a word', () => {
    const keys = [
      'set_verbose: false',
      'context_window_fallbacks: []',
      'default_fallbacks: [a]',
      'allowed_fails: 3',
      'cooldown_time: 30',
      'cache: true',
      'cache_params: { type: local }',
      // Known keys; naming a callback the gateway does not run is a warning (logging-callbacks.test.ts).
      'success_callback: []',
      'failure_callback: []',
      'callbacks: []',
      'max_budget: 10',
      'budget_duration: 30d',
      'telemetry: false',
      'json_logs: true',
      'turn_off_message_logging: true',
      'redact_user_api_key_info: true',
      'num_retries_per_request: 1',
      'stream_timeout: 60',
      'content_policy_fallbacks: []',
    ];
    const general = [
      'database_url: postgres://x',
      'alerting: [slack]',
      'proxy_batch_write_at: 10',
      'disable_spend_logs: false',
      'store_model_in_db: true',
      'background_health_checks: true',
      'health_check_interval: 300',
      'health_check_details: false',
    ];
    const text = `litellm_settings:\n${keys.map((k) => `  ${k}\n`).join('')}general_settings:\n${general.map((k) => `  ${k}\n`).join('')}`;
    expect(parseConfig(text, FILE, { env: {} }).warnings).toEqual([]);
  });
});

describe('parseConfig: os.environ references', () => {
  it('resolves references anywhere, overlaying environment_variables on the env', () => {
    const text = [
      'environment_variables:',
      '  OPENAI_API_KEY: sk-from-file',
      '  AZURE_KEY: os.environ/REAL_AZURE_KEY',
      '  PORT: 4000',
      'model_list:',
      '  - model_name: a',
      '    litellm_params: { model: openai/a, api_key: os.environ/OPENAI_API_KEY, rpm: os.environ/RPM }',
      '    model_info: { owner: os.environ/OWNER }',
      '  - model_name: b',
      '    litellm_params: { model: azure/b, api_key: os.environ/AZURE_KEY }',
      'general_settings: { master_key: os.environ/MASTER }',
    ].join('\n');
    const env = { OPENAI_API_KEY: 'sk-from-env', REAL_AZURE_KEY: 'az', RPM: '60', OWNER: 'me', MASTER: 'sk-master' };
    const { raw, resolved, env: merged, warnings } = parseConfig(text, FILE, { env });
    expect(warnings).toEqual([]);
    expect(resolved.model_list[0]?.litellm_params).toEqual({ model: 'openai/a', api_key: 'sk-from-file', rpm: 60 });
    expect(resolved.model_list[0]?.model_info).toEqual({ owner: 'me' });
    expect(resolved.model_list[1]?.litellm_params.api_key).toBe('az');
    expect(resolved.general_settings.master_key).toBe('sk-master');
    expect(resolved.environment_variables).toEqual({ OPENAI_API_KEY: 'sk-from-file', AZURE_KEY: 'az', PORT: '4000' });
    expect(merged).toMatchObject({ OPENAI_API_KEY: 'sk-from-file', AZURE_KEY: 'az', PORT: '4000', RPM: '60' });
    expect(raw.model_list[0]?.litellm_params.rpm).toBe('os.environ/RPM');
    expect(raw.environment_variables.AZURE_KEY).toBe('os.environ/REAL_AZURE_KEY');
    expect(raw.general_settings.master_key).toBe('os.environ/MASTER');
  });

  it('defaults to process.env', () => {
    process.env.LLM_GATEWAY_CONFIG_TEST_KEY = 'from-process';
    try {
      const { resolved } = parseConfig('general_settings: { master_key: os.environ/LLM_GATEWAY_CONFIG_TEST_KEY }', FILE);
      expect(resolved.general_settings.master_key).toBe('from-process');
    } finally {
      delete process.env.LLM_GATEWAY_CONFIG_TEST_KEY;
    }
  });

  it('warns about unset variables, naming path and variable, and leaves the value empty', () => {
    const text =
      'environment_variables: { X: os.environ/NOPE_1 }\nmodel_list:\n  - model_name: a\n    litellm_params: { model: openai/a, api_key: os.environ/NOPE_2 }\n';
    const { resolved, warnings, env } = parseConfig(text, FILE, { env: {} });
    expect(resolved.model_list[0]?.litellm_params).toEqual({ model: 'openai/a' });
    expect(env.X).toBeUndefined();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^config\.yaml: environment_variables\.X refers to environment variable `NOPE_1`, which is not set/);
    expect(warnings[1]).toMatch(/^config\.yaml: model_list\[0\]\.litellm_params\.api_key refers to environment variable `NOPE_2`, which is not set/);
  });

  it('explains errors caused by a referenced value', () => {
    let error = configError('model_list:\n  - model_name: a\n    litellm_params: { model: os.environ/MODEL }\n');
    expect(error.issues[0]?.path).toBe('model_list[0].litellm_params.model');
    expect(error.issues[0]?.message).toContain('`os.environ/MODEL`, which is not set');
    try {
      parseConfig('model_list:\n  - model_name: a\n    litellm_params: { model: m, rpm: os.environ/RPM }\n', FILE, { env: { RPM: 'lots' } });
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error.issues[0]).toMatchObject({ path: 'model_list[0].litellm_params.rpm', line: 3 });
    expect(error.issues[0]?.message).toContain('got "lots"');
    expect(error.issues[0]?.message).toContain('comes from `os.environ/RPM`');
  });

  it('takes extra reference schemes, e.g. keychain/', () => {
    const secrets: Record<string, string> = { openai: 'sk-keychain' };
    const text = 'model_list:\n  - model_name: a\n    litellm_params: { model: openai/a, api_key: keychain/openai, api_base: keychain/missing }\n';
    const { raw, resolved, warnings } = parseConfig(text, FILE, { env: {}, resolvers: { 'keychain/': (name) => secrets[name] } });
    expect(raw.model_list[0]?.litellm_params.api_key).toBe('keychain/openai');
    expect(resolved.model_list[0]?.litellm_params).toEqual({ model: 'openai/a', api_key: 'sk-keychain' });
    expect(warnings).toEqual(['config.yaml: model_list[0].litellm_params.api_base refers to `keychain/missing`, which was not found; the value is left empty']);
  });
});

describe('YAML syntax and file errors', () => {
  it('gives line and column for a YAML syntax error', () => {
    const error = configError('model_list:\n  - model_name: a\n    litellm_params: { model: m\nlitellm_settings: {}\n');
    expect(error.issues[0]?.line).toBeGreaterThanOrEqual(3);
    expect(error.issues[0]?.column).toBeGreaterThan(0);
    expect(error.message).toMatch(/config\.yaml[\s\S]*line \d+, column \d+: YAML syntax error/);
  });

  it('rejects duplicate keys with their line', () => {
    const error = configError('general_settings: {}\ngeneral_settings: {}\n');
    expect(error.issues[0]).toMatchObject({ line: 2 });
  });

  it('loads a file, and reports a missing one as a ConfigError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-gateway-config-'));
    try {
      const file = join(dir, 'config.yaml');
      writeFileSync(file, 'model_list:\n  - model_name: m\n    litellm_params: { model: mock/echo }\n');
      expect(loadConfigFile(file, { env: {} }).resolved.model_list[0]?.litellm_params.model).toBe('mock/echo');
      const missing = join(dir, 'nope.yaml');
      expect(() => loadConfigFile(missing)).toThrow(ConfigError);
      expect(() => loadConfigFile(missing)).toThrow(/nope\.yaml[\s\S]*file not found/);
      expect(() => loadConfigFile(dir)).toThrow(/is a folder/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
