import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.ts';
import { thrownBy } from '../../test-support/fixtures.ts';
import { buildInvokeEmbeddingRequest, translateInvokeEmbedding } from './embeddings.ts';
import { bedrockCall } from './test-fixtures.ts';

const titan = { upstreamModel: 'amazon.titan-embed-text-v2:0' };
const cohere = { upstreamModel: 'cohere.embed-english-v3' };

describe('Bedrock embeddings', () => {
  it('invokes Titan with one inputText and reads its token count', () => {
    const ctx = bedrockCall({ input: 'hello there', dimensions: 256 }, { endpoint: 'embeddings', deployment: titan });
    const req = buildInvokeEmbeddingRequest(ctx);
    expect(req.url).toBe('https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.titan-embed-text-v2%3A0/invoke');
    expect(JSON.parse(req.body!)).toEqual({ inputText: 'hello there', dimensions: 256 });
    expect(translateInvokeEmbedding({ embedding: [0.5, -0.25], inputTextTokenCount: 3 }, ctx)).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.5, -0.25] }],
      model: 'amazon.titan-embed-text-v2:0',
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
    expect(
      thrownBy(() => buildInvokeEmbeddingRequest(bedrockCall({ input: ['a', 'b'] }, { endpoint: 'embeddings', deployment: titan })), GatewayError).status,
    ).toBe(400);
  });

  it('invokes Cohere with every text as a search document, and answers base64 when asked', () => {
    const ctx = bedrockCall({ input: ['a b', 'c'], encoding_format: 'base64' }, { endpoint: 'embeddings', deployment: cohere });
    expect(JSON.parse(buildInvokeEmbeddingRequest(ctx).body!)).toEqual({ texts: ['a b', 'c'], input_type: 'search_document' });
    const out = translateInvokeEmbedding({ id: 'e1', response_type: 'embeddings_floats', embeddings: [[1], [0.5]] }, ctx) as {
      data: { embedding: string }[];
      usage: unknown;
    };
    expect(out.data.map((d) => d.embedding)).toEqual([
      Buffer.from(new Float32Array([1]).buffer).toString('base64'),
      Buffer.from(new Float32Array([0.5]).buffer).toString('base64'),
    ]);
    // No token count from Cohere: the gateway estimates it.
    expect(out).not.toHaveProperty('usage');
  });
});
