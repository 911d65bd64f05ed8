/**
 * Token counts for requests whose provider sent no usage (spend rows are then marked `estimated`) and
 * for budget reservations. One real BPE tokenizer, gpt-tokenizer's o200k_base (GPT-4o / 4.1 / 5, o-series),
 * is used for every model: exact for current OpenAI models, a close estimate for the rest.
 *
 * The encoding is loaded lazily, once, synchronously (through require, so counting stays synchronous):
 * its rank table is large. Measured on the 2-core development machine (Node 20.20): 108–113 ms under plain
 * node, 143–181 ms from the TypeScript sources under tsx; the first count after that takes ~3 ms, later ones microseconds.
 * `tokenizerLoadMs()` reports the figure at run time. A gateway that never needs an estimate never pays it;
 * one that does can call `warmTokenizer()` after it starts listening so no request waits for it.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { SpendEndpoint } from '../core/admin-api.ts';
import type { Usage } from '../providers/types.ts';

type O200k = typeof import('gpt-tokenizer/encoding/o200k_base');

let encoding: O200k | undefined;
let loadMs: number | undefined;

function tokenizer(): O200k {
  if (!encoding) {
    const started = performance.now();
    encoding = createRequire(import.meta.url)('gpt-tokenizer/encoding/o200k_base') as O200k;
    loadMs = performance.now() - started;
  }
  return encoding;
}

/** Loads the encoding now (if not yet loaded) and returns how long loading took, in ms. */
export function warmTokenizer(): number {
  tokenizer();
  return loadMs ?? 0;
}

/** How long loading the encoding took (ms), or undefined if it is not loaded yet. */
export function tokenizerLoadMs(): number | undefined {
  return loadMs;
}

/**
 * User text may contain strings like `<|endoftext|>`; count them as the text they are (as OpenAI does for
 * request content) instead of rejecting them, which is gpt-tokenizer's default.
 */
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

export function countTextTokens(text: string): number {
  return text === '' ? 0 : tokenizer().countTokens(text, AS_PLAIN_TEXT);
}

/**
 * OpenAI's documented chat overhead (the tiktoken cookbook, for gpt-4o and later): every message costs 3
 * tokens besides its role and content, a `name` costs 1 more, and every reply is primed with 3.
 */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMING_TOKENS = 3;

/**
 * Images are counted flat, since their size is unknown without fetching them: 85 tokens at
 * `detail: "low"`, else 765 — what OpenAI charges for a 1024×1024 image at high detail (85 + 4 tiles × 170).
 */
export const IMAGE_TOKENS_LOW_DETAIL = 85;
export const IMAGE_TOKENS = 765;

/** Prompt tokens of OpenAI chat `messages`: text parts, names, tool calls, images (flat); audio and files count 0. */
export function countChatPromptTokens(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  let tokens = REPLY_PRIMING_TOKENS;
  for (const message of messages) {
    if (!isRecord(message)) continue;
    tokens += TOKENS_PER_MESSAGE + textTokens(message.role) + contentTokens(message.content);
    if (typeof message.name === 'string') tokens += countTextTokens(message.name) + TOKENS_PER_NAME;
    if (Array.isArray(message.tool_calls)) {
      for (const call of message.tool_calls) {
        const fn = isRecord(call) && isRecord(call.function) ? call.function : {};
        tokens += textTokens(fn.name) + textTokens(fn.arguments);
      }
    }
    if (isRecord(message.function_call)) tokens += textTokens(message.function_call.name) + textTokens(message.function_call.arguments);
  }
  return tokens;
}

/** Prompt tokens of a request body, by endpoint. Tool definitions are counted as their JSON text (an estimate). */
export function countPromptTokens(endpoint: SpendEndpoint, body: Record<string, unknown>): number {
  switch (endpoint) {
    case 'chat':
      return countChatPromptTokens(body.messages) + jsonTokens(body.tools) + jsonTokens(body.functions);
    case 'completions':
      return inputTokens(body.prompt);
    case 'embeddings':
      return inputTokens(body.input);
    case 'messages':
      return countAnthropicPromptTokens(body);
    case 'responses':
      return countResponsesPromptTokens(body);
    case 'rerank':
      return rerankPromptTokens(body);
  }
}

