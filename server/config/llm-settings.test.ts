/**
 * Seed 000 writes `llm_settings:` for LiteLLM's `litellm_settings:` (as it writes `llm_params:` for
 * `litellm_params:`). The gateway reads it as the same section; a file with both is refused, naming both.
 */
import { describe, expect, it } from 'vitest';
import { thrownBy } from '../test-support/fixtures.ts';
import { ConfigError, parseConfig } from './index.ts';
import { editYaml } from './yaml-edit.ts';

const SEED = `model_list:
  - model_name: gpt-3.5-turbo
    litellm_params: { model: openai/gpt-3.5-turbo }
llm_settings:
  drop_params: True
  num_retries: 3
  request_timeout: 10
  fallbacks: [{ gpt-3.5-turbo: [gpt-4] }]
  cache: true
`;

describe('llm_settings', () => {
  it('is read as litellm_settings, without an unknown-key warning', () => {
    const loaded = parseConfig(SEED, 'config.yaml', { env: {} });
    expect(loaded.resolved.litellm_settings).toMatchObject({
      drop_params: true,
      num_retries: 3,
      request_timeout: 10,
      fallbacks: [{ 'gpt-3.5-turbo': ['gpt-4'] }],
      cache: true,
    });
    expect(loaded.raw.litellm_settings.num_retries).toBe(3);
    expect(loaded.warnings).toEqual([]);
  });

  it('names llm_settings, the key the user wrote, in errors and warnings', () => {
    const error = thrownBy(() => parseConfig('llm_settings:\n  num_retries: lots\n', 'config.yaml', { env: {} }), ConfigError);
    expect(error.issues[0]).toMatchObject({ path: 'llm_settings.num_retries', line: 2 });
    const loaded = parseConfig('llm_settings:\n  no_such_setting: 1\n', 'config.yaml', { env: {} });
    expect(loaded.warnings.join('\n')).toContain('llm_settings.no_such_setting');
  });

  it('refuses a file with both, naming both', () => {
    const error = thrownBy(
      () => parseConfig('litellm_settings: { num_retries: 1 }\nllm_settings: { num_retries: 2 }\n', 'config.yaml', { env: {} }),
      ConfigError,
    );
    expect(error.message).toContain('`litellm_settings` and `llm_settings`');
    expect(error.message).toContain('keep only one');
    expect(error.issues[0]).toMatchObject({ path: 'llm_settings', line: 2 });
  });

  it("the dashboard's edits of litellm_settings land in the file's llm_settings", () => {
    const edited = editYaml(SEED, [{ path: ['litellm_settings', 'num_retries'], value: 5 }]);
    expect(edited).toContain('  num_retries: 5\n');
    expect(edited).not.toContain('litellm_settings');
    expect(parseConfig(edited, 'config.yaml', { env: {} }).resolved.litellm_settings.num_retries).toBe(5);
    // A file that writes litellm_settings keeps it.
    expect(editYaml('litellm_settings:\n  num_retries: 1\n', [{ path: ['litellm_settings', 'num_retries'], value: 2 }])).toBe(
      'litellm_settings:\n  num_retries: 2\n',
    );
  });
});
