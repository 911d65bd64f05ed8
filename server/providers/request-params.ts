/**
 * What a descriptor's `requestParams.unsupported` means for a request: a neutral value is left out silently, any
 * other value is a 400 naming the parameter — unless the deployment drops parameters (drop_params), then it is
 * left out too.
 */
import { GatewayError } from '../core/errors.ts';
import type { RequestParams } from './descriptor.ts';
import type { Deployment } from './types.ts';

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
