/**
 * Embeddings through TEI's `POST /embed` on an endpoint (`{"inputs": [...]}` → `[[float, …], …]`,
 * https://huggingface.github.io/text-embeddings-inference/) or the hf-inference feature-extraction pipeline
 * serverless (same body and answer; one string in, one vector out). Neither reports token counts: the answer
 * carries no usage, so the gateway estimates it and marks the spend row estimated.
 */
import { GatewayError } from '../../core/errors.ts';
import type { CallContext, UpstreamRequest } from '../types.ts';
import { PROVIDER_LABEL } from './errors.ts';
import { hfHeaders } from './generate-request.ts';
import { embedUrl } from './mode.ts';

/** OpenAI's fields the gateway translates or the server has no use for. */
const NOT_SENT = new Set(['model', 'input', 'encoding_format', 'user', 'dimensions']);

export function buildEmbedRequest(ctx: CallContext): UpstreamRequest {
  const { input } = ctx.body;
  const inputs = Array.isArray(input) ? input : [input];
  if (!inputs.every((i) => typeof i === 'string')) {
    throw new GatewayError(400, `${PROVIDER_LABEL} embeddings take text input only (strings, not token arrays).`, { param: 'input' });
  }
  const extra = Object.fromEntries(Object.entries(ctx.body).filter(([key]) => !NOT_SENT.has(key)));
  return { method: 'POST', url: embedUrl(ctx.deployment), headers: hfHeaders(ctx), body: JSON.stringify({ inputs, ...extra }) };
}

function base64Of(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

export function translateEmbed(upstream: unknown, ctx: CallContext): Record<string, unknown> {
  const isVector = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');
  const vectors = isVector(upstream) ? [upstream] : Array.isArray(upstream) && upstream.every(isVector) ? upstream : undefined;
  if (!vectors) throw new GatewayError(502, `${PROVIDER_LABEL} returned embeddings that are not a list of vectors.`, { code: 'upstream_invalid_response' });
  const base64 = ctx.body.encoding_format === 'base64';
  return {
    object: 'list',
    data: vectors.map((vector, index) => ({ object: 'embedding', index, embedding: base64 ? base64Of(vector) : vector })),
    model: ctx.deployment.upstreamModel,
  };
}
