/** Request building shared by every OpenAI-shaped upstream (OpenAI, Azure and the compatible family). */
import { authHeaders } from '../auth.ts';
import type { CallContext, Deployment, UpstreamRequest } from '../types.ts';

/** OpenAI and every compatible server take the key as a Bearer token (keyless local servers get no header). */
export const OPENAI_AUTH = { kind: 'bearer' } as const;

export function openaiHeaders(d: Deployment): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...authHeaders(OPENAI_AUTH, d) };
  if (typeof d.params.organization === 'string') headers['openai-organization'] = d.params.organization;
  return Object.assign(headers, d.headers);
}

/**
 * The client's body with the upstream model name. Streams always ask for usage, because the gateway
 * meters every call; the relay hides the usage chunk from clients that did not ask for it.
 */
export function openaiBody(ctx: CallContext, modelField: 'model' | 'omit' = 'model'): string {
  const body: Record<string, unknown> = { ...ctx.body };
  if (modelField === 'model') body.model = ctx.deployment.upstreamModel;
  else delete body.model;
  if (ctx.stream && ctx.endpoint !== 'embeddings') {
    const asked = body.stream_options;
    body.stream_options = { ...(typeof asked === 'object' && asked !== null ? asked : {}), include_usage: true };
  }
  return JSON.stringify(body);
}

const PATHS = { chat: '/chat/completions', completions: '/completions', embeddings: '/embeddings' } as const;

export function openaiRequest(ctx: CallContext): UpstreamRequest {
  const d = ctx.deployment;
  return { method: 'POST', url: d.apiBase + PATHS[ctx.endpoint], headers: openaiHeaders(d), body: openaiBody(ctx) };
}

export function openaiModelsProbe(d: Deployment): UpstreamRequest {
  const headers = openaiHeaders(d);
  delete headers['content-type'];
  return { method: 'GET', url: `${d.apiBase}/models`, headers };
}
