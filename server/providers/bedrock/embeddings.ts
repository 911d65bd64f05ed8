/**
 * OpenAI embeddings → Bedrock InvokeModel (`POST {runtime}/model/{modelId}/invoke`) with the model family's own
 * body: Amazon Titan (`{inputText}` → `{embedding, inputTextTokenCount}`, one text per call) and Cohere
 * (`{texts, input_type}` → `{embeddings}`).
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed.html
 */
import { GatewayError } from '../../core/errors.ts';
import type { CallContext, EndpointAdapter, UpstreamRequest } from '../types.ts';
import { bedrockKeyHeader, modelUrl } from './request.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const isCohere = (model: string) => /(^|\.)cohere\./.test(model);

function inputs(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.every((item) => typeof item === 'string')) return input;
  throw new GatewayError(400, 'Bedrock embeddings take `input` as a string or an array of strings.', { param: 'input' });
}

function invokeBody(ctx: CallContext): Record<string, unknown> {
  const { body, deployment } = ctx;
  const texts = inputs(body.input);
  if (isCohere(deployment.upstreamModel)) {
    return {
      texts,
      input_type: typeof body.input_type === 'string' ? body.input_type : 'search_document',
      ...(body.truncate ? { truncate: body.truncate } : {}),
    };
  }
  if (texts.length !== 1) {
    throw new GatewayError(400, `${deployment.upstreamModel} embeds one text per call: send \`input\` as one string.`, { param: 'input' });
  }
  return {
    inputText: texts[0],
    ...(typeof body.dimensions === 'number' ? { dimensions: body.dimensions } : {}),
    ...(typeof body.normalize === 'boolean' ? { normalize: body.normalize } : {}),
  };
}

export function buildInvokeEmbeddingRequest(ctx: CallContext): UpstreamRequest {
  return {
    url: modelUrl(ctx.deployment, 'invoke'),
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...bedrockKeyHeader(ctx.deployment), ...ctx.deployment.headers },
    body: JSON.stringify(invokeBody(ctx)),
  };
}

/** OpenAI's base64 encoding (the openai SDKs ask for it by default): little-endian float32s. */
function float32Base64(vector: unknown): string {
  const values = Array.isArray(vector) ? vector.map(Number) : [];
  return Buffer.from(new Float32Array(values).buffer).toString('base64');
}

export function translateInvokeEmbedding(upstream: unknown, ctx: CallContext): Record<string, unknown> {
  if (!isRecord(upstream))
    throw new GatewayError(502, 'AWS Bedrock returned an embedding answer that is not an object.', { code: 'upstream_invalid_response' });
  let vectors: unknown[];
  // Cohere on Bedrock reports no token count in its body: the answer carries no usage, so the gateway estimates it.
  let promptTokens: number | undefined;
  if (Array.isArray(upstream.embeddings)) vectors = upstream.embeddings;
  else if (Array.isArray(upstream.embedding)) {
    vectors = [upstream.embedding];
    if (typeof upstream.inputTextTokenCount === 'number') promptTokens = upstream.inputTextTokenCount;
  } else {
    throw new GatewayError(502, 'AWS Bedrock returned an embedding answer without `embedding` or `embeddings`.', { code: 'upstream_invalid_response' });
  }
  return {
    object: 'list',
    data: vectors.map((embedding, index) => ({
      object: 'embedding',
      index,
      embedding: ctx.body.encoding_format === 'base64' ? float32Base64(embedding) : embedding,
    })),
    model: ctx.deployment.upstreamModel,
    ...(promptTokens === undefined ? {} : { usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } }),
  };
}

export const bedrockEmbeddings: EndpointAdapter = { buildRequest: buildInvokeEmbeddingRequest, translateResponse: translateInvokeEmbedding };
