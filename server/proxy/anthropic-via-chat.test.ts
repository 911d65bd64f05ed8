import { describe, expect, it } from 'vitest';
import { testDeployment } from '../test-support/fixtures.ts';
import { chatTargetOf } from './anthropic-via-chat.ts';

describe('what a deployment can take, for a Messages request translated into its chat call', () => {
  it('OpenAI reasoning models (bundled table): reasoning_effort, max_completion_tokens, default sampling only, file parts', () => {
    const target = chatTargetOf(testDeployment({ provider: 'openai', upstreamModel: 'gpt-5' }));
    expect(target).toMatchObject({
      providerLabel: 'OpenAI',
      reasons: true,
      maxTokensField: 'max_completion_tokens',
      defaultSamplingOnly: true,
      takesFiles: true,
    });
    expect(target.accepts.has('reasoning_effort')).toBe(true);
    expect(target.accepts.has('top_k')).toBe(false);
  });

  it('a model the table lists without reasoning does not reason; model_info.supports_reasoning says otherwise when set', () => {
    expect(chatTargetOf(testDeployment({ provider: 'openai', upstreamModel: 'gpt-4o' }))).toMatchObject({
      reasons: false,
      maxTokensField: 'max_tokens',
      defaultSamplingOnly: false,
    });
    expect(chatTargetOf(testDeployment({ provider: 'openai', upstreamModel: 'gpt-4o', modelInfo: { supports_reasoning: true } })).reasons).toBe(true);
    expect(chatTargetOf(testDeployment({ provider: 'openai', upstreamModel: 'my-alias', modelInfo: { base_model: 'gpt-4o' } })).reasons).toBe(false);
  });

  it('a self-hosted model the table does not know: its server decides (reasoning_effort sent), top_k taken, no file parts', () => {
    const target = chatTargetOf(testDeployment({ provider: 'hosted_vllm', upstreamModel: 'my-org/llama-finetune' }));
    expect(target).toMatchObject({ reasons: true, maxTokensField: 'max_tokens', defaultSamplingOnly: false, takesFiles: false });
    expect(target.accepts.has('top_k')).toBe(true);
  });
});
