import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from './memory-store.ts';
import { assertSecretName, SecretNameError } from './secret-store.ts';

describe('secret names', () => {
  it('accepts letters, digits, dot, underscore and dash up to 128 characters', () => {
    for (const name of ['OPENAI_API_KEY', 'azure.eu-west', 'a', 'x'.repeat(128)]) expect(() => assertSecretName(name)).not.toThrow();
  });

  it('rejects empty, too long and odd names with a message saying what is allowed', () => {
    expect(() => assertSecretName('')).toThrow(/must not be empty/);
    expect(() => assertSecretName('x'.repeat(129))).toThrow(/129 characters long; at most 128/);
    for (const name of ['has space', 'a/b', 'ключ', 'a:b', '../x']) {
      expect(() => assertSecretName(name)).toThrow(SecretNameError);
    }
    expect(() => assertSecretName('a/b')).toThrow(/letters, digits, `\.`, `_` and `-`/);
  });
});

describe('MemorySecretStore', () => {
  it('stores, replaces, lists sorted and deletes', () => {
    const store = new MemorySecretStore({ b: 'value-b' });
    expect(store.backend).toBe('memory');
    expect(store.weakerProtection).toBe(false);
    store.set('a', 'value-a');
    store.set('b', 'value-b2');
    expect(store.list()).toEqual(['a', 'b']);
    expect(store.get('b')).toBe('value-b2');
    expect(store.get('c')).toBeUndefined();
    expect(store.delete('a')).toBe(true);
    expect(store.delete('a')).toBe(false);
    expect(store.list()).toEqual(['b']);
  });

  it('validates names and refuses empty values without repeating them', () => {
    const store = new MemorySecretStore();
    expect(() => store.set('bad name', 'v')).toThrow(SecretNameError);
    expect(() => store.get('bad name')).toThrow(SecretNameError);
    expect(() => store.set('ok', '')).toThrow(/must be a non-empty string/);
  });
});
