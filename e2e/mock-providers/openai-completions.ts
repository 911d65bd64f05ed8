/**
 * OpenAI legacy Completions (POST /v1/completions, platform.openai.com/docs/api-reference/completions): the
 * `text_completion` object, streamed as `text_completion` chunks with the same optional usage chunk as chat.
 *
 * `logprobs: n` adds each choice's `logprobs` object (`tokens`, `token_logprobs`, `top_logprobs` with n entries,
 * `text_offset`); `echo: true` puts the prompt before the answer, its tokens scored too — the first one has no
 * context, so its logprob and top_logprobs are null, as OpenAI (and vLLM) answer. `max_tokens: 0` generates
 * nothing (finish_reason `length`): with echo and logprobs that scores a prompt, what lm-eval-harness's
 * log-likelihood requests do. n is not capped at OpenAI's 5: OpenAI-compatible servers (vLLM) take more.
 */
import { openaiError } from './failures.ts';
import type { MockReply } from './http.ts';
import { sseFrame } from './http.ts';
import type { JsonObject } from './text.ts';
import { countTokens, echoAnswer, isObject, mockId, splitIntoPieces, truncateToTokens, unixSeconds } from './text.ts';

export interface LegacyUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface LegacyChoice {
  text: string;
  finishReason: 'stop' | 'length';
  logprobs?: LegacyLogprobs;
}

export interface LegacyLogprobs {
  tokens: string[];
  token_logprobs: (number | null)[];
  top_logprobs: (Record<string, number> | null)[];
  text_offset: number[];
}

/** A token's deterministic logprob: shorter words are likelier. */
function tokenLogprob(token: string): number {
  return -Math.round(100 * Math.log1p(token.trim().length)) / 100;
}

/**
 * The `logprobs` object of a choice whose text is `scored` (the echoed prompt, then the answer): one token per word
 * piece (leading space kept, like BPE tokens), each with its logprob and `n` most likely tokens — itself first.
 */
export function legacyLogprobs(scored: string, n: number, echoedPrompt: boolean): LegacyLogprobs {
  const tokens = scored.match(/\s*\S+/g) ?? [];
  const out: LegacyLogprobs = { tokens, token_logprobs: [], top_logprobs: [], text_offset: [] };
  let offset = 0;
  tokens.forEach((token, i) => {
    out.text_offset.push(offset);
    offset += token.length;
    if (i === 0 && echoedPrompt) {
      out.token_logprobs.push(null);
      out.top_logprobs.push(null);
      return;
    }
    const logprob = tokenLogprob(token);
    out.token_logprobs.push(logprob);
    const top: Record<string, number> = n > 0 ? { [token]: logprob } : {};
    for (let k = 1; k < n; k++) top[` alt${k}`] = logprob - k;
    out.top_logprobs.push(top);
  });
  return out;
}

/** A complete `text_completion` object. */
export function openaiTextCompletion(model: string, choices: LegacyChoice[], usage: LegacyUsage, id = mockId('cmpl-')): JsonObject {
  return {
    id,
    object: 'text_completion',
    created: unixSeconds(),
    model,
    system_fingerprint: 'fp_mock',
    choices: choices.map((choice, index) => ({ text: choice.text, index, logprobs: choice.logprobs ?? null, finish_reason: choice.finishReason })),
    usage,
  };
}

/** Prompts as texts: a string, strings, one token array, or token arrays (one choice per prompt). */
function promptTexts(prompt: unknown): string[] | undefined {
  // The API's documented default prompt.
  if (prompt === undefined) return ['<|endoftext|>'];
  if (typeof prompt === 'string') return [prompt];
  if (!Array.isArray(prompt) || prompt.length === 0) return undefined;
  if (prompt.every((item) => typeof item === 'number')) return [prompt.join(' ')];
  const texts: string[] = [];
  for (const item of prompt) {
    if (typeof item === 'string') texts.push(item);
    else if (Array.isArray(item)) texts.push(item.join(' '));
    else return undefined;
  }
  return texts;
}

export function openaiCompletionReply(body: JsonObject, model: string): MockReply {
  const prompts = promptTexts(body.prompt);
  if (prompts === undefined) {
    return { kind: 'json', status: 400, body: openaiError("Invalid type for 'prompt'.", 'invalid_request_error', 'invalid_type', 'prompt') };
  }
  const echo = body.echo === true;
  const logprobs = typeof body.logprobs === 'number' ? body.logprobs : undefined;
  let completionCount = 0;
  const choices: LegacyChoice[] = prompts.map((prompt) => {
    const { text: answer, truncated } = body.max_tokens === 0 ? { text: '', truncated: true } : truncateToTokens(echoAnswer(prompt), body.max_tokens);
    const text = echo ? prompt + answer : answer;
    // An echoed prompt is not generated: completion tokens are the answer's only.
    completionCount += countTokens(answer);
    return {
      text,
      finishReason: truncated ? 'length' : 'stop',
      ...(logprobs === undefined ? {} : { logprobs: legacyLogprobs(text, logprobs, echo) }),
    };
  });
  const promptCount = Math.max(
    1,
    prompts.reduce((sum, prompt) => sum + countTokens(prompt), 0),
  );
  const usage = { prompt_tokens: promptCount, completion_tokens: completionCount, total_tokens: promptCount + completionCount };
  if (body.stream !== true) return { kind: 'json', status: 200, body: openaiTextCompletion(model, choices, usage) };

  const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
  const id = mockId('cmpl-');
  const created = unixSeconds();
  const chunk = (chunkChoices: unknown[], chunkUsage?: LegacyUsage) =>
    sseFrame({
      id,
      object: 'text_completion',
      created,
      model,
      system_fingerprint: 'fp_mock',
      choices: chunkChoices,
      ...(includeUsage ? { usage: chunkUsage ?? null } : {}),
    });
  const frames: string[] = [];
  choices.forEach((choice, index) => {
    for (const piece of splitIntoPieces(choice.text)) frames.push(chunk([{ text: piece, index, logprobs: null, finish_reason: null }]));
  });
  choices.forEach((choice, index) => frames.push(chunk([{ text: '', index, logprobs: null, finish_reason: choice.finishReason }])));
  if (includeUsage) frames.push(chunk([], usage));
  frames.push('data: [DONE]\n\n');
  return { kind: 'stream', frames, contentStart: 0 };
}
