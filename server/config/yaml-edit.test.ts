import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { STARTER_CONFIG_YAML } from './starter.ts';
import { editYaml } from './yaml-edit.ts';

const FILE = `# team gateway — this comment stays
model_list:
  - model_name: echo          # smoke tests
    litellm_params:
      model: mock/echo
    model_info: { id: echo-1 }
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_key: sk-literal-0123456789 }

litellm_settings:
  drop_params: true        # keep
  num_retries: 2           # old place
  # request_timeout: 600   commented out

router_settings:
  routing_strategy: simple-shuffle   # how to pick
  fallbacks:
    - echo:
        - gpt-4o

general_settings:
  master_key: sk-1234   # admin key
  unknown_thing: { kept: yes }
`;

const read = (text: string) => parse(text, { version: '1.1', merge: true }) as Record<string, Record<string, unknown>>;

describe('editYaml', () => {
  it('replaces a scalar in place, keeping its comment and every other byte', () => {
    const out = editYaml(FILE, [{ path: ['general_settings', 'master_key'], value: 'keychain/LLM_GATEWAY_MASTER_KEY' }]);
    expect(out).toBe(FILE.replace('master_key: sk-1234   # admin key', 'master_key: keychain/LLM_GATEWAY_MASTER_KEY   # admin key'));
  });

  it('replaces a value inside a flow mapping of a list item', () => {
    const out = editYaml(FILE, [{ path: ['model_list', 1, 'litellm_params', 'api_key'], value: 'keychain/model-x-api_key' }]);
    expect(out).toBe(FILE.replace('api_key: sk-literal-0123456789', 'api_key: keychain/model-x-api_key'));
  });

  it('adds a key beside its siblings, at their indentation', () => {
    const out = editYaml(FILE, [{ path: ['router_settings', 'cooldown_time'], value: 30 }]);
    expect(out).toBe(FILE.replace('        - gpt-4o\n', '        - gpt-4o\n  cooldown_time: 30\n'));
  });

  it('adds a key to a flow mapping', () => {
    const out = editYaml(FILE, [{ path: ['model_list', 0, 'model_info', 'team'], value: 'a' }]);
    expect(out).toBe(FILE.replace('{ id: echo-1 }', '{ id: echo-1, team: a }'));
  });

  it('replaces a block list by a flow one, keeping the key line', () => {
    const out = editYaml(FILE, [{ path: ['router_settings', 'fallbacks'], value: [{ 'gpt-4o': ['echo'] }] }]);
    expect(read(out).router_settings?.fallbacks).toEqual([{ 'gpt-4o': ['echo'] }]);
    expect(out).toContain('  routing_strategy: simple-shuffle   # how to pick\n  fallbacks:\n    - gpt-4o:\n        - echo\n\ngeneral_settings:');
  });

  it('writes new lists in flow style', () => {
    const out = editYaml(FILE, [{ path: ['router_settings', 'context_window_fallbacks'], value: [{ echo: ['gpt-4o', 'claude'] }] }]);
    expect(out).toContain('  context_window_fallbacks: [ { echo: [ gpt-4o, claude ] } ]\n');
    expect(read(out).router_settings?.context_window_fallbacks).toEqual([{ echo: ['gpt-4o', 'claude'] }]);
  });

  it('removes a key with its line, and only that', () => {
    const out = editYaml(FILE, [{ path: ['litellm_settings', 'num_retries'], remove: true }]);
    expect(out).toBe(FILE.replace('  num_retries: 2           # old place\n', ''));
    expect(editYaml(FILE, [{ path: ['litellm_settings', 'nothing_here'], remove: true }])).toBe(FILE);
    expect(editYaml(FILE, [{ path: ['no_section', 'x'], remove: true }])).toBe(FILE);
  });

  it('removes a block list value entirely', () => {
    const out = editYaml(FILE, [{ path: ['router_settings', 'fallbacks'], remove: true }]);
    expect(out).toBe(FILE.replace('  fallbacks:\n    - echo:\n        - gpt-4o\n', ''));
  });

  it('leaves an emptied mapping as {} so it stays a mapping', () => {
    const text = 'litellm_settings:\n  cache:\n    ttl: 5   # short\n  drop_params: true\n';
    const out = editYaml(text, [{ path: ['litellm_settings', 'cache', 'ttl'], remove: true }]);
    expect(read(out).litellm_settings).toEqual({ cache: {}, drop_params: true });
    expect(out).toBe('litellm_settings:\n  cache: {}\n  drop_params: true\n');
  });

  it('fills an empty section under its comments (the starter config)', () => {
    const out = editYaml(STARTER_CONFIG_YAML, [
      { path: ['router_settings', 'num_retries'], value: 3 },
      { path: ['general_settings', 'master_key'], value: 'keychain/LLM_GATEWAY_MASTER_KEY' },
    ]);
    expect(out).toContain('router_settings:\n  num_retries: 3\n  # routing_strategy: simple-shuffle\n');
    expect(out).toContain('general_settings:\n  master_key: keychain/LLM_GATEWAY_MASTER_KEY\n  # The admin key');
    // Every other line is untouched.
    for (const line of STARTER_CONFIG_YAML.split('\n')) expect(out).toContain(line);
  });

  it('adds a whole section at the end of the file', () => {
    const text = 'model_list: []\n# the end\n';
    const out = editYaml(text, [{ path: ['router_settings', 'fallbacks'], value: [{ a: ['b'] }] }]);
    expect(out).toBe('model_list: []\n# the end\nrouter_settings:\n  fallbacks: [ { a: [ b ] } ]\n');
    expect(editYaml('', [{ path: ['general_settings', 'master_key'], value: 'keychain/K' }])).toBe('general_settings:\n  master_key: keychain/K\n');
  });

  it('creates a nested mapping under a section', () => {
    const out = editYaml(FILE, [{ path: ['litellm_settings', 'cache_params', 'ttl'], value: 60 }]);
    expect(out).toContain('  num_retries: 2           # old place\n  cache_params:\n    ttl: 60\n  # request_timeout: 600');
  });

  it('sets a value on an empty key, keeping its comment', () => {
    const text = 'router_settings:\n  fallbacks:   # none yet\n  num_retries: 1\n';
    expect(editYaml(text, [{ path: ['router_settings', 'fallbacks'], value: [{ a: ['b'] }] }])).toBe(
      'router_settings:\n  fallbacks: [ { a: [ b ] } ]   # none yet\n  num_retries: 1\n',
    );
    expect(editYaml(text, [{ path: ['router_settings', 'num_retries'], value: 4 }])).toBe('router_settings:\n  fallbacks:   # none yet\n  num_retries: 4\n');
  });

  it('quotes values YAML 1.1 would read differently', () => {
    const out = editYaml('router_settings:\n  x: 1\n', [{ path: ['router_settings', 'default_fallbacks'], value: ['yes', '2024-01-01', 'gpt-4o'] }]);
    expect(read(out).router_settings?.default_fallbacks).toEqual(['yes', '2024-01-01', 'gpt-4o']);
  });

  it('keeps CRLF line ends', () => {
    const text = 'general_settings:\r\n  master_key: sk-1\r\n  other: 1\r\n';
    expect(editYaml(text, [{ path: ['general_settings', 'master_key'], value: 'keychain/K' }])).toBe(
      'general_settings:\r\n  master_key: keychain/K\r\n  other: 1\r\n',
    );
  });

  it('keeps an anchor and what refers to it', () => {
    const text = 'general_settings:\n  master_key: &k sk-1234\nx:\n  ref: *k\n';
    const out = editYaml(text, [{ path: ['general_settings', 'master_key'], value: 'keychain/K' }]);
    expect(read(out)).toEqual({ general_settings: { master_key: 'keychain/K' }, x: { ref: 'keychain/K' } });
  });

  it('falls back to the Document API where splicing cannot (a flow section), still meaning the same', () => {
    const text = '# c\nrouter_settings: {num_retries: 1}\nmodel_list: []\n';
    const out = editYaml(text, [{ path: ['router_settings', 'num_retries'], remove: true }]);
    expect(read(out)).toEqual({ router_settings: {}, model_list: [] });
  });

  it('refuses text that is not YAML', () => {
    expect(() => editYaml('a: [', [{ path: ['a'], value: 1 }])).toThrow(/not valid YAML/);
  });
});
