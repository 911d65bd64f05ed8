/**
 * Anthropic Messages API requests (Claude Code's /v1/messages and count_tokens) to a Claude model on Vertex, as they
 * are: the client's body with the deployment's defaults (the anthropic adapter's native path), made into Vertex's —
 * `anthropic_version: "vertex-2023-10-16"`, no `model`, `:rawPredict` / `:streamRawPredict` — and the client's
 * anthropic-beta flags kept. count_tokens is Vertex's `…/publishers/anthropic/models/count-tokens:rawPredict`, which
 * takes the model in the body.
 * https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/count-tokens (documented, and free, so
 * count_tokens is Vertex's own count rather than the gateway's estimate).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type NativeEndpoint, nativeRequest } from '../anthropic/inbound/native.ts';
import type { Deployment, UpstreamRequest } from '../types.ts';
import { claudeUrl, toVertexClaudeBody } from './claude.ts';
import { modelUrl } from './connection.ts';

const NOT_ON_VERTEX = new Set(['x-api-key', 'anthropic-version']);

export function vertexClaudeNativeRequest(
  d: Deployment,
  endpoint: NativeEndpoint,
  body: Record<string, unknown>,
  clientHeaders: IncomingHttpHeaders,
): UpstreamRequest {
  // Built without the deployment's credential: it is the service-account key, never a header.
  const native = nativeRequest({ ...d, apiKey: undefined } as Deployment, endpoint, body, clientHeaders);
  const headers = Object.fromEntries(Object.entries(native.headers).filter(([name]) => !NOT_ON_VERTEX.has(name)));
  const payload = JSON.parse(native.body ?? '{}') as Record<string, unknown>;
  if (endpoint === 'count_tokens') {
    const url = `${modelUrl(d, 'anthropic').replace(/\/models\/[^/]+$/, '/models/count-tokens')}:rawPredict`;
    return { url, method: 'POST', headers, body: JSON.stringify({ ...payload, model: d.upstreamModel }) };
  }
  return { url: claudeUrl(d, payload.stream === true), method: 'POST', headers, body: JSON.stringify(toVertexClaudeBody(payload)) };
}
