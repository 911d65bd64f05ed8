/**
 * Which OpenAI chat parameters Gemini takes (translated by request.ts into generationConfig, tools and toolConfig),
 * which it cannot take, and which of Gemini's own request fields a client or litellm_params may pass as they are.
 */
import type { RequestParams } from '../../descriptor.ts';
import { ANSWER_NEUTRAL_FIELDS, leaveOutUnsupported, unsupportedParams } from '../../request-params.ts';
import type { Deployment } from '../../types.ts';

/** OpenAI parameters with no Gemini counterpart, each with the test of its neutral value. */
const UNSUPPORTED = unsupportedParams(
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'functions',
  'function_call',
  'audio',
  'modalities',
  'prediction',
  'web_search_options',
  'verbosity',
);

/** OpenAI settings request.ts translates into Gemini's. */
const TRANSLATED_SETTINGS = [
  'temperature',
  'top_p',
  'top_k',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'n',
  'presence_penalty',
  'frequency_penalty',
  'seed',
  'response_format',
  'tools',
  'tool_choice',
  'reasoning_effort',
  'parallel_tool_calls',
] as const;

/**
 * Gemini's own request fields, passed through (the snake_case spellings LiteLLM accepts are renamed by
 * request.ts); `thinking` is Anthropic's shape, which LiteLLM also takes for Gemini.
 */
export const NATIVE_FIELDS: Readonly<Record<string, string>> = {
  safety_settings: 'safetySettings',
  safetySettings: 'safetySettings',
  cached_content: 'cachedContent',
  cachedContent: 'cachedContent',
  generationConfig: 'generationConfig',
  generation_config: 'generationConfig',
  toolConfig: 'toolConfig',
  labels: 'labels',
};

const CONTENT = ['model', 'messages', 'stream'] as const;

/** Fields request.ts reads itself; the rest is checked against UNSUPPORTED and passed through. */
export const TRANSLATED = new Set<string>([...CONTENT, ...TRANSLATED_SETTINGS, 'thinking', ...Object.keys(NATIVE_FIELDS)]);

export const GEMINI_REQUEST_PARAMS: RequestParams = {
  accepted: [...TRANSLATED_SETTINGS, 'thinking', ...Object.keys(NATIVE_FIELDS)],
  unsupported: UNSUPPORTED,
};

/**
 * Checks the body for parameters Gemini cannot take (400 unless drop_params) and returns the untranslated rest:
 * fields a client sent on purpose, passed through as they are.
 */
export function passThroughParams(body: Record<string, unknown>, deployment: Deployment, label: string): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (TRANSLATED.has(key) || ANSWER_NEUTRAL_FIELDS.has(key) || value === undefined) continue;
    if (leaveOutUnsupported(GEMINI_REQUEST_PARAMS, label, key, value, deployment)) continue;
    extras[key] = value;
  }
  return extras;
}
