import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.ts';
import { testCallContext, thrownBy } from '../../test-support/fixtures.ts';
import { huggingfaceProvider } from './index.ts';
import { buildScoringRequest, isScoringRequest, textOffsets, translateScoring } from './scoring.ts';

const deployment = {
  provider: 'huggingface',
  upstreamModel: 'bigcode/starcoder',
  apiBase: 'https://xyz.endpoints.huggingface.cloud/v1',
  apiKey: 'hf_test',
  params: { model: 'huggingface/bigcode/starcoder' },
};
const SCORING = { prompt: 'The capital of France', max_tokens: 0, echo: true, logprobs: 10, temperature: 0 };
const ctx = (body: Record<string, unknown>, options: { stream?: boolean; apiBase?: string } = {}) =>
  testCallContext(
    { model: 'm', ...body },
    { endpoint: 'completions', stream: options.stream ?? false, deployment: { ...deployment, ...(options.apiBase ? { apiBase: options.apiBase } : {}) } },
  );
const tgiAnswer = {
  generated_text: ' is',
  details: {
    finish_reason: 'length',
    generated_tokens: 1,
    prefill: [
      { id: 1, text: 'The', logprob: null },
      { id: 2, text: ' capital', logprob: -2.5 },
      { id: 3, text: ' of', logprob: -0.5 },
      { id: 4, text: ' France', logprob: -1.25 },
    ],
  },
};

describe('isScoringRequest', () => {
  it('echo with max_tokens 0 on an endpoint, not streamed', () => {
    expect(isScoringRequest(ctx(SCORING))).toBe(true);
    expect(isScoringRequest(ctx({ ...SCORING, max_tokens: 5 }))).toBe(false);
    expect(isScoringRequest(ctx({ ...SCORING, echo: false }))).toBe(false);
    expect(isScoringRequest(ctx(SCORING, { stream: true }))).toBe(false);
    expect(isScoringRequest(ctx(SCORING, { apiBase: 'https://router.huggingface.co/v1' }))).toBe(false);
  });
});

describe('buildScoringRequest', () => {
  it("TGI's /generate on the server's root with the prompt as given, one new token and the prompt's details", () => {
    const req = buildScoringRequest(ctx({ ...SCORING, prompt: ['The capital of France'] }));
    expect(req.url).toBe('https://xyz.endpoints.huggingface.cloud/generate');
    expect(req.headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer hf_test' });
    expect(JSON.parse(req.body ?? '')).toEqual({
      inputs: 'The capital of France',
      parameters: { max_new_tokens: 1, details: true, decoder_input_details: true },
    });
  });

  it('several prompts in one request are a 400 naming prompt', () => {
    const err = thrownBy(() => buildScoringRequest(ctx({ ...SCORING, prompt: ['a', 'b'] })), GatewayError);
    expect([err.status, err.param]).toEqual([400, 'prompt']);
  });
});

describe('translateScoring', () => {
  it("the prompt with its tokens' logprobs (the first null), offsets, no alternatives, nothing generated", () => {
    const body = translateScoring(tgiAnswer, ctx(SCORING));
    expect(body).toMatchObject({ id: 'cmpl-r1', object: 'text_completion', model: 'bigcode/starcoder' });
    expect(body.choices).toEqual([
      {
        text: 'The capital of France',
        index: 0,
        finish_reason: 'length',
        logprobs: {
          tokens: ['The', ' capital', ' of', ' France'],
          token_logprobs: [null, -2.5, -0.5, -1.25],
          top_logprobs: [null, null, null, null],
          text_offset: [0, 3, 11, 14],
        },
      },
    ]);
    expect(body.usage).toEqual({ prompt_tokens: 4, completion_tokens: 0, total_tokens: 4 });
  });

  it('without logprobs asked, the echoed prompt only; the hf-inference array answer is read too', () => {
    const body = translateScoring([tgiAnswer], ctx({ ...SCORING, logprobs: undefined }));
    expect(body.choices).toEqual([{ text: 'The capital of France', index: 0, finish_reason: 'length', logprobs: null }]);
  });

  it('an answer without prefill is a 502', () => {
    const err = thrownBy(() => translateScoring({ generated_text: 'x', details: { generated_tokens: 1 } }, ctx(SCORING)), GatewayError);
    expect(err.status).toBe(502);
  });
});

describe('textOffsets', () => {
  it('finds tokens decoded without their leading space, and puts a special token at the cursor', () => {
    expect(textOffsets('The capital of', ['<s>', 'The', 'capital', 'of'])).toEqual([0, 0, 4, 12]);
  });
});

describe("the descriptor's /completions", () => {
  const completions = huggingfaceProvider.endpoints.completions!;

  it('sends the scoring call to /generate', () => {
    expect(completions.buildRequest(ctx(SCORING)).url).toBe('https://xyz.endpoints.huggingface.cloud/generate');
  });

  it('sends other completions through chat, which still refuses echo', () => {
    expect(completions.buildRequest(ctx({ prompt: 'hi', max_tokens: 5 })).url).toBe('https://xyz.endpoints.huggingface.cloud/v1/chat/completions');
    const err = thrownBy(() => completions.buildRequest(ctx({ prompt: 'hi', max_tokens: 5, echo: true })), GatewayError);
    expect(err.param).toBe('echo');
  });

  it('on the serverless router (no /generate) max_tokens 0 is still refused', () => {
    const err = thrownBy(() => completions.buildRequest(ctx(SCORING, { apiBase: 'https://router.huggingface.co/v1' })), GatewayError);
    expect(err.param).toBe('max_tokens');
  });
});
