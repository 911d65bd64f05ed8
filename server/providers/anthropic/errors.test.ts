import { describe, it, expect } from 'vitest';
import { CONTEXT_LENGTH_PREFIX } from '../../core/errors.ts';
import { mapAnthropicError } from './errors.ts';

const body = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_1' });

describe('anthropic error mapping', () => {
  it('recognises a context overflow', () => {
    const error = mapAnthropicError(400, body('invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum'), {});
    expect(error.status).toBe(400);
    expect(error.message.startsWith(CONTEXT_LENGTH_PREFIX)).toBe(true);
    expect(error.message).toContain('210000 tokens > 200000 maximum');
    expect(error.code).toBe('context_length_exceeded');
    expect(error.param).toBe('messages');
  });

  it('keeps other 400s as invalid requests with the upstream message', () => {
    const error = mapAnthropicError(400, body('invalid_request_error', 'messages: roles must alternate'), {});
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toBe('Anthropic: messages: roles must alternate');
  });

  it('copies Retry-After on 429', () => {
    const error = mapAnthropicError(429, body('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'), {
      'Retry-After': '17',
    });
    expect(error.status).toBe(429);
    expect(error.type).toBe('rate_limit_error');
    expect(error.headers).toEqual({ 'retry-after': '17' });
    expect(error.message).toContain('per-minute rate limit');
  });

  it('maps 529 overloaded to 503', () => {
    const error = mapAnthropicError(529, body('overloaded_error', 'Overloaded'), {});
    expect(error.status).toBe(503);
    expect(error.type).toBe('service_unavailable');
    expect(error.code).toBe('overloaded_error');
    expect(error.message).toBe('Anthropic: Overloaded');
  });

  it('maps auth, permission, not found, size and server errors', () => {
    const statusFor = (status: number, type: string) => mapAnthropicError(status, body(type, 'x'), {}).status;
    expect(statusFor(401, 'authentication_error')).toBe(401);
    expect(statusFor(403, 'permission_error')).toBe(403);
    expect(statusFor(404, 'not_found_error')).toBe(404);
    expect(statusFor(413, 'request_too_large')).toBe(413);
    const serverError = mapAnthropicError(500, body('api_error', 'Internal server error'), {});
    expect(serverError.status).toBe(502);
    expect(serverError.type).toBe('upstream_error');
  });

  it('gives a clear message for a non-JSON or empty body', () => {
    const html = mapAnthropicError(502, '<html><body>Bad Gateway</body></html>', {});
    expect(html.status).toBe(502);
    expect(html.message).toBe('Anthropic: upstream returned HTTP 502: <html><body>Bad Gateway</body></html>');
    expect(mapAnthropicError(401, '', {}).message).toBe('Anthropic: upstream returned HTTP 401 with an empty body');
  });
});
