/**
 * OpenAI embeddings request → Cohere Embed v2 (POST {api_base}/v2/embed, https://docs.cohere.com/reference/embed)
 * and its `embeddings_by_type` answer → an OpenAI embeddings list. `input_type` defaults to search_document
 * (LiteLLM's choice); floats are asked for, and base64 is produced here when the client wants it (the openai SDK's
 * default).
 */
import { GatewayError, badRequest } from '../../core/errors.ts';
import type { CallContext, UpstreamRequest } from '../types.ts';
import { cohereHeaders } from './request.ts';
import { PROVIDER_NAME, cohereUrl, isRecord } from './wire.ts';

export const DEFAULT_INPUT_TYPE = 'search_document';

export function buildCohereEmbedRequest(ctx: CallContext): UpstreamRequest {
  const { body, deployment } = ctx;
  const input = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(input) || input.length === 0 || !input.every((text) => typeof text === 'string')) {
    throw badRequest('Cohere embeds text: `input` must be a string or an array of strings.', 'input');
  }
  const payload: Record<string, unknown> = {
    model: deployment.upstreamModel,
    texts: input,
    input_type: typeof body.input_type === 'string' ? body.input_type : DEFAULT_INPUT_TYPE,
    embedding_types: ['float'],
  };
  if (typeof body.dimensions === 'number') payload.output_dimension = body.dimensions;
  if (typeof body.truncate === 'string') payload.truncate = body.truncate;
  return { url: cohereUrl(deployment.apiBase, '/v2/embed'), method: 'POST', headers: cohereHeaders(deployment), body: JSON.stringify(payload) };
}

/** Little-endian float32 bytes in base64: what OpenAI sends for encoding_format "base64". */
function float32Base64(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (const [i, value] of vector.entries()) bytes.writeFloatLE(value, i * 4);
  return bytes.toString('base64');
}

export function translateCohereEmbed(upstream: unknown, ctx: CallContext): Record<string, unknown> {
  const embeddings = isRecord(upstream) && isRecord(upstream.embeddings) ? upstream.embeddings.float : undefined;
  if (!isRecord(upstream) || !Array.isArray(embeddings)) {
    throw new GatewayError(502, `${PROVIDER_NAME} returned an answer without float embeddings.`, { type: 'upstream_error' });
  }
  const base64 = ctx.body.encoding_format === 'base64';
  const meta = isRecord(upstream.meta) ? upstream.meta : {};
  const billed = isRecord(meta.billed_units) ? meta.billed_units : {};
  const tokens = typeof billed.input_tokens === 'number' ? billed.input_tokens : undefined;
  return {
    object: 'list',
    data: embeddings.map((vector: number[], index) => ({ object: 'embedding', index, embedding: base64 ? float32Base64(vector) : vector })),
    model: ctx.deployment.upstreamModel,
    ...(tokens === undefined ? {} : { usage: { prompt_tokens: tokens, total_tokens: tokens } }),
  };
}
