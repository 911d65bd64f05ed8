import { describe, expect, it } from 'vitest';
import { resolveReferences, type ReferenceUse } from './resolve.ts';

describe('resolveReferences', () => {
  const env: Record<string, string> = { A: 'alpha' };
  const resolvers = { 'os.environ/': (name: string) => env[name] };

  it('replaces references at any depth and reports each use', () => {
    const input = { a: 'os.environ/A', list: ['x', 'os.environ/B', { deep: 'os.environ/A' }], n: 3, when: new Date(0) };
    const uses: ReferenceUse[] = [];
    const out = resolveReferences(input, resolvers, (use) => uses.push(use));
    expect(out).toEqual({ a: 'alpha', list: ['x', undefined, { deep: 'alpha' }], n: 3, when: new Date(0) });
    expect(uses.map((u) => [u.path, u.name, u.value])).toEqual([
      [['a'], 'A', 'alpha'],
      [['list', 1], 'B', undefined],
      [['list', 2, 'deep'], 'A', 'alpha'],
    ]);
    expect(input.a).toBe('os.environ/A'); // input untouched
  });

  it('leaves look-alikes alone: bare prefix, other text, keys', () => {
    expect(resolveReferences({ 'os.environ/A': 'os.environ/', b: 'openai/gpt-4o', c: 'x os.environ/A' }, resolvers)).toEqual({
      'os.environ/A': 'os.environ/',
      b: 'openai/gpt-4o',
      c: 'x os.environ/A',
    });
  });

  it('is pluggable: the longest matching prefix wins', () => {
    const out = resolveReferences(['keychain/k', 'keychain/team/k'], { 'keychain/': (n) => `one:${n}`, 'keychain/team/': (n) => `team:${n}` });
    expect(out).toEqual(['one:k', 'team:k']);
  });
});
