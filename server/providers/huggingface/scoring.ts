/**
 * lm-eval-harness's log-likelihood call — `/completions` with `max_tokens: 0, echo: true, logprobs: n` — on a TGI
 * server. TGI's `/generate` scores a prompt when asked for `decoder_input_details`: `details.prefill` lists the
 * prompt's tokens `{id, text, logprob}`, the first one's logprob null (it has no context)
 * (https://huggingface.github.io/text-generation-inference/ — GenerateParameters.decoder_input_details,
 * Details.prefill / PrefillToken). TGI generates at least one token (max_new_tokens ≥ 1); that token is not part
 * of the answer. Its `top_n_tokens` / `details.top_tokens` cover generated tokens only, so the prompt's tokens
 * come back without alternatives: top_logprobs entries are null.
 */
import { GatewayError, badRequest } from '../../core/errors.ts';
import type { CallContext, UpstreamRequest } from '../types.ts';
import { PROVIDER_LABEL } from './errors.ts';
import { hfHeaders } from './generate-request.ts';
import { generateUrl, isRouter } from './mode.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A non-streamed request that echoes the prompt and generates nothing, on a server of one's own (the router has no /generate). */
export function isScoringRequest(ctx: CallContext): boolean {
  return !ctx.stream && ctx.body.echo === true && ctx.body.max_tokens === 0 && !isRouter(ctx.deployment);
}

function promptText(ctx: CallContext): string {
  const { prompt } = ctx.body;
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') return prompt[0];
  throw badRequest(`${PROVIDER_LABEL} scores one text prompt per /completions request; send the prompts one by one.`, 'prompt');
}

/** TGI's `/generate` body that scores the prompt as given (no prompt template: the text is scored, not a chat). */
export function buildScoringRequest(ctx: CallContext): UpstreamRequest {
  return {
    method: 'POST',
    url: generateUrl(ctx.deployment, false),
    headers: hfHeaders(ctx),
    body: JSON.stringify({ inputs: promptText(ctx), parameters: { max_new_tokens: 1, details: true, decoder_input_details: true } }),
  };
}

interface ScoredToken {
  text: string;
  logprob: number | null;
}

function prefillOf(upstream: unknown): ScoredToken[] {
  const answer = Array.isArray(upstream) ? upstream[0] : upstream;
  const prefill = isRecord(answer) && isRecord(answer.details) ? answer.details.prefill : undefined;
  if (!Array.isArray(prefill) || prefill.length === 0) {
    throw new GatewayError(502, `${PROVIDER_LABEL} returned no prompt token details (details.prefill) to score the prompt with.`, {
      code: 'upstream_invalid_response',
    });
  }
  return prefill.map((token) => ({
    text: isRecord(token) && typeof token.text === 'string' ? token.text : '',
    logprob: isRecord(token) && typeof token.logprob === 'number' ? token.logprob : null,
  }));
}

/**
 * Each token's character offset in the prompt: where its text is found from the previous token's end (TGI decodes
 * prompt tokens one by one, so a token may come without its leading space); where it is not found (a special token
 * such as `<s>`), the previous token's end.
 */
export function textOffsets(prompt: string, tokens: string[]): number[] {
  let cursor = 0;
  return tokens.map((token) => {
    const at = token === '' ? -1 : prompt.indexOf(token, cursor);
    if (at < 0) return cursor;
    cursor = at + token.length;
    return at;
  });
}

/** TGI's scored prompt as an OpenAI text_completion, in the shape OpenAI answers echo + logprobs with. */
export function translateScoring(upstream: unknown, ctx: CallContext): Record<string, unknown> {
  const prompt = promptText(ctx);
  const prefill = prefillOf(upstream);
  const tokens = prefill.map((t) => t.text);
  const wantsLogprobs = ctx.body.logprobs !== undefined && ctx.body.logprobs !== null && ctx.body.logprobs !== false;
  const logprobs = wantsLogprobs
    ? {
        tokens,
        token_logprobs: prefill.map((t) => t.logprob),
        top_logprobs: prefill.map(() => null),
        text_offset: textOffsets(prompt, tokens),
      }
    : null;
  return {
    id: `cmpl-${ctx.requestId}`,
    object: 'text_completion',
    created: Math.floor(Date.now() / 1000),
    model: ctx.deployment.upstreamModel,
    choices: [{ text: prompt, index: 0, logprobs, finish_reason: 'length' }],
    usage: { prompt_tokens: prefill.length, completion_tokens: 0, total_tokens: prefill.length },
  };
}
