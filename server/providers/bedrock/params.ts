/**
 * Which OpenAI chat parameters Bedrock Converse takes (inferenceConfig, toolConfig), which it cannot take, and
 * where the rest goes: Converse refuses unknown top-level fields, so a provider-native extra the gateway does not
 * translate (top_k, thinking, Nova's inferenceConfig…) goes into `additionalModelRequestFields`, as LiteLLM does.
 */
import type { RequestParams } from '../descriptor.ts';
import { ANSWER_NEUTRAL_FIELDS, leaveOutUnsupported, unsupportedParams } from '../request-params.ts';
import type { Deployment } from '../types.ts';

export const PROVIDER_LABEL = 'AWS Bedrock';

const UNSUPPORTED = unsupportedParams(
  'n',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'seed',
  'functions',
  'function_call',
  'audio',
  'modalities',
  'prediction',
  'web_search_options',
);

/** OpenAI settings request.ts translates into Converse's fields. */
const TRANSLATED_SETTINGS = [
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'temperature',
  'top_p',
  'tools',
  'tool_choice',
  'reasoning_effort',
  'response_format',
] as const;

/** Converse's own top-level fields, passed through as they are. */
export const NATIVE_FIELDS = [
  'additionalModelRequestFields',
  'additionalModelResponseFieldPaths',
  'guardrailConfig',
  'outputConfig',
  'performanceConfig',
  'promptVariables',
  'requestMetadata',
] as const;

/** Model-specific parameters LiteLLM users set in litellm_params; they go into additionalModelRequestFields. */
const MODEL_FIELDS = ['top_k', 'thinking'] as const;

const TRANSLATED = new Set<string>(['model', 'messages', 'stream', ...TRANSLATED_SETTINGS, ...NATIVE_FIELDS]);

export const BEDROCK_REQUEST_PARAMS: RequestParams = {
  accepted: [...TRANSLATED_SETTINGS, ...NATIVE_FIELDS, ...MODEL_FIELDS],
  unsupported: UNSUPPORTED,
};

/** The untranslated rest of the body (400 for what Bedrock cannot take, unless drop_params). */
export function modelSpecificFields(body: Record<string, unknown>, deployment: Deployment): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (TRANSLATED.has(key) || ANSWER_NEUTRAL_FIELDS.has(key) || value === undefined) continue;
    if (leaveOutUnsupported(BEDROCK_REQUEST_PARAMS, PROVIDER_LABEL, key, value, deployment)) continue;
    extras[key] = value;
  }
  return extras;
}
