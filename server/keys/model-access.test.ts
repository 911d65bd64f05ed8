import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.ts';
import { blankKey } from './key-settings.ts';
import { keyAllowsEveryModel, modelNamesForKey, resolveKeyModel } from './model-access.ts';
import type { VirtualKey } from './virtual-key.ts';

const keyWith = (models: string[], aliases: Record<string, string> = {}): VirtualKey => ({ ...blankKey('sk-test-key-1234', 0), models, aliases });

describe('model access', () => {
  it('lets a key with no models call anything, through its aliases', () => {
    expect(resolveKeyModel(keyWith([]), 'gpt-4o')).toBe('gpt-4o');
    expect(resolveKeyModel(keyWith([], { fast: 'gpt-4o-mini' }), 'fast')).toBe('gpt-4o-mini');
  });

  it("maps an alias to its group before checking models (LiteLLM's upgrade/downgrade)", () => {
    const key = keyWith(['my-free-tier'], { 'gpt-3.5-turbo': 'my-free-tier' });
    expect(resolveKeyModel(key, 'gpt-3.5-turbo')).toBe('my-free-tier');
    expect(resolveKeyModel(key, 'my-free-tier')).toBe('my-free-tier');
  });

  it('answers a model the key may not call with an OpenAI-shaped 403', () => {
    let error: GatewayError | undefined;
    try {
      resolveKeyModel(keyWith(['gpt-4o']), 'claude');
    } catch (err) {
      error = err as GatewayError;
    }
    expect(error?.status).toBe(403);
    expect(error?.toBody()).toEqual({
      error: {
        message: expect.stringContaining('not allowed to call model `claude`') as string,
        type: 'permission_error',
        param: 'model',
        code: 'key_model_access_denied',
      },
    });
  });

  it("understands wildcards and LiteLLM's all-proxy-models", () => {
    expect(resolveKeyModel(keyWith(['openai/*']), 'openai/gpt-4o')).toBe('openai/gpt-4o');
    expect(() => resolveKeyModel(keyWith(['openai/*']), 'anthropic/claude')).toThrow(GatewayError);
    expect(() => resolveKeyModel(keyWith(['gpt.4']), 'gpt-4')).toThrow(GatewayError); // a dot is a dot, not a regex
    expect(resolveKeyModel(keyWith(['all-proxy-models']), 'x')).toBe('x');
  });

  it('lists what a key may ask for', () => {
    const key = keyWith(['gpt-4o'], { smart: 'gpt-4o', other: 'claude' });
    expect(modelNamesForKey(key, ['gpt-4o', 'claude'])).toEqual(['gpt-4o', 'smart']);
  });

  it('names the body field a refused model came from (a fallback chain)', () => {
    let error: GatewayError | undefined;
    try {
      resolveKeyModel(keyWith(['gpt-4o']), 'claude', 'context_window_fallbacks');
    } catch (err) {
      error = err as GatewayError;
    }
    expect([error?.status, error?.param, error?.code]).toEqual([403, 'context_window_fallbacks', 'key_model_access_denied']);
    expect(error?.message).toContain('`claude` named in `context_window_fallbacks`');
  });

  it('tells a key that may call every model from one with a list', () => {
    expect([keyWith([]), keyWith(['*']), keyWith(['gpt-4o', 'all-proxy-models'])].map(keyAllowsEveryModel)).toEqual([true, true, true]);
    expect([keyWith(['gpt-4o']), keyWith(['openai/*'])].map(keyAllowsEveryModel)).toEqual([false, false]);
  });
});
