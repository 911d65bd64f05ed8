/**
 * Bare model names from LiteLLM's 2023 docs (`claude-2`, `command-nightly`, `j2-light`, `chat-bison`) find their
 * provider: the price table first, then the name's shape. They are sent upstream as written (a model retired there
 * answers for itself), and never get an `openai/…` suggestion. Seed litellm_params that are no request parameter
 * of the provider (initial_prompt_value and roles outside flat-prompt providers, LLProxy's maxQueueSize) are warned
 * about and never become request defaults.
 */
import { describe, expect, it } from 'vitest';
import { emptyConfig, type LitellmParams, type ModelEntry } from '../core/config-types.ts';
import { loadPriceTable } from '../prices/price-table.ts';
import { prefixOfBareName } from '../providers/registry.ts';
import { UnknownProviderError, buildDeployment, unknownProviderOf } from './deployments.ts';

const prices = loadPriceTable();

function built(params: LitellmParams) {
  const warnings: string[] = [];
  const entry: ModelEntry = { model_name: 'seed-model', litellm_params: params };
  const d = buildDeployment(entry, 2, emptyConfig(), {}, prices, (w) => warnings.push(w));
  return { provider: d.provider, upstreamModel: d.upstreamModel, warnings };
}

describe('bare model names of LiteLLM 2023 docs', () => {
  it.each([
    ['claude-instant-1', 'anthropic'],
    ['claude-instant-1.2', 'anthropic'],
    ['claude-2', 'anthropic'],
    ['claude-2.1', 'anthropic'],
    ['command-nightly', 'cohere'],
    ['command', 'cohere'],
    ['command-light', 'cohere'],
    ['j2-light', 'ai21'],
    ['j2-mid', 'ai21'],
    ['j2-ultra', 'ai21'],
    ['jamba-instruct', 'ai21'],
  ])('%s → %s, sent upstream under the same name, without warnings', (model, provider) => {
    expect(built({ model, api_key: 'k' })).toEqual({ provider, upstreamModel: model, warnings: [] });
  });

  it.each(['chat-bison', 'text-bison', 'codechat-bison', 'chat-bison@001', 'text-bison-32k'])(
    '%s → Gemini (the palm/ mapping) with the PaLM-is-retired warning naming the path',
    (model) => {
      const { provider, upstreamModel, warnings } = built({ model, api_key: 'k' });
      expect({ provider, upstreamModel }).toEqual({ provider: 'gemini', upstreamModel: model });
      expect(warnings).toEqual([
        `model_list[2].litellm_params.model: \`${model}\` is a palm/ name. PaLM is retired: ${warnings[0]?.split('PaLM is retired: ')[1]}`,
      ]);
      expect(warnings[0]).toContain('gemini/gemini-2.5-flash');
    },
  );

  it('the price table decides before the name shape: command-light is priced under cohere_chat', () => {
    expect(prices.get('command-light')?.litellm_provider).toBe('cohere_chat');
    expect(built({ model: 'command-light' }).provider).toBe('cohere');
  });

  it('the shape rule is anchored: names that merely contain the words are not matched', () => {
    expect(prefixOfBareName('my-claude-2')).toBeUndefined();
    expect(prefixOfBareName('commander')).toBeUndefined();
    expect(prefixOfBareName('bison')).toBeUndefined();
    expect(prefixOfBareName('j2')).toBeUndefined();
    expect(prefixOfBareName('claude-2')).toBe('anthropic');
  });

  it('an unknown bare name is still refused, and a known shape never gets an openai/ suggestion', () => {
    const entry = (model: string): ModelEntry => ({ model_name: 'x', litellm_params: { model } });
    const unknown = unknownProviderOf(entry('my-private-model'), prices);
    expect(unknown).toBeInstanceOf(UnknownProviderError);
    expect(unknown?.message).toContain('openai/my-private-model');
    for (const model of ['claude-2', 'claude-instant-1', 'command-nightly', 'j2-light', 'chat-bison']) {
      expect(unknownProviderOf(entry(model), prices)).toBeUndefined();
    }
  });

  it('a written prefix still wins over the name shape', () => {
    expect(built({ model: 'openai/claude-2' })).toMatchObject({ provider: 'openai', upstreamModel: 'claude-2' });
    expect(built({ model: 'palm/chat-bison', api_key: 'k' }).warnings).toEqual([
      expect.stringMatching(/^model_list\[2\]\.litellm_params\.model: PaLM is retired/),
    ]);
  });
});

describe('seed litellm_params that are not request parameters', () => {
  it.each(['openai/gpt-4o', 'anthropic/claude-3-haiku-20240307'])(
    '%s: initial_prompt_value, roles, maxQueueSize are warned about and not defaults',
    (model) => {
      const { warnings } = built({ model, initial_prompt_value: 'Hi', roles: { user: { pre_message: '[U]' } }, maxQueueSize: 100, temperature: 0.2 });
      const entry: ModelEntry = { model_name: 'x', litellm_params: { model, initial_prompt_value: 'Hi', roles: {}, maxQueueSize: 100, temperature: 0.2 } };
      expect(buildDeployment(entry, 0, emptyConfig(), {}, prices).defaults).toEqual({ temperature: 0.2 });
      expect(warnings.map((w) => w.slice(0, w.indexOf(':')))).toEqual([
        'model_list[2].litellm_params.initial_prompt_value',
        'model_list[2].litellm_params.roles',
        'model_list[2].litellm_params.maxQueueSize',
      ]);
      expect(warnings[2]).toContain('did you mean `max_queue_size`?');
    },
  );

  it.each(['replicate/meta/llama-3-70b-instruct', 'huggingface/text-generation-inference/meta-llama/Llama-2-7b', 'sagemaker/my-endpoint'])(
    '%s: initial_prompt_value and roles are its prompt-template settings (used, never sent, no warning)',
    (model) => {
      const params = { model, api_base: 'http://tgi.local', initial_prompt_value: 'Hi', roles: { user: { pre_message: '[U]' } } };
      expect(built(params).warnings).toEqual([]);
      expect(buildDeployment({ model_name: 'x', litellm_params: params }, 0, emptyConfig(), {}, prices).defaults).toEqual({});
    },
  );
});
