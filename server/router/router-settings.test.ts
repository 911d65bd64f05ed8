import { describe, expect, it } from 'vitest';
import { emptyConfig } from '../core/config-types.ts';
import { onlyGroups, routerSettings, withRequestOverrides } from './router-settings.ts';

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

  it('with capToSettings, a body may lower retries and its timeout but not raise them', () => {
    const config = emptyConfig();
    config.router_settings = { num_retries: 2, timeout: 30 };
    const settings = routerSettings(config);
    const capped = (body: Record<string, unknown>) => withRequestOverrides(settings, body, 'a', { capToSettings: true });
    expect(capped({ num_retries: 9, request_timeout: 600 })).toMatchObject({ numRetries: 2, requestTimeoutS: 30 });
    expect(capped({ num_retries: 1, timeout: 5 })).toMatchObject({ numRetries: 1, requestTimeoutS: 5 });
    expect(withRequestOverrides(settings, { num_retries: 9, timeout: 600 }, 'a')).toMatchObject({ numRetries: 9, requestTimeoutS: 600 });
  });

  it('reads every model a body chain names through bodyModel, which may refuse one', () => {
    const seen: string[] = [];
    const bodyModel = (name: string, field: string) => {
      seen.push(`${field}:${name}`);
      if (name === 'forbidden') throw new Error(`no ${name}`);
      return name === 'alias' ? 'group' : name;
    };
    const s = withRequestOverrides(routerSettings(emptyConfig()), { fallbacks: ['alias', 'b'], context_window_fallbacks: [{ x: ['c'] }] }, 'a', { bodyModel });
    expect(s.fallbacks).toEqual(new Map([['a', ['group', 'b']]]));
    expect(s.contextWindowFallbacks).toEqual(new Map([['x', ['c']]]));
    expect(seen).toEqual(['fallbacks:alias', 'fallbacks:b', 'context_window_fallbacks:c']);
    expect(() => withRequestOverrides(routerSettings(emptyConfig()), { content_policy_fallbacks: [{ a: ['forbidden'] }] }, 'a', { bodyModel })).toThrow(
      'no forbidden',
    );
  });

  it('onlyGroups keeps the allowed groups of every chain; a chain left empty stays, so default_fallbacks do not replace it', () => {
    const config = emptyConfig();
    config.router_settings = {
      fallbacks: [{ a: ['no-1', 'ok-1'] }, { b: ['no-2'] }],
      context_window_fallbacks: [{ a: ['no-3', 'ok-2'] }],
      content_policy_fallbacks: [{ a: ['ok-3', 'no-4'] }],
      default_fallbacks: ['no-5', 'ok-4'],
    };
    const s = onlyGroups(routerSettings(config), (group) => group.startsWith('ok-'));
    expect(s.fallbacks).toEqual(
      new Map([
        ['a', ['ok-1']],
        ['b', []],
      ]),
    );
    expect(s.contextWindowFallbacks).toEqual(new Map([['a', ['ok-2']]]));
    expect(s.contentPolicyFallbacks).toEqual(new Map([['a', ['ok-3']]]));
    expect(s.defaultFallbacks).toEqual(['ok-4']);
  });
});
