/**
 * Claude on Vertex AI (`vertex_ai/claude-*`): the Anthropic Messages body the anthropic adapter builds, with
 * `anthropic_version: "vertex-2023-10-16"` in the body instead of a header and no `model` (the URL names it),
 * POSTed to the model's `:rawPredict` (or `:streamRawPredict`) with a Google access token (added by authorizeVertexRequest). Answers, stream events
 * and model errors are Anthropic's own, so the anthropic adapter translates them.
 * https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/use-claude#anthropic-claude-request-body
 */
import { buildMessagesRequest } from '../anthropic/request.ts';
import type { CallContext, Deployment, UpstreamRequest } from '../types.ts';
import { modelUrl, vertexHeaders } from './connection.ts';

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

/** Claude models are Anthropic's publisher models on Vertex; every other model is Google's. */
export function isClaude(model: string): boolean {
  return /^claude/i.test(model);
}

/** Headers the Messages API takes on api.anthropic.com only: Vertex authenticates with the token and versions in the body. */
const ANTHROPIC_ONLY_HEADERS = new Set(['x-api-key', 'anthropic-version', 'content-type', 'authorization']);

/** The Messages body as Vertex takes it. */
export function toVertexClaudeBody(messagesBody: Record<string, unknown>): Record<string, unknown> {
  const { model: _model, ...rest } = messagesBody;
  return { anthropic_version: VERTEX_ANTHROPIC_VERSION, ...rest };
}

export function claudeUrl(d: Deployment, stream: boolean): string {
  return `${modelUrl(d, 'anthropic')}:${stream ? 'streamRawPredict' : 'rawPredict'}`;
}

export function buildVertexClaudeRequest(ctx: CallContext): UpstreamRequest {
  // Built without the deployment's credential: it is the service-account key, never a header.
  const anthropic = buildMessagesRequest({ ...ctx, deployment: { ...ctx.deployment, apiKey: undefined } as Deployment });
  const kept = Object.fromEntries(Object.entries(anthropic.headers).filter(([name]) => !ANTHROPIC_ONLY_HEADERS.has(name)));
  return {
    url: claudeUrl(ctx.deployment, ctx.stream),
    method: 'POST',
    headers: vertexHeaders(ctx.deployment, kept),
    body: JSON.stringify(toVertexClaudeBody(JSON.parse(anthropic.body ?? '{}') as Record<string, unknown>)),
  };
}

/** The cheapest real call: one word in, one token out. */
export function vertexClaudeProbe(d: Deployment): UpstreamRequest {
  return {
    url: claudeUrl(d, false),
    method: 'POST',
    headers: vertexHeaders(d),
    body: JSON.stringify({ anthropic_version: VERTEX_ANTHROPIC_VERSION, max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] }),
  };
}
