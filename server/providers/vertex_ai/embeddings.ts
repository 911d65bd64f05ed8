/**
 * OpenAI embeddings → Vertex AI text embeddings (`text-embedding-*`, `text-multilingual-embedding-*`,
 * `gemini-embedding-*`): `POST {model resource}:predict` with `{instances: [{content, task_type?}], parameters:
 * {outputDimensionality?}}` → `{predictions: [{embeddings: {values, statistics: {token_count}}}]}`. The token counts
 * Vertex reports are the usage. `encoding_format: "base64"` (the openai SDK's default) is answered as OpenAI does:
 * little-endian float32, base64.
 * https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/text-embeddings-api
 */
import { GatewayError, badRequest } from '../../core/errors.ts';
import type { CallContext, EndpointAdapter, UpstreamRequest } from '../types.ts';
import { modelUrl, vertexHeaders } from './connection.ts';
import { VERTEX_LABEL } from './errors.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function texts(input: unknown): string[] {
  const list = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string')) {
    // Token-id arrays are OpenAI's own tokenizer's; Vertex takes text.
    throw badRequest('`input` must be a string or a non-empty array of strings for Vertex AI embeddings.', 'input');
  }
  return list;
}

export function buildPredictEmbeddingRequest(ctx: CallContext): UpstreamRequest {
  const { body, deployment } = ctx;
  const taskType = typeof body.task_type === 'string' ? body.task_type : undefined;
  const parameters: Record<string, unknown> = {};
  if (typeof body.dimensions === 'number') parameters.outputDimensionality = body.dimensions;
  if (typeof body.auto_truncate === 'boolean') parameters.autoTruncate = body.auto_truncate;
  return {
    url: `${modelUrl(deployment, 'google')}:predict`,
    method: 'POST',
    headers: vertexHeaders(deployment),
    body: JSON.stringify({
      instances: texts(body.input).map((content) => ({ content, ...(taskType ? { task_type: taskType } : {}) })),
      ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
    }),
  };
}

const base64Float32 = (values: number[]): string => Buffer.from(new Float32Array(values).buffer).toString('base64');

export function translatePredictEmbedding(upstream: unknown, ctx: CallContext): Record<string, unknown> {
  const predictions = isRecord(upstream) && Array.isArray(upstream.predictions) ? upstream.predictions : undefined;
  if (!predictions) throw new GatewayError(502, `${VERTEX_LABEL} returned an embedding answer without predictions.`, { type: 'upstream_error' });
  const base64 = ctx.body.encoding_format === 'base64';
  let tokens = 0;
  const data = predictions.map((prediction: unknown, index) => {
    const embeddings = isRecord(prediction) && isRecord(prediction.embeddings) ? prediction.embeddings : {};
    const values = Array.isArray(embeddings.values) ? (embeddings.values as number[]) : [];
    const count = isRecord(embeddings.statistics) ? embeddings.statistics.token_count : undefined;
    if (typeof count === 'number') tokens += count;
    return { object: 'embedding', index, embedding: base64 ? base64Float32(values) : values };
  });
  return { object: 'list', data, model: ctx.deployment.upstreamModel, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}

export const vertexEmbeddings: EndpointAdapter = { buildRequest: buildPredictEmbeddingRequest, translateResponse: translatePredictEmbedding };
