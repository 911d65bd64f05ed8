import { describe, expect, it } from 'vitest';
import { emptyConfig } from '../core/config-types.ts';
import { routerSettings, withRequestOverrides } from './router-settings.ts';

describe('routerSettings', () => {
  it('reads router_settings before litellm_settings, with LiteLLM defaults', () => {
    const config = emptyConfig();
    expect(routerSettings(config)).toMatchObject({ strategy: 'simple-shuffle', numRetries: 0, allowedFails: 3, cooldownS: 5, requestTimeoutS: 600 });
    config.litellm_settings = { num_retries: 1, fallbacks: [{ a: ['b'] }], request_timeout: 30 };
    config.router_settings = {
      num_retries: 3,
      routing_strategy: 'least-busy',
      context_window_fallbacks: [{ small: ['large', 'larger'] }],
      default_fallbacks: ['safe'],
    };
    const s = routerSettings(config);
    expect(s.numRetries).toBe(3);
    expect(s.strategy).toBe('least-busy');
    expect(s.fallbacks.get('a')).toEqual(['b']);
    expect(s.contextWindowFallbacks.get('small')).toEqual(['large', 'larger']);
    expect(s.defaultFallbacks).toEqual(['safe']);
    expect(s.requestTimeoutS).toBe(30);
  });

  it('lets a request override retries, timeout and fallbacks (a plain list is the requested model’s chain)', () => {
    const s = withRequestOverrides(routerSettings(emptyConfig()), { num_retries: 2, request_timeout: 5, fallbacks: ['b', 'c'] }, 'a');
    expect(s.numRetries).toBe(2);
    expect(s.requestTimeoutS).toBe(5);
    expect(s.fallbacks.get('a')).toEqual(['b', 'c']);
  });
});
