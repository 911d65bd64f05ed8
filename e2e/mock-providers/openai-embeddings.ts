/**
 * OpenAI Embeddings (POST /v1/embeddings) and Models (GET /v1/models, GET /v1/models/{id}).
 * Vectors are deterministic unit vectors derived from the input text, so equal inputs give equal
 * vectors; `encoding_format: 'base64'` returns little-endian float32 bytes, as the API does (the
 * openai npm SDK asks for base64 by default and decodes it).
 */
import { openaiError } from './failures.ts';
import type { MockReply } from './http.ts';
import type { JsonObject } from './text.ts';
import { countTokens } from './text.ts';

export const DEFAULT_EMBEDDING_DIMENSIONS = 8;

/** FNV-1a hash of a string: the seed of its vector. */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The mock's embedding of a text: `dimensions` floats of unit length (float32-representable). */
export function mockEmbedding(text: string, dimensions = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  let state = hashText(text) || 1;
  const values: number[] = [];
  for (let i = 0; i < dimensions; i++) {
    // xorshift32: a tiny deterministic generator
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    values.push(((state >>> 0) / 0xffffffff) * 2 - 1);
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((value) => Math.fround(value / norm));
}

/** Base64 of little-endian float32 values (the API's `encoding_format: "base64"`). */
export function float32Base64(values: number[]): string {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString('base64');
}

/** Inputs as (text, token count) pairs: a string, strings, one token array, or token arrays. */
function embeddingInputs(input: unknown): { text: string; tokens: number }[] | undefined {
  if (typeof input === 'string') return [{ text: input, tokens: countTokens(input) }];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((item) => typeof item === 'number')) return [{ text: input.join(' '), tokens: input.length }];
  const inputs: { text: string; tokens: number }[] = [];
  for (const item of input) {
    if (typeof item === 'string') inputs.push({ text: item, tokens: countTokens(item) });
    else if (Array.isArray(item)) inputs.push({ text: item.join(' '), tokens: item.length });
    else return undefined;
  }
  return inputs;
}

export function openaiEmbeddingReply(body: JsonObject, model: string): MockReply {
  const inputs = embeddingInputs(body.input);
  if (inputs === undefined) {
    const message = body.input === undefined ? "Missing required parameter: 'input'." : "Invalid type for 'input'.";
    return { kind: 'json', status: 400, body: openaiError(message, 'invalid_request_error', null, 'input') };
  }
  const dimensions = typeof body.dimensions === 'number' && body.dimensions > 0 ? body.dimensions : DEFAULT_EMBEDDING_DIMENSIONS;
  const base64 = body.encoding_format === 'base64';
  const tokens = inputs.reduce((sum, input) => sum + input.tokens, 0);
  return {
    kind: 'json',
    status: 200,
    body: {
      object: 'list',
      data: inputs.map((input, index) => {
        const vector = mockEmbedding(input.text, dimensions);
        return { object: 'embedding', index, embedding: base64 ? float32Base64(vector) : vector };
      }),
      model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
  };
}

/** The models GET /v1/models lists (any model name is accepted by the other endpoints). */
export const MOCK_MODELS = [
  { id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'system' },
  { id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
  { id: 'gpt-3.5-turbo-instruct', object: 'model', created: 1692901427, owned_by: 'system' },
  { id: 'text-embedding-3-small', object: 'model', created: 1705948997, owned_by: 'system' },
] as const;

export function openaiModelsReply(): MockReply {
  return { kind: 'json', status: 200, body: { object: 'list', data: MOCK_MODELS } };
}

export function openaiModelReply(id: string): MockReply {
  const model = MOCK_MODELS.find((candidate) => candidate.id === id);
  if (model !== undefined) return { kind: 'json', status: 200, body: model };
  const error = openaiError(`The model '${id}' does not exist`, 'invalid_request_error', 'model_not_found', 'model');
  return { kind: 'json', status: 404, body: error };
}
