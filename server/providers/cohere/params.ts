/**
 * Which OpenAI chat parameters Cohere's v2 Chat takes (and under which names), which it cannot take, and its own
 * parameters that pass through as they are (https://docs.cohere.com/reference/chat).
 */
import type { RequestParams } from '../descriptor.ts';
import { unsupportedParams } from '../request-params.ts';

/** OpenAI name → Cohere name, for settings that only change name. */
export const RENAMED: Readonly<Record<string, string>> = {
  temperature: 'temperature',
  top_p: 'p',
  top_k: 'k',
  seed: 'seed',
  frequency_penalty: 'frequency_penalty',
  presence_penalty: 'presence_penalty',
  logprobs: 'logprobs',
};

/** OpenAI settings request.ts translates (besides the renamed ones). */
const TRANSLATED_SETTINGS = ['max_tokens', 'max_completion_tokens', 'stop', 'tools', 'tool_choice', 'response_format'] as const;

/** Cohere's own chat fields, passed through as they are. */
export const NATIVE_PARAMS = ['documents', 'citation_options', 'safety_mode', 'strict_tools', 'priority', 'thinking'] as const;

/** OpenAI parameters with no Cohere equivalent, each with the test of its neutral value. */
const UNSUPPORTED = unsupportedParams(
  'n',
  'logit_bias',
  'top_logprobs',
  'functions',
  'function_call',
  'audio',
  'modalities',
  'prediction',
  'web_search_options',
  'reasoning_effort',
  'verbosity',
);

export const COHERE_REQUEST_PARAMS: RequestParams = {
  accepted: [...Object.keys(RENAMED), ...TRANSLATED_SETTINGS, ...NATIVE_PARAMS, 'input_type', 'embedding_types', 'truncate'],
  unsupported: UNSUPPORTED,
};

/** Fields request.ts reads itself: the call's content and every translated setting. */
export const TRANSLATED = new Set<string>(['model', 'messages', 'stream', ...Object.keys(RENAMED), ...TRANSLATED_SETTINGS]);
