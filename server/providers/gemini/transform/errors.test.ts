import { describe, expect, it } from 'vitest';
import { mapGoogleError } from './errors.ts';

const googleError = (code: number, status: string, message: string, details: unknown[] = []) => JSON.stringify({ error: { code, message, status, details } });

describe('mapGoogleError', () => {
  it('turns RESOURCE_EXHAUSTED with RetryInfo into a 429 whose Retry-After is the retryDelay', () => {
    const err = mapGoogleError(
      'Gemini',
      429,
      googleError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota.', [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '36.2s' },
      ]),
      {},
    );
    expect(err.status).toBe(429);
    expect(err.headers['retry-after']).toBe('37');
    expect(err.message).toBe('Gemini: You exceeded your current quota.');
    expect(err.code).toBe('RESOURCE_EXHAUSTED');
  });

  it('always gives a 429 a Retry-After', () => {
    expect(mapGoogleError('Gemini', 429, googleError(429, 'RESOURCE_EXHAUSTED', 'quota'), {}).headers['retry-after']).toBe('1');
    expect(mapGoogleError('Gemini', 429, '', { 'Retry-After': '12' }).headers['retry-after']).toBe('12');
  });

  it('maps an invalid API key (a 400 on AI Studio) to 401', () => {
    const err = mapGoogleError(
      'Gemini',
      400,
      googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' },
      ]),
      {},
    );
    expect(err.status).toBe(401);
  });

  it('recognises a context overflow and a safety refusal', () => {
    const overflow = mapGoogleError(
      'Gemini',
      400,
      googleError(400, 'INVALID_ARGUMENT', 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).'),
      {},
    );
    expect(overflow.code).toBe('context_length_exceeded');
    const safety = mapGoogleError('Gemini', 400, googleError(400, 'INVALID_ARGUMENT', 'The request was blocked by safety filters.'), {});
    expect(safety.code).toBe('content_policy_violation');
  });

  it.each([
    [403, 'PERMISSION_DENIED', 403],
    [404, 'NOT_FOUND', 404],
    [500, 'INTERNAL', 502],
    [503, 'UNAVAILABLE', 503],
    [504, 'DEADLINE_EXCEEDED', 504],
  ])('maps HTTP %i %s to %i', (status, name, expected) => {
    expect(mapGoogleError('Gemini', status, googleError(status, name, 'x'), {}).status).toBe(expected);
  });

  it('reads the array-wrapped error of Vertex stream endpoints and describes a non-JSON body', () => {
    expect(mapGoogleError('Vertex AI', 404, `[${googleError(404, 'NOT_FOUND', 'Publisher model not found')}]`, {}).message).toBe(
      'Vertex AI: Publisher model not found',
    );
    expect(mapGoogleError('Gemini', 502, '<html>bad gateway</html>', {}).message).toContain('upstream returned HTTP 502');
  });
});
