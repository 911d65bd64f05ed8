import { describe, expect, it } from 'vitest';
import { maskJsonText } from './mask-fields.ts';

describe('maskJsonText', () => {
  it('masks an OpenAI error body: configured secrets and key shapes in the message, the rest kept', () => {
    const body = JSON.stringify({
      error: {
        message: 'openai: while serving Bearer not-key-shaped-secret and sk-proj-abcdefghijklmnop1234',
        type: 'upstream_error',
        param: null,
        code: 'upstream_500',
      },
    });
    expect(JSON.parse(maskJsonText(body, ['not-key-shaped-secret']))).toEqual({
      error: { message: 'openai: while serving Bearer not…cret and sk-…1234', type: 'upstream_error', param: null, code: 'upstream_500' },
    });
  });

  it('masks an Anthropic error body relayed as it came, keeping its request id', () => {
    const requestId = 'req_011CSHoEeqs5C35K2UUqR7Fy';
    const body = JSON.stringify({
      type: 'error',
      error: { type: 'authentication_error', message: 'invalid x-api-key: my-anthropic-secret' },
      request_id: requestId,
    });
    const masked = JSON.parse(maskJsonText(body, ['my-anthropic-secret'])) as { error: { message: string }; request_id: string };
    expect(masked.error.message).toBe('invalid x-api-key: my-…cret');
    expect(masked.request_id).toBe(requestId);
  });

  it('masks text that is not JSON as free text', () => {
    expect(maskJsonText('<html>key my-anthropic-secret</html>', ['my-anthropic-secret'])).toBe('<html>key my-…cret</html>');
  });
});
