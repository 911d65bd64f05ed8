/**
 * lm-eval-harness (seed 001) scores prompts through the legacy completions endpoint: `max_tokens: 0`, `echo: true`,
 * `logprobs: 10` — generate nothing, return the prompt with every token's logprob. The gateway passes them through
 * where the provider's completions endpoint is OpenAI's own (openai/, OpenAI-compatible servers such as vLLM) and
 * refuses them with a 400 naming the parameter where completions are served through a chat API.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { MockProviders } from './mock-providers/index.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';
import { expectValid } from './support/openapi.ts';

let mock: MockProviders;
let gw: TestGateway;

const config = (mockUrl: string) => `
model_list:
  - model_name: davinci
    litellm_params: { model: openai/davinci-002, api_base: "${mockUrl}/v1", api_key: sk-openai-upstream }
  - model_name: local-vllm
    litellm_params: { model: hosted_vllm/EleutherAI/pythia-160m, api_base: "${mockUrl}", api_key: EMPTY }
  - model_name: claude
    litellm_params: { model: anthropic/claude-3-haiku-20240307, api_base: "${mockUrl}", api_key: sk-ant-upstream }
  - model_name: claude-dropping
    litellm_params: { model: anthropic/claude-3-haiku-20240307, api_base: "${mockUrl}", api_key: sk-ant-upstream, drop_params: true }
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, {}, (started) => {
  ({ mock, gw } = started);
});

const client = () => gw.client('sk-1234');
const PROMPT = 'The capital of France is Paris';
const LOGLIKELIHOOD = { prompt: PROMPT, max_tokens: 0, echo: true, logprobs: 10, temperature: 0 } as const;

/**
 * OpenAI's schema types token_logprobs / top_logprobs items as numbers and objects, but with echo the first prompt
 * token has no context and both APIs answer null for it (lm-eval-harness skips it). Everything else is checked.
 */
function expectValidScoredCompletion(body: OpenAI.Completions.Completion): void {
  const choices = body.choices.map((c) => {
    expect(c.logprobs?.token_logprobs?.[0]).toBeNull();
    expect(c.logprobs?.top_logprobs?.[0]).toBeNull();
    const lp = c.logprobs!;
    return { ...c, logprobs: { ...lp, token_logprobs: lp.token_logprobs?.slice(1), top_logprobs: lp.top_logprobs?.slice(1) } };
  });
  expectValid('CreateCompletionResponse', { ...body, choices });
}

describe("lm-eval-harness's log-likelihood request", () => {
  it.each([
    ['davinci', 'davinci-002'],
    ['local-vllm', 'EleutherAI/pythia-160m'],
  ])('%s: max_tokens 0, echo and logprobs reach the completions endpoint; the scored prompt comes back', async (model, upstreamModel) => {
    const answer = await client().completions.create({ model, ...LOGLIKELIHOOD });
    expect(mock.requests.map((r) => [r.path, r.body])).toEqual([['/v1/completions', { model: upstreamModel, ...LOGLIKELIHOOD }]]);
    const [choice] = answer.choices;
    expect(choice?.text).toBe(PROMPT);
    expect(choice?.finish_reason).toBe('length');
    expect(choice?.logprobs?.tokens).toEqual(['The', ' capital', ' of', ' France', ' is', ' Paris']);
    expect(choice?.logprobs?.text_offset).toEqual([0, 3, 11, 14, 21, 24]);
    expect(Object.keys(choice?.logprobs?.top_logprobs?.[5] ?? {})).toHaveLength(10);
    expect(answer.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 0, total_tokens: 6 });
    expectValidScoredCompletion(answer);
  });

  it('logprobs without echo score the generated tokens only (a schema-valid body)', async () => {
    const answer = await client().completions.create({ model: 'davinci', prompt: 'hi there', max_tokens: 3, logprobs: 2 });
    const [choice] = answer.choices;
    expect(choice?.text).toBe('echo: hi there');
    expect(choice?.logprobs?.tokens).toEqual(['echo:', ' hi', ' there']);
    expect(choice?.logprobs?.token_logprobs?.every((lp) => typeof lp === 'number')).toBe(true);
    expectValid('CreateCompletionResponse', answer);
  });

  it.each([
    ['max_tokens', { prompt: PROMPT, max_tokens: 0 }],
    ['echo', { prompt: PROMPT, max_tokens: 5, echo: true }],
    ['logprobs', { prompt: PROMPT, max_tokens: 5, logprobs: 10 }],
  ] as const)('a provider whose completions go through chat (Anthropic) refuses %s with a 400 naming it, calling nobody', async (param, body) => {
    const err = await client()
      .completions.create({ model: 'claude', ...body })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const error = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.param).toBe(param);
    expect(error.message).toContain(`\`${param}`);
    expect(mock.requests).toEqual([]);
  });

  it('with drop_params, echo and logprobs are left out for such a provider, but max_tokens 0 is still refused', async () => {
    const answer = await client().completions.create({ model: 'claude-dropping', prompt: 'hi there', max_tokens: 5, echo: true, logprobs: 10 });
    expect(answer.choices[0]?.text).toBe('echo: hi there');
    expect(mock.requests[0]?.body).not.toHaveProperty('logprobs');
    const refused = await client()
      .completions.create({ model: 'claude-dropping', prompt: 'hi', max_tokens: 0 })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((refused as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('max_tokens');
  });
});
