/**
 * LiteLLM's logging callbacks (success_callback / failure_callback / callbacks: langfuse, sentry, …) are not run by
 * the gateway yet: each one named is a load warning saying so, once per name, instead of silence.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from './index.ts';

const load = (text: string) => parseConfig(text, 'config.yaml', { env: {} }).warnings;

describe('logging callbacks the gateway does not run', () => {
  it('warns once per callback named, naming it and the keys that name it', () => {
    const warnings = load(`litellm_settings:
  success_callback: ["langfuse", "supabase", "posthog", "helicone", "llmonitor"]
  failure_callback: ["sentry", "langfuse", "mixpanel"]
  callbacks: ["otel"]
`);
    const callbackWarnings = warnings.filter((w) => w.includes('not run by LLM Gateway'));
    expect(callbackWarnings).toHaveLength(8);
    for (const name of ['langfuse', 'supabase', 'posthog', 'helicone', 'llmonitor', 'sentry', 'mixpanel', 'otel']) {
      expect(
        callbackWarnings.filter((w) => w.includes(`\`${name}\``)),
        name,
      ).toHaveLength(1);
    }
    expect(callbackWarnings.find((w) => w.includes('`langfuse`'))).toContain('litellm_settings.success_callback and litellm_settings.failure_callback');
    expect(callbackWarnings.find((w) => w.includes('`otel`'))).toContain('litellm_settings.callbacks');
  });

  it('takes a single name, names llm_settings when that is the key written, and says what a Python handler is', () => {
    const warnings = load(`llm_settings:
  success_callback: langfuse
  callbacks: custom_callbacks.proxy_handler_instance
`);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('llm_settings.success_callback');
    expect(warnings[0]).toContain('`langfuse`');
    expect(warnings[1]).toContain('`custom_callbacks.proxy_handler_instance`');
    expect(warnings[1]).toContain('Python');
  });

  it('says nothing when no callback is named', () => {
    expect(load('litellm_settings:\n  success_callback: []\n  drop_params: true\n')).toEqual([]);
  });
});
