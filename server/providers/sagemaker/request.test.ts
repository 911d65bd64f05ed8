import { describe, expect, it } from 'vitest';
import { testCallContext, testDeployment } from '../../test-support/fixtures.ts';
import type { Deployment } from '../types.ts';
import { buildEmbeddingInvocation, buildInvocationRequest, translateEmbeddingInvocation } from './request.ts';

const deployment = (overrides: Partial<Deployment> = {}) =>
  testDeployment({
    provider: 'sagemaker',
    upstreamModel: 'jumpstart-dft-hf-llm-mistral-7b-instruct',
    apiBase: 'https://runtime.sagemaker.us-east-1.amazonaws.com',
    apiKey: undefined,
    params: { model: 'sagemaker/jumpstart-dft-hf-llm-mistral-7b-instruct' },
    ...overrides,
  });
const call = (body: Record<string, unknown>, stream = false, overrides: Partial<Deployment> = {}) => ({
  ...testCallContext(body, { stream }),
  deployment: deployment(overrides),
});

describe('SageMaker invocations', () => {
  it('sends TGI’s inputs and parameters, the prompt in the model’s built-in template', () => {
    const req = buildInvocationRequest(call({ messages: [{ role: 'user', content: 'Hi' }], max_tokens: 20, temperature: 0.5 }));
    expect(req.url).toBe('https://runtime.sagemaker.us-east-1.amazonaws.com/endpoints/jumpstart-dft-hf-llm-mistral-7b-instruct/invocations');
    expect(JSON.parse(req.body!)).toEqual({
      inputs: '<s>[INST] Hi [/INST]',
      parameters: { max_new_tokens: 20, temperature: 0.5, details: true, return_full_text: false, decoder_input_details: true },
    });
  });

  it('streams from invocations-response-stream with a custom template', () => {
    const params = { model: 'sagemaker/my-endpoint', roles: { user: { pre_message: 'U: ', post_message: '\n' } }, final_prompt_value: 'A:' };
    const req = buildInvocationRequest(call({ messages: [{ role: 'user', content: 'Hi' }] }, true, { upstreamModel: 'my-endpoint', params }));
    expect(req.url).toBe('https://runtime.sagemaker.us-east-1.amazonaws.com/endpoints/my-endpoint/invocations-response-stream');
    expect(JSON.parse(req.body!).inputs).toBe('U: Hi\nA:');
    expect(JSON.parse(req.body!).parameters).not.toHaveProperty('decoder_input_details');
  });

  it('embeds with text_inputs and answers OpenAI’s list', () => {
    const ctx = { ...testCallContext({ input: ['a b', 'c'] }, { endpoint: 'embeddings' }), deployment: deployment({ upstreamModel: 'embed-endpoint' }) };
    expect(JSON.parse(buildEmbeddingInvocation(ctx).body!)).toEqual({ text_inputs: ['a b', 'c'] });
    expect(
      translateEmbeddingInvocation(
        {
          embedding: [
            [1, 2],
            [3, 4],
          ],
        },
        ctx,
      ),
    ).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [1, 2] },
        { object: 'embedding', index: 1, embedding: [3, 4] },
      ],
      model: 'embed-endpoint',
    });
  });
});
