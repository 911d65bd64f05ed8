import { describe, expect, it } from 'vitest';
import { anthropicDeployment } from '../test-fixtures.ts';
import { TOKENS_PER_DOCUMENT, documentTokens } from './count-tokens.ts';
import { StreamUsageCollector, nativeDefaults, nativeRequest, usageOfMessage } from './native.ts';

describe('native forwarding to an Anthropic deployment', () => {
  it('sends the body unchanged but for the model, with the deployment key and the client version and betas', () => {
    const deployment = anthropicDeployment({ apiBase: 'https://api.anthropic.com/v1', headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' } });
    const body = { model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], thinking: { type: 'enabled', budget_tokens: 1024 } };
    const req = nativeRequest(deployment, 'messages', body, {
      'x-api-key': 'sk-gateway-master',
      'anthropic-version': '2023-01-01',
      'anthropic-beta': 'interleaved-thinking-2025-05-14, prompt-caching-2024-07-31',
    });
    expect(req.url).toBe('https://api.anthropic.com/v1/messages');
    expect(JSON.parse(req.body!)).toEqual({ ...body, model: 'claude-sonnet-4-5' });
    expect(req.headers).toMatchObject({
      'x-api-key': 'sk-ant-test',
      'anthropic-version': '2023-01-01',
      'anthropic-beta': 'prompt-caching-2024-07-31,interleaved-thinking-2025-05-14',
    });
  });

  it('defaults anthropic-version, and lets the deployment pin it', () => {
    const body = { model: 'claude', messages: [] };
    expect(nativeRequest(anthropicDeployment(), 'count_tokens', body, {}).headers['anthropic-version']).toBe('2023-06-01');
    expect(nativeRequest(anthropicDeployment(), 'count_tokens', body, {}).url).toBe('https://api.anthropic.com/v1/messages/count_tokens');
    const pinned = anthropicDeployment({ headers: { 'Anthropic-Version': '2024-01-01' } });
    expect(nativeRequest(pinned, 'messages', body, { 'anthropic-version': '2023-06-01' }).headers['anthropic-version']).toBe('2024-01-01');
    expect(nativeRequest(anthropicDeployment(), 'messages', body, {}).headers).not.toHaveProperty('anthropic-beta');
  });

  it('reads usage from a message and from message_start + message_delta events', () => {
    expect(usageOfMessage('{"usage":{"input_tokens":5,"output_tokens":2,"cache_read_input_tokens":10}}')).toMatchObject({
      prompt_tokens: 15,
      completion_tokens: 2,
      cache_read_input_tokens: 10,
    });
    expect(usageOfMessage('not json')).toBeUndefined();
    const collector = new StreamUsageCollector();
    expect(collector.result()).toBeUndefined();
    collector.observe('message_start', '{"type":"message_start","message":{"usage":{"input_tokens":9,"output_tokens":1}}}');
    collector.observe('content_block_delta', '{not even parsed');
    collector.observe('message_delta', '{"type":"message_delta","usage":{"output_tokens":30}}');
    expect(collector.result()).toMatchObject({ prompt_tokens: 9, completion_tokens: 30, total_tokens: 39 });
  });
});

describe('count_tokens estimate: what the tokenizer cannot see', () => {
  it('counts a flat amount per document block, in messages and tool results', () => {
    const pdf = { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBER' } };
    expect(documentTokens({ messages: [{ role: 'user', content: 'plain text' }] })).toBe(0);
    const body = {
      messages: [
        { role: 'user', content: [pdf, { type: 'text', text: 'summarise' }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [pdf] }] },
      ],
    };
    expect(documentTokens(body)).toBe(2 * TOKENS_PER_DOCUMENT);
  });
});

describe('native request: the deployment defaults', () => {
  it("renames the chat path's names into the Messages API's and passes the rest as they are", () => {
    expect(
      nativeDefaults({
        max_completion_tokens: 100,
        temperature: 0.2,
        stop: 'END',
        user: 'team-a',
        top_k: 5,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        tools: [{ type: 'function', function: { name: 'f' } }],
        tool_choice: 'auto',
        service_tier: 'standard_only',
      }),
    ).toEqual({
      max_tokens: 100,
      temperature: 0.2,
      stop_sequences: ['END'],
      metadata: { user_id: 'team-a' },
      top_k: 5,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      service_tier: 'standard_only',
    });
    expect(nativeDefaults({ max_completion_tokens: 100, max_tokens: 200 }).max_tokens).toBe(200);
    expect(nativeDefaults({ reasoning_effort: 'medium' })).toEqual({ thinking: { type: 'enabled', budget_tokens: 8192 } });
    expect(nativeDefaults({ reasoning_effort: 'medium', thinking: { type: 'disabled' } }).thinking).toEqual({ type: 'disabled' });
  });

  it("puts them under a message (the request's values win) and never under count_tokens", () => {
    const deployment = anthropicDeployment({ defaults: { temperature: 0.2, top_k: 5 } });
    const body = { model: 'claude', max_tokens: 10, temperature: 0.9, messages: [{ role: 'system', content: 'Be brief.' }] };
    expect(JSON.parse(nativeRequest(deployment, 'messages', body, {}).body!)).toEqual({ ...body, model: 'claude-sonnet-4-5', top_k: 5 });
    expect(JSON.parse(nativeRequest(deployment, 'count_tokens', body, {}).body!)).toEqual({ ...body, model: 'claude-sonnet-4-5' });
  });

  it('fits a default thinking budget under the request max_tokens, or leaves it out when even 1024 does not fit', () => {
    const deployment = anthropicDeployment({ defaults: { reasoning_effort: 'high' } });
    const sent = (max_tokens: number, extra: Record<string, unknown> = {}) =>
      JSON.parse(nativeRequest(deployment, 'messages', { model: 'c', max_tokens, messages: [], ...extra }, {}).body!);
    expect(sent(64000).thinking).toEqual({ type: 'enabled', budget_tokens: 24576 });
    expect(sent(5000).thinking).toEqual({ type: 'enabled', budget_tokens: 4999 });
    expect(sent(1000)).not.toHaveProperty('thinking');
    // The client's own thinking is its business (Anthropic answers for it).
    expect(sent(1000, { thinking: { type: 'enabled', budget_tokens: 2000 } }).thinking).toEqual({ type: 'enabled', budget_tokens: 2000 });
  });
});
