import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cacheSettingsOf } from '../cache/cache-settings.ts';
import { parseConfig } from '../config/load.ts';
import { modelGroupsOf, planRoutingEdit, routingView, RoutingInputError, type RoutingInput } from './routing-edit.ts';
import { editYaml } from '../config/yaml-edit.ts';

const MODELS = `model_list:
  - { model_name: a, litellm_params: { model: mock/a } }
  - { model_name: b, litellm_params: { model: mock/b } }
  - { model_name: b, litellm_params: { model: mock/b2 } }
  - { model_name: "openai/*", litellm_params: { model: "openai/*" } }
`;

/** The file after the change, parsed. */
function change(text: string, input: RoutingInput): { text: string; tree: Record<string, Record<string, unknown>> } {
  const loaded = parseConfig(text, 'config.yaml', { env: {} });
  const edits = planRoutingEdit(loaded, cacheSettingsOf(loaded.resolved, {}), input);
  const out = editYaml(text, edits);
  return { text: out, tree: parse(out, { version: '1.1' }) as Record<string, Record<string, unknown>> };
}

function refusal(text: string, input: RoutingInput): RoutingInputError {
  const loaded = parseConfig(text, 'config.yaml', { env: {} });
  try {
    planRoutingEdit(loaded, undefined, input);
  } catch (error) {
    if (error instanceof RoutingInputError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('routingView', () => {
  it('reads router_settings first, then litellm_settings, then the defaults', () => {
    const loaded = parseConfig(
      `${MODELS}router_settings: { num_retries: 2, retry_after: 1 }\nlitellm_settings: { num_retries: 7, allowed_fails: 1, default_fallbacks: [b], stream_timeout: 9 }\n`,
      'c.yaml',
      { env: {} },
    );
    expect(routingView(loaded.resolved, undefined)).toMatchObject({
      num_retries: 2,
      retry_after: 1,
      allowed_fails: 1,
      cooldown_time: 5,
      default_fallbacks: ['b'],
      stream_timeout: 9,
      request_timeout: 600,
    });
    expect(modelGroupsOf(loaded.resolved)).toEqual(['a', 'b']);
  });
});

describe('planRoutingEdit', () => {
  it('router-first keys go where the file has them, else router_settings; timeouts to litellm_settings', () => {
    const text = `${MODELS}litellm_settings:\n  num_retries: 1   # here\n`;
    const { tree, text: out } = change(text, { num_retries: 2, cooldown_time: 9, request_timeout: 20, stream_timeout: 4, fallbacks: [{ a: ['b'] }] });
    expect(tree.litellm_settings).toEqual({ num_retries: 2, request_timeout: 20, stream_timeout: 4 });
    expect(tree.router_settings).toEqual({ cooldown_time: 9, fallbacks: [{ a: ['b'] }] });
    expect(out).toContain('  num_retries: 2   # here\n');
  });

  it('when both sections have a key, router_settings gets it and the shadowed copy goes', () => {
    const { tree } = change(`${MODELS}router_settings:\n  cooldown_time: 4\nlitellm_settings:\n  cooldown_time: 3\n`, { cooldown_time: 8 });
    expect(tree.router_settings).toEqual({ cooldown_time: 8 });
    expect(tree.litellm_settings).toEqual({});
  });

  it('empty chains remove the key from both sections; chains drop empty rules', () => {
    const text = `${MODELS}router_settings:\n  fallbacks: [{ a: [b] }]\n  num_retries: 1\nlitellm_settings:\n  fallbacks: [{ b: [a] }]\n  default_fallbacks: [a]\n`;
    const { tree } = change(text, { fallbacks: [{ a: [] }], default_fallbacks: [] });
    expect(tree.router_settings).toEqual({ num_retries: 1 });
    expect(tree.litellm_settings).toEqual({});
  });

  it('a chain may name what a wildcard group serves', () => {
    const { tree } = change(MODELS, { context_window_fallbacks: [{ a: ['openai/gpt-4o'] }] });
    expect(tree.router_settings).toEqual({ context_window_fallbacks: [{ a: ['openai/gpt-4o'] }] });
  });

  it('values already in force are not written', () => {
    const text = `${MODELS}litellm_settings: { num_retries: 1 }\n`;
    const loaded = parseConfig(text, 'c.yaml', { env: {} });
    const current = routingView(loaded.resolved, undefined);
    expect(planRoutingEdit(loaded, undefined, { ...current, model_groups: ['a'] })).toEqual([]);
  });

  it('the cache in its short form is edited there; turning it off keeps its settings in cache_params', () => {
    const text = `${MODELS}litellm_settings:\n  cache: { type: local, default_in_memory_ttl: 30 }\n`;
    const ttl = change(text, { cache: { ttl: 90 } });
    expect(ttl.tree.litellm_settings).toEqual({ cache: { type: 'local', ttl: 90 } });
    const off = change(text, { cache: { enabled: false } });
    expect(off.tree.litellm_settings).toEqual({ cache: false, cache_params: { type: 'local', default_in_memory_ttl: 30 } });
    const loaded = parseConfig(off.text, 'c.yaml', { env: {} });
    expect(cacheSettingsOf(loaded.resolved, {})).toBeUndefined();
    expect(routingView(loaded.resolved, undefined).cache).toEqual({ enabled: false, type: 'local', ttl: null, host: null, port: null });
    const on = change(off.text, { cache: { enabled: true, ttl: 45 } });
    expect(on.tree.litellm_settings).toEqual({ cache: true, cache_params: { type: 'local', ttl: 45 } });
  });

  it.each([
    [{ fallbacks: [{ a: ['c'] }] }, 'fallbacks[0].a[0]', /no model group `c`\. The model groups are: a, b\./],
    [{ fallbacks: [{ '*': ['a'] }] }, 'fallbacks[0].*', /default_fallbacks/],
    [{ fallbacks: [{ a: ['b'] }, { a: ['b'] }] }, 'fallbacks[1].a', /already has a chain in fallbacks\[0\]/],
    [{ content_policy_fallbacks: [{ b: ['b'] }] }, 'content_policy_fallbacks[0].b[0]', /cannot fall back to itself/],
    [{ default_fallbacks: ['a', ''] }, 'default_fallbacks[1]', /name of a model group/],
    [{ routing_strategy: 'fastest' as never }, 'routing_strategy', /one of: simple-shuffle/],
    [{ allowed_fails: 0.5 }, 'allowed_fails', /whole number/],
    [{ retry_after: -1 }, 'retry_after', /0 or more/],
    [{ stream_timeout: 0 }, 'stream_timeout', /above 0, or null/],
    [{ cache: { type: 'memcached' as never } }, 'cache.type', /local or redis/],
    [{ cache: { port: 70000 } }, 'cache.port', /1-65535/],
    [{ cache: { size: 1 } as never }, 'cache.size', /not a cache setting/],
  ])('%j is refused, naming %s', (input, param, message) => {
    const error = refusal(MODELS, input as RoutingInput);
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
  });
});
