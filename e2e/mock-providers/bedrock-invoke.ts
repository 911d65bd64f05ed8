/**
 * Bedrock Runtime InvokeModel (POST /model/{modelId}/invoke) for the embedding models: Amazon Titan Text
 * Embeddings (`{inputText, dimensions?, normalize?}` → `{embedding, inputTextTokenCount}`) and Cohere Embed
 * (`{texts, input_type}` → `{embeddings, id, response_type, texts}`). Vectors are mockEmbedding's.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed.html
 */
import { mockEmbedding } from './openai-embeddings.ts';
import type { JsonObject } from './text.ts';
import { countTokens, mockId } from './text.ts';

export type InvokeReply = { status: 200; body: JsonObject } | { status: 400; message: string };

export function bedrockEmbeddingReply(model: string, body: JsonObject): InvokeReply {
  if (/(^|\.)cohere\.embed/.test(model)) {
    if (!Array.isArray(body.texts) || typeof body.input_type !== 'string') {
      return { status: 400, message: 'Malformed input request: #: required key [input_type] not found, please reformat your input and try again.' };
    }
    const texts = body.texts.map(String);
    return { status: 200, body: { id: mockId('emb-'), response_type: 'embeddings_floats', texts, embeddings: texts.map((text) => mockEmbedding(text)) } };
  }
  if (/(^|\.)amazon\.titan-embed/.test(model)) {
    if (typeof body.inputText !== 'string') {
      return { status: 400, message: 'Malformed input request: #: required key [inputText] not found, please reformat your input and try again.' };
    }
    const dimensions = typeof body.dimensions === 'number' ? body.dimensions : undefined;
    return { status: 200, body: { embedding: mockEmbedding(body.inputText, dimensions), inputTextTokenCount: Math.max(1, countTokens(body.inputText)) } };
  }
  return { status: 400, message: `The provided model identifier is invalid for InvokeModel embeddings in this mock: ${model}.` };
}
