import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../test-support/fixtures.ts';
import { DeploymentError } from '../deployment-error.ts';
import { renderPrompt } from './index.ts';

const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hi' },
];

describe('renderPrompt', () => {
  it('uses the built-in format of the model name when the deployment gives no template', () => {
    expect(renderPrompt(messages, 'HuggingFaceH4/zephyr-7b-beta', { model: 'huggingface/HuggingFaceH4/zephyr-7b-beta' })).toEqual({
      prompt: '<|system|>\nBe brief.</s>\n<|user|>\nHi</s>\n<|assistant|>\n',
      template: 'zephyr',
    });
  });

  it("the deployment's custom template wins over the model name", () => {
    const params = {
      model: 'huggingface/meta-llama/Meta-Llama-3-8B-Instruct',
      roles: { system: { pre_message: '### System:\n', post_message: '\n' }, user: { pre_message: '### User:\n', post_message: '\n' } },
      final_prompt_value: '### Assistant:\n',
    };
    expect(renderPrompt(messages, 'meta-llama/Meta-Llama-3-8B-Instruct', params)).toEqual({
      prompt: '### System:\nBe brief.\n### User:\nHi\n### Assistant:\n',
      template: 'custom',
    });
  });

  it('a malformed custom template is a DeploymentError naming the key', () => {
    const error = thrownBy(() => renderPrompt(messages, 'm', { model: 'x', bos_token: 5 }), DeploymentError);
    expect(error.path).toBe('litellm_params.bos_token');
  });
});
