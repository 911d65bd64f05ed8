import { describe, expect, it } from 'vitest';
import { defaultProviderId, providerSpec, splitModel } from './providers.ts';
import { PROVIDERS_ANSWER } from './test-fixtures.ts';

const providers = PROVIDERS_ANSWER.data;

describe('splitModel', () => {
  it('reads the provider from any prefix it serves, keeping the rest of the name', () => {
    expect(splitModel(providers, { model: 'openai/ft:gpt-4o/org/x' })).toEqual({ provider: 'openai', upstream: 'ft:gpt-4o/org/x' });
    expect(splitModel(providers, { model: 'text-completion-openai/gpt-3.5-turbo-instruct' })).toEqual({
      provider: 'openai',
      upstream: 'gpt-3.5-turbo-instruct',
    });
  });

  it('custom_llm_provider names the provider of an unprefixed name, and a repeated prefix is dropped', () => {
    expect(splitModel(providers, { model: 'my-finetune', custom_llm_provider: 'groq' })).toEqual({ provider: 'groq', upstream: 'my-finetune' });
    expect(splitModel(providers, { model: 'groq/llama3', custom_llm_provider: 'groq' })).toEqual({ provider: 'groq', upstream: 'llama3' });
  });

  it('a bare name takes what the gateway resolved', () => {
    expect(splitModel(providers, { model: 'gpt-4o' }, 'openai/gpt-4o')).toEqual({ provider: 'openai', upstream: 'gpt-4o' });
  });

  it('is undefined for a provider the gateway does not list', () => {
    expect(splitModel(providers, { model: 'cloudflare/@cf/meta/llama-3-8b' })).toBeUndefined();
    expect(splitModel(providers, { model: 'gpt-4o' })).toBeUndefined();
    expect(splitModel([], { model: 'openai/gpt-4o' })).toBeUndefined();
  });
});

describe('defaultProviderId and providerSpec', () => {
  it('start on OpenAI when listed, else on the first provider', () => {
    expect(defaultProviderId(providers)).toBe('openai');
    expect(defaultProviderId(providers.filter((p) => p.id !== 'openai'))).toBe('azure');
    expect(providerSpec(providers, 'mock').label).toBe('Mock (offline)');
    expect(providerSpec(providers, 'nosuch').id).toBe('openai');
    expect(() => providerSpec([], 'openai')).toThrow('The gateway listed no providers.');
  });
});