/**
 * A Responses API request's prompt: `instructions`, then `input` (a string or items: messages whose content
 * is a string or parts, function calls and their outputs, reasoning summaries), and the tools as JSON text.
 * Items a `previous_response_id` brings in are not in the body; the provider's own usage covers them.
 */
function countResponsesPromptTokens(body: Record<string, unknown>): number {
  let tokens = textTokens(body.instructions) + jsonTokens(body.tools);
  const input = body.input;
  if (typeof input === 'string') return tokens + countTextTokens(input);
  if (!Array.isArray(input)) return tokens;
  for (const item of input) {
    if (!isRecord(item)) continue;
    if (item.type === 'function_call') tokens += textTokens(item.name) + textTokens(item.arguments);
    else if (item.type === 'function_call_output') tokens += typeof item.output === 'string' ? countTextTokens(item.output) : jsonTokens(item.output);
    else if (item.type === 'reasoning') tokens += contentTokens(item.summary);
    else tokens += contentTokens(item.content);
  }
  return tokens;
}

/** A rerank request's text: the query and every document (a string, or `{text}`). */
function rerankPromptTokens(body: Record<string, unknown>): number {
  const documents = Array.isArray(body.documents) ? body.documents : [];
  return textTokens(body.query) + documents.reduce((n: number, doc: unknown) => n + (isRecord(doc) ? textTokens(doc.text) : textTokens(doc)), 0);
}

/** Usage for a request the provider did not meter: the prompt from the body, the completion from the text the client received. */
export function estimateUsage(endpoint: SpendEndpoint, body: Record<string, unknown>, completionText: string): Usage {
  const promptTokens = countPromptTokens(endpoint, body);
  const completionTokens = endpoint === 'embeddings' ? 0 : countTextTokens(completionText);
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

/** OpenAI message content: a string, or parts (`text`, `image_url`, …). */
function contentTokens(content: unknown): number {
  if (typeof content === 'string') return countTextTokens(content);
  if (!Array.isArray(content)) return 0;
  let tokens = 0;
  for (const part of content) {
    if (typeof part === 'string') tokens += countTextTokens(part);
    else if (!isRecord(part)) continue;
    else if (typeof part.text === 'string') tokens += countTextTokens(part.text);
    else if (part.type === 'image_url' || part.type === 'image' || part.type === 'input_image') tokens += imageTokens(part);
  }
  return tokens;
}

function imageTokens(part: Record<string, unknown>): number {
  const detail = isRecord(part.image_url) ? part.image_url.detail : undefined;
  return detail === 'low' ? IMAGE_TOKENS_LOW_DETAIL : IMAGE_TOKENS;
}

/** Completions `prompt` / embeddings `input`: a string, strings, or already-tokenized arrays. */
function inputTokens(input: unknown): number {
  if (typeof input === 'string') return countTextTokens(input);
  if (!Array.isArray(input)) return 0;
  if (input.every((item) => typeof item === 'number')) return input.length;
  let tokens = 0;
  for (const item of input) {
    if (typeof item === 'string') tokens += countTextTokens(item);
    else if (Array.isArray(item)) tokens += item.length;
  }
  return tokens;
}

/** Anthropic Messages bodies: `system` plus messages whose content is a string or blocks. */
function countAnthropicPromptTokens(body: Record<string, unknown>): number {
  let tokens = blocksTokens(body.system) + jsonTokens(body.tools);
  if (Array.isArray(body.messages)) {
    for (const message of body.messages) {
      if (isRecord(message)) tokens += TOKENS_PER_MESSAGE + textTokens(message.role) + blocksTokens(message.content);
    }
  }
  return tokens;
}

function blocksTokens(content: unknown): number {
  if (typeof content === 'string') return countTextTokens(content);
  if (!Array.isArray(content)) return 0;
  let tokens = 0;
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (typeof block.text === 'string') tokens += countTextTokens(block.text);
    else if (block.type === 'image') tokens += IMAGE_TOKENS;
    else if (block.type === 'tool_use') tokens += textTokens(block.name) + jsonTokens(block.input);
    else if (block.type === 'tool_result') tokens += blocksTokens(block.content);
  }
  return tokens;
}

const textTokens = (value: unknown): number => (typeof value === 'string' ? countTextTokens(value) : 0);
const jsonTokens = (value: unknown): number => (value === undefined || value === null ? 0 : countTextTokens(JSON.stringify(value)));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
