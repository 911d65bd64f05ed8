/**
 * Which OpenAI chat parameters Anthropic takes, which it cannot take, and what to do with the rest of the body.
 */
import type { RequestParams } from '../descriptor.ts';
import { ANSWER_NEUTRAL_FIELDS, leaveOutUnsupported, unsupportedParamError as paramError, unsupportedParams } from '../request-params.ts';
import type { Deployment } from '../types.ts';
import { PROVIDER_NAME } from './wire.ts';

/** OpenAI parameters with no Anthropic equivalent (a neutral value is left out; request-params.ts). */
const UNSUPPORTED = unsupportedParams(
  'n',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'seed',
  'response_format',
  'functions',
  'function_call',
  'audio',
  'modalities',
  'prediction',
  'web_search_options',
  'verbosity',
);

/** Request fields that carry the call itself rather than a setting. */
const CONTENT = ['model', 'messages', 'stream'] as const;

/**
 * OpenAI settings request.ts translates into Anthropic's (parallel_tool_calls: false → disable_parallel_tool_use,
 * reasoning_effort → thinking with a budget).
 */
const TRANSLATED_SETTINGS = [
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'temperature',
  'top_p',
  'top_k',
  'user',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'reasoning_effort',
] as const;

/** Anthropic's own request fields, passed through as they are. */
const NATIVE_PARAMS = ['thinking', 'container', 'mcp_servers', 'context_management'] as const;

/** Fields request.ts translates itself. */
export const TRANSLATED = new Set<string>([...CONTENT, ...TRANSLATED_SETTINGS.filter((name) => name !== 'parallel_tool_calls')]);

export const ANTHROPIC_REQUEST_PARAMS: RequestParams = {
  accepted: [...TRANSLATED_SETTINGS, ...NATIVE_PARAMS],
  unsupported: UNSUPPORTED,
};

export function unsupportedParamError(param: string, deployment: Deployment) {
  return paramError(PROVIDER_NAME, param, deployment);
}

/**
 * Checks the body for parameters Anthropic cannot take (400 unless drop_params) and returns the
 * untranslated rest: provider-native extras (thinking, top_k defaults, container, …) that pass through as is.
 */
export function passThroughParams(body: Record<string, unknown>, deployment: Deployment): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (TRANSLATED.has(key) || ANSWER_NEUTRAL_FIELDS.has(key) || value === undefined) continue;
    if (leaveOutUnsupported(ANTHROPIC_REQUEST_PARAMS, PROVIDER_NAME, key, value, deployment)) continue;
    extras[key] = value;
  }
  return extras;
}
