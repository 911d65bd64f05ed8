import { describe, expect, it } from 'vitest';
import { maskHeaders, maskSecret, redactSecrets } from './mask.ts';

describe('maskSecret', () => {
  it('shows the first three and last four characters', () => {
    expect(maskSecret('sk-proj-1234567890abcd')).toBe('sk-…abcd');
  });

  it('hides short secrets completely', () => {
    expect(maskSecret('12345678')).toBe('****');
    expect(maskSecret('')).toBe('****');
  });

  it('keeps the Bearer / Basic scheme visible', () => {
    expect(maskSecret('Bearer sk-proj-1234567890abcd')).toBe('Bearer sk-…abcd');
    expect(maskSecret('bearer  sk-proj-1234567890abcd')).toBe('bearer  sk-…abcd');
    expect(maskSecret('Basic dXNlcjpwYXNzd29yZA==')).toBe('Basic dXN…ZA==');
    expect(maskSecret('Bearer short')).toBe('Bearer ****');
  });
});

describe('maskHeaders', () => {
  it('masks credential headers whatever their case and keeps the others', () => {
    const headers = {
      Authorization: 'Bearer sk-live-abcdefghijkl',
      'api-key': 'azure-key-0123456789',
      'X-Api-Key': 'sk-ant-api03-zzzzzzzzzz',
      'x-goog-api-key': 'AIzaSyAAAAAAAAAAAAAAAA',
      cookie: 'session=abcdefghijklmnop',
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
    };
    expect(maskHeaders(headers)).toEqual({
      Authorization: 'Bearer sk-…ijkl',
      'api-key': 'azu…6789',
      'X-Api-Key': 'sk-…zzzz',
      'x-goog-api-key': 'AIz…AAAA',
      cookie: 'ses…mnop',
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
    });
  });

  it('leaves the input untouched', () => {
    const headers = { authorization: 'Bearer sk-live-abcdefghijkl' };
    maskHeaders(headers);
    expect(headers.authorization).toBe('Bearer sk-live-abcdefghijkl');
  });
});

describe('redactSecrets', () => {
  it('masks every occurrence of each secret in free text', () => {
    const text = 'POST https://x/?key=sk-secret-123456789 failed; key sk-secret-123456789 rejected';
    expect(redactSecrets(text, ['sk-secret-123456789', undefined])).toBe('POST https://x/?key=sk-…6789 failed; key sk-…6789 rejected');
  });

  it('ignores secrets too short to search for safely', () => {
    expect(redactSecrets('abc abc', ['abc'])).toBe('abc abc');
  });
});
