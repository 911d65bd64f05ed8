import { describe, expect, it } from 'vitest';
import { testCallContext } from '../../test-support/fixtures.ts';
import { vertexChat } from './chat.ts';
import { VERTEX_ANTHROPIC_VERSION } from './claude.ts';
import { mapVertexError } from './errors.ts';

const BASE = 'https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5';
const claude = (overrides: Record<string, unknown> = {}) => ({
  provider: 'vertex_ai',
  upstreamModel: 'claude-sonnet-4-5@20250929',
  apiBase: BASE,
  apiKey: '{"type":"service_account"}',
  params: { model: 'vertex_ai/claude-sonnet-4-5@20250929' },
  ...overrides,
});

describe('Claude on Vertex', () => {
  it('posts the Messages body with anthropic_version and no model to :rawPredict, the key never in a header', () => {
    const ctx = testCallContext(
      {
        model: 'c',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hi' },
        ],
        max_tokens: 20,
        temperature: 0.5,
      },
      { deployment: claude() },
    );
    const req = vertexChat.buildRequest(ctx);
    expect(req.url).toBe(`${BASE}/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`);
    expect(req.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(req.body ?? '')).toEqual({
      anthropic_version: VERTEX_ANTHROPIC_VERSION,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      max_tokens: 20,
      temperature: 0.5,
    });
  });

  it('streams at :streamRawPredict with stream: true, keeping configured anthropic-beta headers', () => {
    const ctx = testCallContext(
      { model: 'c', messages: [{ role: 'user', content: 'hi' }] },
      { stream: true, deployment: claude({ headers: { 'Anthropic-Beta': 'context-1m-2025-08-07' } }) },
    );
    const req = vertexChat.buildRequest(ctx);
    expect(req.url).toBe(`${BASE}/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict`);
    expect(req.headers['anthropic-beta']).toBe('context-1m-2025-08-07');
    expect(req.headers['x-api-key']).toBeUndefined();
    expect(JSON.parse(req.body ?? '')).toMatchObject({ stream: true, anthropic_version: VERTEX_ANTHROPIC_VERSION });
  });

  it('translates the answer with the Anthropic transforms', () => {
    const ctx = testCallContext({ model: 'c', messages: [] }, { deployment: claude() });
    const answer = vertexChat.translateResponse(
      {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } }],
        stop_reason: 'tool_use',
        usage: { input_tokens: 5, output_tokens: 3 },
      },
      ctx,
    );
    expect(answer).toMatchObject({
      choices: [{ finish_reason: 'tool_calls', message: { tool_calls: [{ id: 'toolu_1', function: { name: 'f', arguments: '{"a":1}' } }] } }],
      usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
    });
  });
});

describe('mapVertexError', () => {
  it("Google's quota error is a 429 with Retry-After from RetryInfo, or 1 second without a hint", () => {
    const quota = (details?: unknown[]) =>
      JSON.stringify({
        error: { code: 429, message: 'Quota exceeded for aiplatform.googleapis.com', status: 'RESOURCE_EXHAUSTED', ...(details ? { details } : {}) },
      });
    const hinted = mapVertexError(429, quota([{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '6.5s' }]), {});
    expect([hinted.status, hinted.headers['retry-after'], hinted.code]).toEqual([429, '7', 'RESOURCE_EXHAUSTED']);
    expect(mapVertexError(429, quota(), {}).headers['retry-after']).toBe('1');
    expect(mapVertexError(429, quota(), { 'Retry-After': '30' }).headers['retry-after']).toBe('30');
  });

  it('Anthropic-shaped errors go through the Anthropic mapping (context overflow), Google-shaped ones by status', () => {
    const overflow = mapVertexError(
      400,
      JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } }),
      {},
    );
    expect(overflow.code).toBe('context_length_exceeded');
    const geminiOverflow = mapVertexError(
      400,
      JSON.stringify({
        error: { code: 400, status: 'INVALID_ARGUMENT', message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).' },
      }),
      {},
    );
    expect(geminiOverflow.code).toBe('context_length_exceeded');
    expect(mapVertexError(401, JSON.stringify({ error: { code: 401, status: 'UNAUTHENTICATED', message: 'bad token' } }), {}).status).toBe(401);
    expect(mapVertexError(403, JSON.stringify({ error: { code: 403, status: 'PERMISSION_DENIED', message: 'no' } }), {}).status).toBe(403);
    expect(mapVertexError(404, JSON.stringify({ error: { code: 404, status: 'NOT_FOUND', message: 'Publisher Model was not found' } }), {}).type).toBe(
      'not_found_error',
    );
    expect(mapVertexError(500, JSON.stringify({ error: { code: 500, status: 'INTERNAL', message: 'Internal error encountered.' } }), {}).status).toBe(502);
    expect(mapVertexError(502, '<html>bad gateway</html>', {}).message).toContain('<html>bad gateway</html>');
  });
});
