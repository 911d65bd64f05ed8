import { describe, expect, it } from 'vitest';
import { curlCommand } from './curl.ts';

describe('curlCommand', () => {
  it('prints a re-runnable curl with the key masked', () => {
    const command = curlCommand({
      method: 'POST',
      url: 'https://api.openai.com/v1/chat/completions',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-proj-SECRET-1234abcd' },
      body: '{"model":"gpt-4o"}',
    });
    expect(command).toBe(
      [
        "curl -X POST 'https://api.openai.com/v1/chat/completions'",
        "-H 'content-type: application/json'",
        "-H 'authorization: Bearer sk-…abcd'",
        `-d '{"model":"gpt-4o"}'`,
      ].join(' \\\n  '),
    );
    expect(command).not.toContain('SECRET');
  });

  it('masks Azure and Anthropic key headers too', () => {
    const command = curlCommand({
      method: 'GET',
      url: 'https://r.openai.azure.com/openai/models',
      headers: { 'api-key': 'azure-SECRET-9876', 'x-api-key': 'sk-ant-SECRET-5555' },
    });
    expect(command).not.toContain('SECRET');
    expect(command).toContain("-H 'api-key: azu…9876'");
    expect(command).not.toContain('-d');
  });

  it('quotes single quotes in the body for the shell', () => {
    expect(curlCommand({ method: 'POST', url: 'http://x', headers: {}, body: `{"content":"it's"}` })).toContain(`-d '{"content":"it'\\''s"}'`);
  });
});
