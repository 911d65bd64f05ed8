/**
 * OpenAI embeddings request ↔ Gemini batchEmbedContents (one embedContent request per input). Only bodies: the
 * caller builds the URL. AI Studio's answer carries no token count: usage is then left out rather than invented, and
 * the gateway estimates the call's tokens with its tokenizer (marked estimated); a usageMetadata, where an endpoint
 * sends one, is taken. Reference: https://ai.google.dev/api/embeddings
 */
import { badRequest, GatewayError } from '../../../core/errors.ts';
import type { CallContext } from '../../types.ts';
import { isRecord } from './wire.ts';

/** `modelResource` is how the request names the model: `models/<id>` on AI Studio. */
export function toBatchEmbedBody(ctx: CallContext, modelResource: string): Record<string, unknown> {
  const { body } = ctx;
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((text) => typeof text === 'string')) {
    // Token-id arrays are OpenAI's own tokenizer's; Gemini takes text only.
    throw badRequest('`input` must be a string or a non-empty array of strings for Gemini embeddings.', 'input');
  }
  const extra: Record<string, unknown> = {};
  if (typeof body.dimensions === 'number') extra.outputDimensionality = body.dimensions;
  if (typeof body.task_type === 'string') extra.taskType = body.task_type;
  if (typeof body.taskType === 'string') extra.taskType = body.taskType;
  return { requests: inputs.map((text) => ({ model: modelResource, content: { parts: [{ text }] }, ...extra })) };
}

export function translateBatchEmbed(upstream: unknown, ctx: CallContext, label = 'Gemini'): Record<string, unknown> {
  const list = isRecord(upstream) && Array.isArray(upstream.embeddings) ? upstream.embeddings : undefined;
  if (!list) throw new GatewayError(502, `${label} returned a response that is not a batchEmbedContents answer.`, { type: 'upstream_error' });
  return {
    object: 'list',
    data: list.map((item: unknown, index) => ({
      object: 'embedding',
      index,
      embedding: encode(isRecord(item) && Array.isArray(item.values) ? (item.values as number[]) : [], ctx.body.encoding_format),
    })),
    model: ctx.deployment.upstreamModel,
    ...reportedUsage(isRecord(upstream) ? upstream.usageMetadata : undefined),
  };
}

/**
 * `encoding_format: "base64"` (what the openai SDK asks for by default, decoding it itself) is answered as OpenAI
 * does: the float32 little-endian bytes, base64-encoded.
 */
function encode(values: number[], format: unknown): number[] | string {
  if (format !== 'base64') return values;
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => {
    bytes.writeFloatLE(value, i * 4);
  });
  return bytes.toString('base64');
}

function reportedUsage(metadata: unknown): Record<string, unknown> {
  if (!isRecord(metadata) || typeof metadata.promptTokenCount !== 'number') return {};
  return { usage: { prompt_tokens: metadata.promptTokenCount, total_tokens: metadata.promptTokenCount } };
}
