import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../core/errors.ts';
import { anthropicErrorType, errorEventFrame, relayedUpstreamError, renderAnthropicError } from './errors.ts';
import { validationError } from './schema.ts';

describe('inbound errors in Anthropic shape', () => {
  it('names each status the way Anthropic does', () => {
    const types = [400, 401, 402, 403, 404, 413, 429, 500, 502, 503, 504, 529, 418].map((s) => [s, anthropicErrorType(s)]);
    expect(Object.fromEntries(types)).toEqual({
      400: 'invalid_request_error',
      401: 'authentication_error',
      402: 'billing_error',
      403: 'permission_error',
      404: 'not_found_error',
      413: 'request_too_large',
      429: 'rate_limit_error',
      500: 'api_error',
      502: 'api_error',
      503: 'overloaded_error',
      504: 'timeout_error',
      529: 'overloaded_error',
      418: 'invalid_request_error',
    });
  });

  it('renders a GatewayError keeping its status and Retry-After', () => {
    const error = new GatewayError(429, 'slow down', { type: 'rate_limit_error', headers: { 'retry-after': '7' } });
    expect(renderAnthropicError(error)).toEqual({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
    });
  });

  it('words a context overflow the way Claude Code recognises it', () => {
    const overflow = new GatewayError(400, "This model's maximum context length is 8192 tokens.", { code: 'context_length_exceeded' });
    expect(renderAnthropicError(overflow).body.error).toEqual({
      type: 'invalid_request_error',
      message: "prompt is too long: This model's maximum context length is 8192 tokens.",
    });
  });

  it('frames a late failure as an error event', () => {
    expect(errorEventFrame(new GatewayError(503, 'Overloaded'))).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    );
    expect(errorEventFrame(new Error('socket hang up'))).toContain('"type":"api_error"');
  });

  it('relays an Anthropic error body as is, and wraps anything else', () => {
    const body = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' };
    expect(relayedUpstreamError(529, JSON.stringify(body), '3')).toEqual({ status: 529, headers: { 'retry-after': '3' }, body });
    expect(relayedUpstreamError(502, '<html>bad gateway</html>', undefined).body).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'The upstream answered HTTP 502: <html>bad gateway</html>' },
    });
  });

  it('words schema failures like Anthropic', () => {
    expect(validationError([{ instancePath: '', keyword: 'required', params: { missingProperty: 'max_tokens' } }]).message).toBe('max_tokens: Field required');
    expect(validationError([{ instancePath: '/messages', keyword: 'minItems', params: { limit: 1 } }]).message).toBe(
      'messages: at least one message is required',
    );
    expect(validationError([{ instancePath: '/messages/0/role', keyword: 'enum', params: { allowedValues: ['user', 'assistant'] } }]).message).toBe(
      'messages.0.role: must be one of: user, assistant',
    );
    expect(validationError([{ instancePath: '/thinking/budget_tokens', keyword: 'minimum', params: { limit: 1024 } }]).message).toBe(
      'thinking.budget_tokens: Input should be greater than or equal to 1024',
    );
    expect(validationError([{ instancePath: '/messages/2/content/0/type', keyword: 'const', params: { allowedValue: 'text' } }]).message).toBe(
      'messages.2.content.0.type: Input should be "text"',
    );
    expect(validationError([{ instancePath: '/max_tokens', keyword: 'type', params: { type: 'integer' } }]).message).toBe(
      'max_tokens: Input should be a valid integer',
    );
  });
});
