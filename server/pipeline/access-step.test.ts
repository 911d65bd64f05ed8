import { describe, expect, it } from 'vitest';
import { emptyConfig } from '../core/config-types.ts';
import type { Caller } from '../keys/caller.ts';
import { blankKey } from '../keys/key-settings.ts';
import { routerSettings } from '../router/router-settings.ts';
import { requestAccess } from './access-step.ts';
import { gatewayErrorFrom } from '../test-support/fixtures.ts';

const config = emptyConfig();
config.router_settings = {
  num_retries: 2,
  timeout: 30,
  fallbacks: [{ mine: ['theirs', 'also-mine'] }],
  default_fallbacks: ['theirs', 'also-mine'],
};
const routing = routerSettings(config);
const virtual = (models: string[], aliases: Record<string, string> = {}): Caller => ({
  kind: 'virtual',
  key: { ...blankKey('sk-test-key-1234', 0), models, aliases },
});
const key = virtual(['mine', 'also-mine'], { nick: 'also-mine' });

describe('requestAccess', () => {
  it('for a virtual key: configured chains keep only its groups, body chains go through its aliases, retries and timeout are capped', () => {
    const { modelName, settings } = requestAccess(key, routing, { context_window_fallbacks: ['nick'], num_retries: 5, timeout: 99 }, 'mine');
    expect(modelName).toBe('mine');
    expect(settings.fallbacks.get('mine')).toEqual(['also-mine']);
    expect(settings.defaultFallbacks).toEqual(['also-mine']);
    expect(settings.contextWindowFallbacks.get('mine')).toEqual(['also-mine']);
    expect([settings.numRetries, settings.requestTimeoutS]).toEqual([2, 30]);
  });

  it('refuses a body chain naming a model the key may not call, naming the model and the field', () => {
    const error = gatewayErrorFrom(() => requestAccess(key, routing, { fallbacks: ['also-mine', 'theirs'] }, 'mine'));
    expect([error.status, error.param, error.code]).toEqual([403, 'fallbacks', 'key_model_access_denied']);
    expect(error.message).toContain('`theirs`');
  });

  it('refuses the model asked for as before', () => {
    expect(gatewayErrorFrom(() => requestAccess(key, routing, {}, 'theirs')).param).toBe('model');
  });

  it('a key with no model list, the master key and an open gateway keep every chain', () => {
    for (const caller of [virtual([]), { kind: 'master' } as const, { kind: 'open' } as const]) {
      const { settings } = requestAccess(caller, routing, { content_policy_fallbacks: ['theirs'] }, 'mine');
      expect(settings.fallbacks.get('mine')).toEqual(['theirs', 'also-mine']);
      expect(settings.contentPolicyFallbacks.get('mine')).toEqual(['theirs']);
    }
  });

  it('only a virtual key is capped: the operator’s own calls may raise retries and the timeout', () => {
    expect(requestAccess({ kind: 'master' }, routing, { num_retries: 5, timeout: 99 }, 'mine').settings).toMatchObject({
      numRetries: 5,
      requestTimeoutS: 99,
    });
  });
});
