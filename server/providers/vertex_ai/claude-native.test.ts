import { describe, expect, it } from 'vitest';
import { testDeployment } from '../../test-support/fixtures.ts';
import { vertexClaudeNativeRequest } from './claude-native.ts';

const BASE = 'https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5';
const d = testDeployment({
  provider: 'vertex_ai',
  upstreamModel: 'claude-sonnet-4-5@20250929',
  apiBase: BASE,
  apiKey: '{"type":"service_account"}',
  params: { model: 'vertex_ai/claude-sonnet-4-5@20250929' },
  defaults: { max_tokens: 1000 },
});

describe('Claude Code’s Messages requests to Claude on Vertex', () => {
  it('streams the client body at :streamRawPredict with the Vertex version, no model, the client’s beta flags, no key', () => {
    const body = { model: 'claude-opus', stream: true, messages: [{ role: 'user', content: 'hi' }], thinking: { type: 'adaptive' } };
    const req = vertexClaudeNativeRequest(d, 'messages', body, { 'anthropic-version': '2023-06-01', 'anthropic-beta': 'interleaved-thinking-2025-05-14' });
    expect(req.url).toBe(`${BASE}/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict`);
    expect(req.headers).toEqual({ 'content-type': 'application/json', 'anthropic-beta': 'interleaved-thinking-2025-05-14' });
    expect(JSON.parse(req.body ?? '')).toEqual({
      anthropic_version: 'vertex-2023-10-16',
      max_tokens: 1000,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
      thinking: { type: 'adaptive' },
    });
  });

  it('counts tokens at count-tokens:rawPredict with the model in the body', () => {
    const req = vertexClaudeNativeRequest(d, 'count_tokens', { model: 'x', messages: [{ role: 'user', content: 'hi' }] }, {});
    expect(req.url).toBe(`${BASE}/publishers/anthropic/models/count-tokens:rawPredict`);
    expect(JSON.parse(req.body ?? '')).toEqual({ model: 'claude-sonnet-4-5@20250929', messages: [{ role: 'user', content: 'hi' }] });
  });
});
