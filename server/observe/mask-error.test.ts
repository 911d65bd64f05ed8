import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.ts';
import { maskedError } from './mask-error.ts';

describe('maskedError', () => {
  it('masks a GatewayError message, keeping status, type, code and headers', () => {
    const error = new GatewayError(503, 'Anthropic: overloaded while serving x-api-key plain-configured-credential', {
      type: 'service_unavailable',
      code: 'overloaded_error',
      headers: { 'retry-after': '3' },
    });
    const masked = maskedError(error, ['plain-configured-credential']);
    expect(masked).toBeInstanceOf(GatewayError);
    expect((masked as GatewayError).toBody()).toEqual({
      error: { message: 'Anthropic: overloaded while serving x-api-key pla…tial', type: 'service_unavailable', param: null, code: 'overloaded_error' },
    });
    expect([(masked as GatewayError).status, (masked as GatewayError).headers]).toEqual([503, { 'retry-after': '3' }]);
  });

  it('masks key shapes in a plain error, and returns an error without secrets as it is', () => {
    const plain = maskedError(new TypeError('bad key sk-proj-abcdefghijklmnop1234'), []);
    expect([plain.name, plain.message]).toEqual(['TypeError', 'bad key sk-…1234']);
    const clean = new GatewayError(502, 'upstream closed the connection');
    expect(maskedError(clean, ['plain-configured-credential'])).toBe(clean);
  });
});
