import { describe, expect, it } from 'vitest';
import { gatewayErrorFrom } from '../../../test-support/fixtures.ts';
import { toBatchEmbedBody, translateBatchEmbed } from './embeddings.ts';
import { geminiContext } from './test-fixtures.ts';

const ctx = (body: Record<string, unknown>) => ({ ...geminiContext(body), endpoint: 'embeddings' as const });

describe('Gemini embeddings', () => {
  it('sends one request per input, with dimensions and task type under Gemini names', () => {
    expect(toBatchEmbedBody(ctx({ input: 'one', dimensions: 3, task_type: 'RETRIEVAL_QUERY' }), 'models/m')).toEqual({
      requests: [{ model: 'models/m', content: { parts: [{ text: 'one' }] }, outputDimensionality: 3, taskType: 'RETRIEVAL_QUERY' }],
    });
    expect(gatewayErrorFrom(() => toBatchEmbedBody(ctx({ input: [1, 2] }), 'models/m')).param).toBe('input');
  });

  it('answers base64 when asked (the openai SDK default) and reports usage only when Google does', () => {
    const out = translateBatchEmbed({ embeddings: [{ values: [1, -2] }] }, ctx({ input: 'x', encoding_format: 'base64' }));
    const bytes = Buffer.from((out.data as { embedding: string }[])[0]!.embedding, 'base64');
    expect([bytes.readFloatLE(0), bytes.readFloatLE(4)]).toEqual([1, -2]);
    expect(out).not.toHaveProperty('usage');
    const reported = translateBatchEmbed({ embeddings: [], usageMetadata: { promptTokenCount: 5 } }, ctx({ input: 'x' }));
    expect(reported.usage).toEqual({ prompt_tokens: 5, total_tokens: 5 });
  });
});
