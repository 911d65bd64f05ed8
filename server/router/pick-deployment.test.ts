import { describe, expect, it } from 'vitest';
import type { Deployment } from '../providers/types.ts';
import { testDeployment } from '../test-support/fixtures.ts';
import { pickDeployment } from './pick-deployment.ts';

function deployment(id: string, params: Record<string, unknown> = {}, modelInfo: Record<string, unknown> = {}): Deployment {
  return testDeployment({ id, modelName: 'group', upstreamModel: 'gpt-4o', apiKey: undefined, params: { model: 'openai/gpt-4o', ...params }, modelInfo });
}

const fixed = (value: number) => () => value;
const ids = (deployments: Deployment[], randoms: number[]) => randoms.map((r) => pickDeployment(deployments, fixed(r)).id);

describe('pickDeployment', () => {
  it('throws on an empty group', () => {
    expect(() => pickDeployment([])).toThrow(/at least one/);
  });

  it('returns the only deployment without drawing a random number', () => {
    const only = deployment('only');
    expect(
      pickDeployment([only], () => {
        throw new Error('must not be called');
      }),
    ).toBe(only);
  });

  it('picks uniformly when no deployment sets a weight', () => {
    const group = [deployment('a'), deployment('b'), deployment('c')];
    expect(ids(group, [0, 0.33, 0.34, 0.66, 0.67, 0.999])).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
  });

  it('weights by `weight`', () => {
    const group = [deployment('a', { weight: 1 }), deployment('b', { weight: 3 })];
    // total 4: [0, 1) → a, [1, 4) → b
    expect(ids(group, [0, 0.24, 0.25, 0.999])).toEqual(['a', 'a', 'b', 'b']);
  });

  it('weights by `rpm` when no weight is set', () => {
    const group = [deployment('a', { rpm: 900 }), deployment('b', { rpm: 100 })];
    expect(ids(group, [0.89, 0.9, 0.95])).toEqual(['a', 'b', 'b']);
  });

  it('weights by `tpm` when neither weight nor rpm is set', () => {
    const group = [deployment('a', { tpm: 1_000 }), deployment('b', { tpm: 3_000 })];
    expect(ids(group, [0.2, 0.3])).toEqual(['a', 'b']);
  });

  it('prefers weight over rpm and rpm over tpm', () => {
    const group = [deployment('a', { weight: 1, rpm: 1, tpm: 1 }), deployment('b', { weight: 9, rpm: 1_000_000, tpm: 1 })];
    expect(ids(group, [0.05, 0.15])).toEqual(['a', 'b']);
  });

  it('reads weights from model_info too', () => {
    const group = [deployment('a', {}, { rpm: 1 }), deployment('b', {}, { rpm: 99 })];
    expect(ids(group, [0.005, 0.02])).toEqual(['a', 'b']);
  });

  it('never picks a deployment without a weight when others have one', () => {
    const group = [deployment('unweighted'), deployment('weighted', { weight: 2 })];
    expect(ids(group, [0, 0.5, 0.999])).toEqual(['weighted', 'weighted', 'weighted']);
  });

  it('ignores zero, negative and non-numeric weights', () => {
    const group = [deployment('a', { weight: 0 }), deployment('b', { weight: -5 }), deployment('c', { weight: '7' })];
    // None counts, so the pick is uniform.
    expect(ids(group, [0.1, 0.5, 0.9])).toEqual(['a', 'b', 'c']);
  });
});
