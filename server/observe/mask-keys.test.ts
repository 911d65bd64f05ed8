import { describe, expect, it } from 'vitest';
import { maskKeysIn, safeApiBase } from './mask-keys.ts';

describe('maskKeysIn', () => {
  it('masks provider key shapes wherever they appear', () => {
    expect(maskKeysIn('Incorrect API key provided: sk-proj-Zq8vN3kR7tLw2XyB5mHc9JdF. See docs.')).toBe('Incorrect API key provided: sk-…9JdF. See docs.');
    expect(maskKeysIn('bad key sk-ant-api03-Hh4Jj5Kk6Ll7Mm8Nn9Oo0')).toBe('bad key sk-…9Oo0');
    expect(maskKeysIn('key AIzaSyA1234567890abcdefghijkl rejected')).toBe('key AIz…ijkl rejected');
    expect(maskKeysIn('AKIAIOSFODNN7EXAMPLE is not valid')).toBe('AKI…MPLE is not valid');
    expect(maskKeysIn('token hf_abcdefghijklmnop1234')).toBe('token hf_…1234');
  });

  it('masks labelled values: Bearer, api_key=, "token": …', () => {
    expect(maskKeysIn('sent Authorization: Bearer abcdef123456xyz')).toBe('sent Authorization: Bearer abc…6xyz');
    expect(maskKeysIn('url ?api_key=plainsecretvalue&x=1')).toBe('url ?api_key=pla…alue&x=1');
    expect(maskKeysIn('{"token": "zzzzzzzzzz99"}')).toBe('{"token": "zzz…zz99"}');
  });

  it('masks long opaque tokens but keeps UUIDs, words and URLs', () => {
    expect(maskKeysIn('secret 0123456789abcdef0123456789abcdef here')).toBe('secret 012…cdef here');
    const plain = 'Request 3f2a1b4c-1111-2222-3333-444455556666 failed: could not reach https://api.openai.com/v1 (ECONNREFUSED)';
    expect(maskKeysIn(plain)).toBe(plain);
    expect(maskKeysIn('You can find your API key at https://platform.openai.com/account/api-keys.')).toBe(
      'You can find your API key at https://platform.openai.com/account/api-keys.',
    );
  });
});

describe('safeApiBase', () => {
  it('keeps a plain URL as written', () => {
    expect(safeApiBase('https://api.openai.com/v1')).toBe('https://api.openai.com/v1');
    expect(safeApiBase('http://127.0.0.1:1')).toBe('http://127.0.0.1:1');
  });

  it('drops user:password and masks credential query values', () => {
    expect(safeApiBase('https://user:hunter2@proxy.example/v1')).toBe('https://proxy.example/v1');
    expect(safeApiBase('https://x.example/v1?api-key=abcdef123456&region=eu')).toBe('https://x.example/v1?api-key=****&region=eu');
  });
});
