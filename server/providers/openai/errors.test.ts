import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONTEXT_LENGTH_PREFIX } from '../../core/errors.ts';
import { mapUpstreamError, readErrorBody, retryAfterSeconds } from './errors.ts';

describe('readErrorBody', () => {
  it('reads OpenAI\'s {"error":{…}}', () => {
    const body = JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    expect(readErrorBody(body)).toEqual({ message: 'Incorrect API key provided', type: 'invalid_request_error', param: null, code: 'invalid_api_key' });
  });

  it('reads vLLM\'s {"object":"error","message"}', () => {
    const body = JSON.stringify({ object: 'error', message: 'The model `x` does not exist.', type: 'NotFoundError', param: null, code: 404 });
    expect(readErrorBody(body)).toEqual({ message: 'The model `x` does not exist.', type: 'NotFoundError' });
  });

  it('reads FastAPI\'s {"detail"}, as text or as JSON', () => {
    expect(readErrorBody('{"detail":"Not Found"}')).toEqual({ message: 'Not Found' });
    expect(readErrorBody('{"detail":[{"loc":["body","messages"],"msg":"field required"}]}')?.message).toBe(
      '[{"loc":["body","messages"],"msg":"field required"}]',
    );
  });

  it('reads {"error":"text"} and gives up on other bodies', () => {
    expect(readErrorBody('{"error":"model not loaded"}')).toEqual({ message: 'model not loaded' });
    expect(readErrorBody('<html>502 Bad Gateway</html>')).toBeUndefined();
    expect(readErrorBody('{"ok":false}')).toBeUndefined();
    expect(readErrorBody('null')).toBeUndefined();
  });

  it('stringifies a numeric code', () => {
    expect(readErrorBody('{"error":{"message":"m","code":429}}')?.code).toBe('429');
  });
});

describe('mapUpstreamError', () => {
  it('keeps an OpenAI 4xx error: status, type, param and code, message prefixed by the provider', () => {
    const body = JSON.stringify({
      error: { message: "Invalid value for 'temperature'", type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' },
    });
    const err = mapUpstreamError('openai', 400, body, {});
    expect(err.status).toBe(400);
    expect(err.toBody()).toEqual({
      error: { message: "openai: Invalid value for 'temperature'", type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' },
    });
  });

  it('maps a vLLM body', () => {
    const err = mapUpstreamError(
      'hosted_vllm',
      404,
      JSON.stringify({ object: 'error', message: 'The model `llama` does not exist.', type: 'NotFoundError', code: 404 }),
      {},
    );
    expect(err.status).toBe(404);
    expect(err.message).toBe('hosted_vllm: The model `llama` does not exist.');
  });

  it('maps a FastAPI body', () => {
    const err = mapUpstreamError('openai', 422, '{"detail":"Unprocessable"}', {});
    expect(err.status).toBe(422);
    expect(err.message).toBe('openai: Unprocessable');
    expect(err.type).toBe('invalid_request_error');
  });

  it('maps a non-JSON body, shortened, and an empty one', () => {
    const html = `<html>${'x'.repeat(1000)}</html>`;
    const err = mapUpstreamError('ollama', 400, html, {});
    expect(err.message).toBe(`ollama: ${html.slice(0, 300)}`);
    expect(mapUpstreamError('ollama', 404, '  ', {}).message).toBe('ollama: HTTP 404 with an empty body');
  });

  it("passes OpenAI's own context overflow through as context_length_exceeded", () => {
    const message = "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.";
    const err = mapUpstreamError(
      'openai',
      400,
      JSON.stringify({ error: { message, type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }),
      {},
    );
    expect(err.toBody()).toEqual({ error: { message, type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } });
  });

  it("recognises other servers' context overflow wording and rewrites it to OpenAI's prefix", () => {
    const cases: [number, string][] = [
      [400, JSON.stringify({ object: 'error', message: "This model's max tokens is 4096: please reduce the length of the messages." })],
      [413, 'prompt is too long: 210000 tokens > 200000 maximum'],
      [422, '{"detail":"Input exceeds context window of 8192"}'],
      [400, '{"error":{"message":"too long","code":"context_length_exceeded"}}'],
    ];
    for (const [status, body] of cases) {
      const err = mapUpstreamError('vllm', status, body, {});
      expect(err.status).toBe(400);
      expect(err.code).toBe('context_length_exceeded');
      expect(err.param).toBe('messages');
      expect(err.message.startsWith(CONTEXT_LENGTH_PREFIX)).toBe(true);
      expect(err.message).toContain('vllm:');
    }
  });

  it('does not call a 5xx mentioning the context a context overflow', () => {
    expect(mapUpstreamError('vllm', 500, 'context length computation failed', {}).code).toBe('upstream_500');
  });

  it('reports upstream 500s as 502, keeping 503 and 504', () => {
    const err = mapUpstreamError('openai', 500, '{"error":{"message":"The server had an error","type":"server_error"}}', {});
    expect(err.status).toBe(502);
    expect(err.type).toBe('upstream_error');
    expect(err.code).toBe('upstream_500');
    expect(mapUpstreamError('openai', 503, 'overloaded', {}).status).toBe(503);
    expect(mapUpstreamError('openai', 504, 'timeout', {}).status).toBe(504);
    expect(mapUpstreamError('openai', 529, 'overloaded', {}).status).toBe(502);
  });

  describe('429 Retry-After', () => {
    afterEach(() => vi.useRealTimers());

    it('copies retry-after seconds, rounding up', () => {
      expect(mapUpstreamError('openai', 429, '{"error":{"message":"Rate limit"}}', { 'retry-after': '20' }).headers).toEqual({ 'retry-after': '20' });
      expect(retryAfterSeconds({ 'retry-after': '1.2' })).toBe('2');
    });

    it('prefers retry-after-ms', () => {
      expect(retryAfterSeconds({ 'retry-after-ms': '1500', 'retry-after': '30' })).toBe('2');
      expect(retryAfterSeconds({ 'retry-after-ms': ['250'] })).toBe('1');
    });

    it('converts an HTTP date to seconds from now', () => {
      vi.useFakeTimers();
      vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
      expect(retryAfterSeconds({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' })).toBe('30');
      expect(retryAfterSeconds({ 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' })).toBe('0');
    });

    it('ignores missing or unreadable values', () => {
      expect(retryAfterSeconds({})).toBeUndefined();
      expect(retryAfterSeconds({ 'retry-after': 'soon' })).toBeUndefined();
      const err = mapUpstreamError('openai', 429, 'slow down', { 'retry-after': 'soon' });
      expect(err.status).toBe(429);
      expect(err.type).toBe('rate_limit_error');
      expect(err.headers).toEqual({});
    });

    it('only sets Retry-After on 429s', () => {
      expect(mapUpstreamError('openai', 503, 'busy', { 'retry-after': '5' }).headers).toEqual({});
    });
  });
});
