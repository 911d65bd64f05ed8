/**
 * Gemini on Vertex AI: the generateContent body, answer and stream transforms of the gemini provider (they leave the
 * URL and the credential to their caller), at the model resource's `:generateContent` and
 * `:streamGenerateContent?alt=sse`. Usage in a stream is cumulative; the gemini translator takes the last report.
 * https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest/v1/projects.locations.publishers.models/generateContent
 */
import { toGenerateContentBody } from '../gemini/transform/request.ts';
import { translateGenerateContent } from '../gemini/transform/response.ts';
import { createGeminiStreamTranslator } from '../gemini/transform/stream.ts';
import type { CallContext, Deployment, EndpointAdapter, UpstreamRequest } from '../types.ts';
import { modelUrl, vertexHeaders } from './connection.ts';

import { VERTEX_LABEL } from './errors.ts';

export function buildVertexGeminiRequest(ctx: CallContext): UpstreamRequest {
  const base = modelUrl(ctx.deployment, 'google');
  return {
    url: ctx.stream ? `${base}:streamGenerateContent?alt=sse` : `${base}:generateContent`,
    method: 'POST',
    headers: vertexHeaders(ctx.deployment),
    body: JSON.stringify(toGenerateContentBody(ctx, VERTEX_LABEL)),
  };
}

export const vertexGemini: EndpointAdapter = {
  buildRequest: buildVertexGeminiRequest,
  translateResponse: (upstream, ctx) => translateGenerateContent(upstream, ctx, VERTEX_LABEL),
  createStreamTranslator: (ctx) => createGeminiStreamTranslator(ctx, VERTEX_LABEL),
};

/** countTokens bills nothing and proves the token, the project and the model. */
export function vertexGeminiProbe(d: Deployment): UpstreamRequest {
  return {
    url: `${modelUrl(d, 'google')}:countTokens`,
    method: 'POST',
    headers: vertexHeaders(d),
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'ping' }] }] }),
  };
}
