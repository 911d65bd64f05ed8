import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.ts';
import type { Deployment } from '../providers/types.ts';
import { gatewayErrorFrom, testDeployment } from '../test-support/fixtures.ts';
import { ModelRouter, parseWildcardCopyId } from './model-router.ts';

function deployment(modelName: string, model: string, id = `${modelName}->${model}`): Deployment {
  const slash = model.indexOf('/');
  return testDeployment({
    id,
    modelName,
    provider: model.slice(0, slash),
    upstreamModel: model.slice(slash + 1),
    apiBase: 'https://api.example.com/v1',
    apiKey: undefined,
    params: { model },
  });
}

describe('ModelRouter', () => {
  const gpt4oA = deployment('gpt-4o', 'openai/gpt-4o', 'a');
  const gpt4oB = deployment('gpt-4o', 'azure/gpt-4o-eu', 'b');
  const claude = deployment('claude', 'anthropic/claude-sonnet-4-5');

  it('groups deployments of the same model_name, in config order', () => {
    const router = new ModelRouter([gpt4oA, claude, gpt4oB]);
    const group = router.resolve('gpt-4o');
    expect(group.modelName).toBe('gpt-4o');
    expect(group.deployments.map((d) => d.id)).toEqual(['a', 'b']);
    expect(router.resolve('claude').deployments).toEqual([claude]);
    expect(router.modelNames()).toEqual(['gpt-4o', 'claude']);
  });

  it('answers a request without a model with the first model_list entry', () => {
    const router = new ModelRouter([claude, gpt4oA]);
    expect(router.defaultModel()).toBe('claude');
    expect(router.resolve(undefined).modelName).toBe('claude');
  });

  it('skips wildcard entries when choosing the default model', () => {
    const router = new ModelRouter([deployment('openai/*', 'openai/*'), claude]);
    expect(router.defaultModel()).toBe('claude');
  });

  it('serves `openai/*` with the upstream model the star matched', () => {
    const wildcard = deployment('openai/*', 'openai/*');
    const router = new ModelRouter([claude, wildcard]);
    const group = router.resolve('openai/gpt-4o-mini');
    expect(group.modelName).toBe('openai/gpt-4o-mini');
    expect(group.deployments).toHaveLength(1);
    // Its own id (price, health and cooldown follow the concrete model), naming the configured deployment first.
    expect(group.deployments[0]).toMatchObject({
      modelName: 'openai/gpt-4o-mini',
      upstreamModel: 'gpt-4o-mini',
      provider: 'openai',
      id: `${wildcard.id}:gpt-4o-mini`,
    });
    // The configured deployment itself is left untouched.
    expect(wildcard.upstreamModel).toBe('*');
    // Wildcard patterns are not listed as model names.
    expect(router.modelNames()).toEqual(['claude']);
  });

  it('keeps a fixed upstream model when the wildcard group names one', () => {
    const fixed = deployment('team-*', 'openai/gpt-4o', 'team');
    const router = new ModelRouter([fixed]);
    // One upstream model whatever the name: one deployment, so the copies keep the configured id.
    expect(router.resolve('team-research').deployments[0]).toMatchObject({ modelName: 'team-research', upstreamModel: 'gpt-4o', id: 'team' });
    expect(router.resolve('team-ops').deployments[0]).toMatchObject({ modelName: 'team-ops', id: 'team' });
  });

  it('gives each concrete model of a wildcard its own id, and reads the upstream model back from it', () => {
    const router = new ModelRouter([deployment('claude-*', 'anthropic/claude-*', 'claude-wildcard')]);
    const ids = ['claude-opus-4-1', 'claude-3-5-haiku-latest'].map((name) => router.resolve(name).deployments[0]?.id);
    expect(ids).toEqual(['claude-wildcard:claude-opus-4-1', 'claude-wildcard:claude-3-5-haiku-latest']);
    expect(parseWildcardCopyId('claude-wildcard:claude-opus-4-1', 'claude-wildcard')).toBe('claude-opus-4-1');
    expect(parseWildcardCopyId('claude-wildcard', 'claude-wildcard')).toBeUndefined();
    expect(parseWildcardCopyId('other:claude-opus-4-1', 'claude-wildcard')).toBeUndefined();
  });

  it('lets `*` take every name that no exact group serves', () => {
    const router = new ModelRouter([claude, deployment('*', 'openai/*')]);
    expect(router.resolve('claude').deployments).toEqual([claude]);
    expect(router.resolve('gpt-4.1').deployments[0]).toMatchObject({ upstreamModel: 'gpt-4.1', modelName: 'gpt-4.1' });
  });

  it('treats regex characters in wildcard names literally', () => {
    const router = new ModelRouter([deployment('gpt-4.1*', 'openai/gpt-4.1*')]);
    expect(router.resolve('gpt-4.1-mini').deployments[0]?.upstreamModel).toBe('gpt-4.1-mini');
    expect(() => router.resolve('gpt-4x1-mini')).toThrow(GatewayError);
  });

  it('merges deployments of the same wildcard pattern into one group', () => {
    const router = new ModelRouter([deployment('openai/*', 'openai/*', 'x'), deployment('openai/*', 'azure/*', 'y')]);
    const group = router.resolve('openai/gpt-4o');
    expect(group.deployments.map((d) => [d.id, d.upstreamModel])).toEqual([
      ['x:gpt-4o', 'gpt-4o'],
      ['y:gpt-4o', 'gpt-4o'],
    ]);
  });

  it('returns the same resolved wildcard group for the same name', () => {
    const router = new ModelRouter([deployment('openai/*', 'openai/*')]);
    expect(router.resolve('openai/o3')).toBe(router.resolve('openai/o3'));
  });

  it('sends every unknown name to the --model catch-all', () => {
    const only = deployment('ollama/llama3', 'ollama/llama3');
    const router = new ModelRouter([only], 'ollama/llama3');
    expect(router.resolve('gpt-4o').deployments).toEqual([only]);
    expect(router.resolve('anything-at-all').deployments).toEqual([only]);
  });

  it('answers an unknown model with 404 model_not_found listing the available names', () => {
    const router = new ModelRouter([gpt4oA, claude]);
    const err = gatewayErrorFrom(() => router.resolve('gpt-5'));
    expect(err.status).toBe(404);
    expect(err.code).toBe('model_not_found');
    expect(err.param).toBe('model');
    expect(err.type).toBe('not_found_error');
    expect(err.message).toContain('`gpt-5`');
    expect(err.message).toContain('Available models: gpt-4o, claude');
  });

  it('answers 404 when no model is configured at all', () => {
    const router = new ModelRouter([]);
    expect(router.defaultModel()).toBeUndefined();
    const err = gatewayErrorFrom(() => router.resolve(undefined));
    expect(err.status).toBe(404);
    expect(err.message).toContain('(none configured)');
  });
});
