/**
 * What a descriptor's `requestParams.unsupported` means for a request: a neutral value is left out silently, any
 * other value is a 400 naming the parameter — unless the deployment drops parameters (drop_params), then it is
 * left out too.
 */
import { GatewayError } from '../core/errors.ts';
import type { RequestParams } from './descriptor.ts';
import type { Deployment } from './types.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * OpenAI chat parameters some providers cannot take, each with the test of its neutral value: clients (and SDK
 * wrappers) often send `n: 1`, `presence_penalty: 0` or `logprobs: false`, and refusing those would break them for
 * nothing. A parameter that has no neutral value tests false.
 */
const NEUTRAL_VALUE: Readonly<Record<string, (value: unknown) => boolean>> = {
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
};

export type OpenAIOnlyParam = keyof typeof NEUTRAL_VALUE;

/**
 * OpenAI-only fields that change nothing about a translated answer: consumed, never sent upstream (the providers
 * that translate OpenAI's request refuse unknown top-level fields).
 */
export const ANSWER_NEUTRAL_FIELDS: ReadonlySet<string> = new Set([
  'stream_options',
  'store',
  'service_tier',
  'metadata',
  'prompt_cache_key',
  'safety_identifier',
  'parallel_tool_calls',
  'user',
]);

/** A descriptor's `requestParams.unsupported`: the named OpenAI parameters, each with its neutral-value test. */
export function unsupportedParams(...names: readonly OpenAIOnlyParam[]): Readonly<Record<string, (value: unknown) => boolean>> {
  return Object.fromEntries(names.map((name) => [name, NEUTRAL_VALUE[name]!]));
}

export function unsupportedParamError(providerLabel: string, param: string, deployment: Deployment): GatewayError {
  return new GatewayError(
    400,
    `${providerLabel} does not support the parameter \`${param}\` (model ${deployment.upstreamModel}). ` +
      'Remove it, or set `drop_params: true` (in litellm_params or litellm_settings) to drop unsupported parameters.',
    { type: 'invalid_request_error', param, code: 'unsupported_parameter' },
  );
}

/**
 * True when `key` is one of the provider's unsupported parameters and must be left out (neutral value, null, or
 * drop_params); throws the 400 when its value cannot be left out. False for every other parameter.
 */
export function leaveOutUnsupported(params: RequestParams, providerLabel: string, key: string, value: unknown, deployment: Deployment): boolean {
  // hasOwn: a request field named `constructor` or `toString` is not an inherited neutral-value test.
  const isNeutral = params.unsupported && Object.hasOwn(params.unsupported, key) ? params.unsupported[key] : undefined;
  if (!isNeutral) return false;
  if (value === null || isNeutral(value) || deployment.dropParams) return true;
  throw unsupportedParamError(providerLabel, key, deployment);
}
