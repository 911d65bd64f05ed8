/**
 * Which OpenAI chat parameters Anthropic cannot take, and what to do with the rest of the body.
 */
import { GatewayError } from '../../core/errors.ts';
import type { Deployment } from '../types.ts';
import { PROVIDER_NAME, isRecord } from './wire.ts';

/**
 * OpenAI parameters with no Anthropic equivalent. Each predicate says whether the value is the neutral
 * default: clients (and SDK wrappers) often send `n: 1`, `presence_penalty: 0` or `logprobs: false`, and
 * refusing those would break them for nothing.
 */
const UNSUPPORTED = new Map<string, (value: unknown) => boolean>(Object.entries({
  n: (v) => v === 1,
  presence_penalty: (v) => v === 0,
  frequency_penalty: (v) => v === 0,
  logit_bias: (v) => isRecord(v) && Object.keys(v).length === 0,
  logprobs: (v) => v === false,
  top_logprobs: (v) => v === 0,
  seed: () => false,
  response_format: (v) => isRecord(v) && v.type === 'text',
  functions: (v) => Array.isArray(v) && v.length === 0,
  function_call: () => false,
  audio: () => false,
  modalities: (v) => Array.isArray(v) && v.every((m) => m === 'text'),
  prediction: () => false,
  web_search_options: () => false,
  reasoning_effort: () => false,
  verbosity: () => false,
} satisfies Record<string, (value: unknown) => boolean>));

/**
 * OpenAI-only fields that change nothing about the answer's content: consumed, never sent upstream
 * (Anthropic rejects unknown top-level fields).
 */
const IGNORED = new Set([
  'stream_options',
  'store',
  'service_tier',
  'metadata',
  'prompt_cache_key',
  'safety_identifier',
  'parallel_tool_calls',
]);

/** Fields request.ts translates itself. */
export const TRANSLATED = new Set([
  'model',
  'messages',
  'stream',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'temperature',
  'top_p',
  'top_k',
  'user',
  'tools',
  'tool_choice',
]);

export function unsupportedParamError(param: string, deployment: Deployment): GatewayError {
  return new GatewayError(
    400,
    `${PROVIDER_NAME} does not support the parameter \`${param}\` (model ${deployment.upstreamModel}). ` +
      'Remove it, or set `drop_params: true` (in litellm_params or litellm_settings) to drop unsupported parameters.',
    { type: 'invalid_request_error', param, code: 'unsupported_parameter' },
  );
}

/**
 * Checks the body for parameters Anthropic cannot take (400 unless drop_params) and returns the
 * untranslated rest: provider-native extras (thinking, top_k defaults, container, …) that pass through as is.
 */
export function passThroughParams(body: Record<string, unknown>, deployment: Deployment): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (TRANSLATED.has(key) || IGNORED.has(key) || value === undefined) continue;
    const isNeutral = UNSUPPORTED.get(key);
    if (isNeutral) {
      if (value === null || isNeutral(value) || deployment.dropParams) continue;
      throw unsupportedParamError(key, deployment);
    }
    extras[key] = value;
  }
  return extras;
}
