import { describe, expect, it } from 'vitest';
import { mapHuggingFaceError } from './errors.ts';

const tgi = (error: string, error_type: string) => JSON.stringify({ error, error_type });

describe('mapHuggingFaceError', () => {
  it.each([
    [401, JSON.stringify({ error: 'Invalid credentials' }), 401, 'authentication_error'],
    [403, JSON.stringify({ error: 'forbidden' }), 403, 'permission_error'],
    [404, JSON.stringify({ error: 'Model not found' }), 404, 'not_found_error'],
    [422, tgi('Input validation error: `top_p` must be > 0.0 and < 1.0', 'validation'), 400, 'invalid_request_error'],
    [424, tgi('Request failed during generation', 'generation'), 502, 'upstream_error'],
    [500, 'oops', 502, 'upstream_error'],
    [504, '', 504, 'timeout_error'],
  ])('%i → %i %s', (status, body, out, type) => {
    const error = mapHuggingFaceError(status, body, {});
    expect([error.status, error.type]).toEqual([out, type]);
    expect(error.message).toMatch(/^Hugging Face: /);
  });

  it('429 overloaded carries Retry-After: the upstream’s, or a default', () => {
    expect(mapHuggingFaceError(429, tgi('Model is overloaded', 'overloaded'), { 'retry-after': '9' }).headers).toEqual({ 'retry-after': '9' });
    const error = mapHuggingFaceError(429, tgi('Model is overloaded', 'overloaded'), {});
    expect([error.status, error.code, error.headers['retry-after']]).toEqual([429, 'overloaded', '1']);
  });

  it('model loading → 503 with Retry-After from estimated_time', () => {
    const error = mapHuggingFaceError(503, JSON.stringify({ error: 'Model x is currently loading', estimated_time: 20.4 }), {});
    expect([error.status, error.headers['retry-after']]).toEqual([503, '21']);
  });

  it('the token-limit validation error → context_length_exceeded', () => {
    const body = tgi(
      'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4000 `inputs` tokens and 200 `max_new_tokens`',
      'validation',
    );
    expect(mapHuggingFaceError(422, body, {}).code).toBe('context_length_exceeded');
  });

  it('the Messages API’s OpenAI-shaped errors are read too', () => {
    const error = mapHuggingFaceError(400, JSON.stringify({ error: { message: 'bad tools', type: 'invalid_request_error' } }), {});
    expect([error.status, error.message]).toEqual([400, 'Hugging Face: bad tools']);
  });
});
