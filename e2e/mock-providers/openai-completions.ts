/**
 * OpenAI legacy Completions (POST /v1/completions): the `text_completion` object, streamed as
 * `text_completion` chunks with the same optional usage chunk as chat.
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
}

/** A complete `text_completion` object. */
export function openaiTextCompletion(model: string, choices: LegacyChoice[], usage: LegacyUsage, id = mockId('cmpl-')): JsonObject {
  return {
    id,
    object: 'text_completion',
    created: unixSeconds(),
    model,
    system_fingerprint: 'fp_mock',
    choices: choices.map((choice, index) => ({ text: choice.text, index, logprobs: null, finish_reason: choice.finishReason })),
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
  const choices: LegacyChoice[] = prompts.map((prompt) => {
    const { text, truncated } = truncateToTokens(echoAnswer(prompt), body.max_tokens);
    return { text, finishReason: truncated ? 'length' : 'stop' };
  });
  const promptCount = Math.max(
    1,
    prompts.reduce((sum, prompt) => sum + countTokens(prompt), 0),
  );
  const completionCount = choices.reduce((sum, choice) => sum + countTokens(choice.text), 0);
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
