import { describe, expect, it } from 'vitest';
import { testCallContext } from '../../test-support/fixtures.ts';
import { buildPredictEmbeddingRequest, translatePredictEmbedding } from './embeddings.ts';

const BASE = 'https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1';
const deployment = { provider: 'vertex_ai', upstreamModel: 'text-embedding-005', apiBase: BASE, params: { model: 'vertex_ai/text-embedding-005' } };
const ANSWER = {
  predictions: [
    { embeddings: { values: [0.5, -0.25], statistics: { token_count: 2, truncated: false } } },
    { embeddings: { values: [1, 0], statistics: { token_count: 3, truncated: false } } },
  ],
};

describe('Vertex text embeddings', () => {
  it('posts one instance per input to :predict, dimensions as outputDimensionality', () => {
    const req = buildPredictEmbeddingRequest(
      testCallContext({ input: ['a b', 'c d e'], dimensions: 2, task_type: 'RETRIEVAL_QUERY' }, { endpoint: 'embeddings', deployment }),
    );
    expect(req.url).toBe(`${BASE}/publishers/google/models/text-embedding-005:predict`);
    expect(JSON.parse(req.body ?? '')).toEqual({
      instances: [
        { content: 'a b', task_type: 'RETRIEVAL_QUERY' },
        { content: 'c d e', task_type: 'RETRIEVAL_QUERY' },
      ],
      parameters: { outputDimensionality: 2 },
    });
  });

  it('answers an OpenAI list with the token counts Vertex reported, base64 when asked', () => {
    const ctx = testCallContext({ input: ['a b', 'c d e'] }, { endpoint: 'embeddings', deployment });
    expect(translatePredictEmbedding(ANSWER, ctx)).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.5, -0.25] },
        { object: 'embedding', index: 1, embedding: [1, 0] },
      ],
      model: 'text-embedding-005',
      usage: { prompt_tokens: 5, total_tokens: 5 },
    });
    const b64 = translatePredictEmbedding(ANSWER, testCallContext({ input: 'x', encoding_format: 'base64' }, { endpoint: 'embeddings', deployment }));
    const first = (b64.data as { embedding: string }[])[0]?.embedding ?? '';
    const bytes = Buffer.from(first, 'base64');
    expect([...new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)]).toEqual([0.5, -0.25]);
  });

  it('refuses token arrays', () => {
    expect(() => buildPredictEmbeddingRequest(testCallContext({ input: [[1, 2]] }, { endpoint: 'embeddings', deployment }))).toThrow(/input/);
  });
});
