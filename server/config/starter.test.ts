import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from './load.ts';
import { ensureStarterConfig, STARTER_CONFIG_YAML, starterConfigYaml } from './starter.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llm-gateway-starter-'));
  dirs.push(dir);
  return dir;
}

describe('starter config', () => {
  it('parses without warnings and its first model is the offline mock', () => {
    const { resolved, warnings } = parseConfig(STARTER_CONFIG_YAML, 'config.yaml', { env: {} });
    expect(warnings).toEqual([]);
    expect(resolved.model_list[0]).toEqual({ model_name: 'mock-gpt', litellm_params: { model: 'mock/echo' } });
    for (const example of ['os.environ/OPENAI_API_KEY', 'azure/', 'anthropic/', 'ollama/', '# master_key:']) expect(STARTER_CONFIG_YAML).toContain(example);
  });

  it('its commented-out examples are valid once uncommented', () => {
    const uncommented = STARTER_CONFIG_YAML.replace(/^(\s*)# (\s*(?:- )?[a-z_]+:)/gm, '$1$2');
    const { resolved } = parseConfig(uncommented, 'config.yaml', { env: {} });
    expect(resolved.model_list.map((m) => m.litellm_params.model)).toEqual([
      'mock/echo',
      'openai/gpt-4o',
      'azure/my-gpt-4o-deployment',
      'anthropic/claude-sonnet-4-5',
      'ollama/llama3.1',
    ]);
    expect(resolved.model_list[2]?.litellm_params.api_version).toBe('2024-06-01');
  });

  it('with a generated master key: general_settings refers to the keychain, the example request sends the key', () => {
    const text = starterConfigYaml({ masterKeyIn: 'the OS keychain' });
    const { raw, resolved, warnings } = parseConfig(text, 'config.yaml', {
      env: {},
      resolvers: { 'keychain/': (name) => (name === 'LLM_GATEWAY_MASTER_KEY' ? 'sk-generated-1234' : undefined) },
    });
    expect(warnings).toEqual([]);
    expect(raw.general_settings.master_key).toBe('keychain/LLM_GATEWAY_MASTER_KEY');
    expect(resolved.general_settings.master_key).toBe('sk-generated-1234');
    expect(text).toContain("# Generated on first run and kept in the OS keychain as LLM_GATEWAY_MASTER_KEY;\n  # rotate it in the dashboard's Settings.");
    expect(text).toContain('#     -H "Authorization: Bearer $(npm start --silent -- --print-master-key)" \\\n');
    // Everything else is the plain starter, line for line.
    const plain = STARTER_CONFIG_YAML.split('\n');
    const keyed = text.split('\n');
    expect(keyed.filter((line) => !plain.includes(line)).length).toBeLessThanOrEqual(8);
    expect(plain.filter((line) => !keyed.includes(line))).toEqual([
      "  # Try it: curl http://localhost:4000/v1/chat/completions -H 'Content-Type: application/json' \\",
      `  #           -d '{"model": "mock-gpt", "messages": [{"role": "user", "content": "hello"}]}'`,
      '  # The admin key for the dashboard and the /key/* endpoints. Required before serving other machines.',
      '  # master_key: os.environ/LLM_GATEWAY_MASTER_KEY',
    ]);
    const dataDir = tempDir();
    expect(ensureStarterConfig(dataDir, { masterKeyIn: 'the OS keychain' }).created).toBe(true);
    expect(readFileSync(join(dataDir, 'config.yaml'), 'utf8')).toBe(text);
  });

  it('is written once, in a created folder, with mode 0600', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const first = ensureStarterConfig(dataDir);
    expect(first).toEqual({ path: join(dataDir, 'config.yaml'), created: true });
    expect(readFileSync(first.path, 'utf8')).toBe(STARTER_CONFIG_YAML);
    if (process.platform !== 'win32') expect(statSync(first.path).mode & 0o777).toBe(0o600);
    writeFileSync(first.path, 'model_list: []\n');
    expect(ensureStarterConfig(dataDir)).toEqual({ path: first.path, created: false });
    expect(readFileSync(first.path, 'utf8')).toBe('model_list: []\n');
    expect(readdirSync(dataDir)).toEqual(['config.yaml']); // no temp files left behind
  });
});
