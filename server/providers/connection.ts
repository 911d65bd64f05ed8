/**
 * The one way a descriptor resolves base URL, key and version: litellm_params first (`api_base`, or OpenAI's
 * `base_url`), then the provider's environment variables in order (empty ones do not count), then its defaults.
 */
import type { LitellmParams } from '../core/config-types.ts';
import { DeploymentError } from './deployment-error.ts';
import type { Connection, ConnectionDefaults, Env, ProviderAuth } from './descriptor.ts';

/** litellm_params every HTTP provider reads to find and authenticate its upstream. */
export const CONNECTION_SETTINGS = ['api_base', 'base_url', 'api_key', 'api_version'] as const;

export interface ConnectionRules {
  defaults: ConnectionDefaults;
  auth: ProviderAuth;
  /** Why a deployment without any base URL cannot be called, and how to give one. */
  missingBase: string;
  /** The base URL as the provider's adapters expect it (trailing slash already removed). */
  normaliseBase?: (base: string) => string;
}

export const firstEnv = (env: Env, names: readonly string[]): string | undefined =>
  names.map((name) => env[name]).find((value) => value !== undefined && value !== '');

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** Self-hosted servers are often given as http://host:port; their OpenAI API lives under /v1. */
export const appendV1 = (base: string): string => (/\/v\d+$/.test(base) ? base : `${base}/v1`);

export function resolveConnection(rules: ConnectionRules, p: LitellmParams, env: Env, path: string): Connection {
  const { defaults, auth } = rules;
  const given = typeof p.api_base === 'string' && p.api_base ? p.api_base : typeof p.base_url === 'string' ? p.base_url : undefined;
  const base = given ?? firstEnv(env, defaults.apiBaseEnv) ?? defaults.apiBase;
  if (!base) throw new DeploymentError(`${path}.api_base`, rules.missingBase);
  const trimmed = trimSlash(base);
  // A token given in litellm_params (Azure's azure_ad_token) is the credential: no key is taken from the environment then.
  const tokenGiven = auth.kind === 'header' && auth.bearerTokenParam !== undefined && Boolean(p[auth.bearerTokenParam]);
  return {
    apiBase: rules.normaliseBase ? rules.normaliseBase(trimmed) : trimmed,
    apiKey: p.api_key ?? (tokenGiven ? undefined : firstEnv(env, defaults.apiKeyEnv)),
    apiVersion: p.api_version ?? firstEnv(env, defaults.apiVersionEnv) ?? defaults.apiVersion,
  };
}
