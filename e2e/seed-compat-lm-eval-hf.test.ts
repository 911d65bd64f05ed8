/**
 * lm-eval-harness (seed 001) scoring a prompt on a Hugging Face TGI endpoint: `/completions` with `max_tokens: 0`,
 * `echo: true`, `logprobs: 10` becomes TGI's `/generate` with `decoder_input_details` (one token generated and
 * dropped), and `details.prefill` comes back as OpenAI's echo + logprobs answer. Other completions keep going
 * through the chat API; the serverless router, which has no /generate, still refuses the scoring call.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { prefillLogprob } from './mock-providers/huggingface.ts';
import type { MockProviders } from './mock-providers/index.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';
import { expectValid } from './support/openapi.ts';

let mock: MockProviders;
let gw: TestGateway;

const config = (mockUrl: string) => `
model_list:
  - model_name: starcoder
    litellm_params: { model: huggingface/bigcode/starcoder, api_base: "${mockUrl}/huggingface/starcoder", api_key: hf-secret }
  - model_name: zephyr
    litellm_params: { model: huggingface/text-generation-inference/HuggingFaceH4/zephyr-7b-beta, api_base: "${mockUrl}/huggingface/zephyr/v1", api_key: hf-secret }
  - model_name: serverless
    litellm_params: { model: huggingface/bigcode/starcoder, api_key: hf-secret }
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, {}, (started) => {
  ({ mock, gw } = started);
});

const client = () => gw.client('sk-1234');
const PROMPT = 'The capital of France is Paris';
const WORDS = ['The', 'capital', 'of', 'France', 'is', 'Paris'];
const LOGLIKELIHOOD = { prompt: PROMPT, max_tokens: 0, echo: true, logprobs: 10, temperature: 0 } as const;

describe("lm-eval-harness's log-likelihood request on a TGI endpoint", () => {
  it.each([
    ['starcoder', '/huggingface/starcoder/generate'],
    ['zephyr', '/huggingface/zephyr/generate'],
  ])('%s: TGI /generate scores the raw prompt; the answer is the echoed prompt with its logprobs', async (model, path) => {
    const answer = await client().completions.create({ model, ...LOGLIKELIHOOD });
    expect(mock.requests.map((r) => [r.path, r.body])).toEqual([
      [path, { inputs: PROMPT, parameters: { max_new_tokens: 1, details: true, decoder_input_details: true } }],
    ]);
    expect(answer.object).toBe('text_completion');
    const [choice] = answer.choices;
    expect(choice?.text).toBe(PROMPT);
    expect(choice?.finish_reason).toBe('length');
    expect(choice?.logprobs).toEqual({
      tokens: WORDS,
      token_logprobs: [null, ...WORDS.slice(1).map(prefillLogprob)],
      top_logprobs: WORDS.map(() => null),
      text_offset: [0, 4, 12, 15, 22, 25],
    });
    expect(answer.usage).toEqual({ prompt_tokens: 6, completion_tokens: 0, total_tokens: 6 });
    // OpenAI's schema types the logprob lists' items as numbers and objects; TGI gives no alternatives for prompt
    // tokens and the first token has no logprob (both checked above), so the rest of the body is validated.
    const lp = choice!.logprobs!;
    expectValid('CreateCompletionResponse', {
      ...answer,
      choices: [{ ...choice, logprobs: { ...lp, token_logprobs: lp.token_logprobs?.slice(1), top_logprobs: [] } }],
    });
  });

  it('the prompt as a one-element list (what lm-eval-harness sends) is scored the same', async () => {
    const answer = await client().completions.create({ model: 'starcoder', ...LOGLIKELIHOOD, prompt: [PROMPT] });
    expect(mock.requests[0]?.body).toMatchObject({ inputs: PROMPT });
    expect(answer.choices[0]?.text).toBe(PROMPT);
  });

  it('a completion that generates still goes through the chat API', async () => {
    const answer = await client().completions.create({ model: 'starcoder', prompt: 'hi there', max_tokens: 5 });
    expect(mock.requests.map((r) => r.path)).toEqual(['/huggingface/starcoder/v1/chat/completions']);
    expect(answer.choices[0]?.logprobs).toBeNull();
  });

  it('the serverless router has no /generate: the scoring call is a 400 naming max_tokens, calling nobody', async () => {
    const err = await client()
      .completions.create({ model: 'serverless', ...LOGLIKELIHOOD })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('max_tokens');
    expect(mock.requests).toEqual([]);
  });
});
