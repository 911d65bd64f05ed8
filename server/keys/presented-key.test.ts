import { describe, expect, it } from 'vitest';
import { presentedKey, sameSecret } from './presented-key.ts';

describe('presentedKey', () => {
  it('reads Authorization: Bearer, case-insensitively and trimmed', () => {
    expect(presentedKey({ authorization: 'Bearer sk-1234' })).toBe('sk-1234');
    expect(presentedKey({ authorization: 'bearer   sk-1234  ' })).toBe('sk-1234');
  });

  it('takes a bare Authorization value as the key', () => {
    expect(presentedKey({ authorization: 'sk-raw' })).toBe('sk-raw');
  });

  it('reads x-api-key (Anthropic) and api-key (Azure)', () => {
    expect(presentedKey({ 'x-api-key': 'sk-anthropic-style' })).toBe('sk-anthropic-style');
    expect(presentedKey({ 'api-key': 'sk-azure-style' })).toBe('sk-azure-style');
  });

  it('prefers Authorization over the other headers', () => {
    expect(presentedKey({ authorization: 'Bearer a', 'x-api-key': 'b', 'api-key': 'c' })).toBe('a');
    expect(presentedKey({ 'x-api-key': 'b', 'api-key': 'c' })).toBe('b');
  });

  it('is undefined when no key is sent or it is blank', () => {
    expect(presentedKey({})).toBeUndefined();
    expect(presentedKey({ 'x-api-key': '  ' })).toBeUndefined();
  });
});

describe('sameSecret', () => {
  it('compares whole secrets, whatever their lengths', () => {
    expect(sameSecret('sk-master', 'sk-master')).toBe(true);
    expect(sameSecret('sk-master', 'sk-maste')).toBe(false);
    expect(sameSecret('sk-master', 'sk-master-and-more')).toBe(false);
  });
});
