/**
 * Where a Vertex deployment lives and how it authenticates, with LiteLLM's names: `vertex_project`,
 * `vertex_location` (or VERTEXAI_PROJECT / VERTEXAI_LOCATION, the key file's project_id, location us-central1),
 * `vertex_credentials` (or VERTEXAI_CREDENTIALS, then Application Default Credentials), `api_base` — in LiteLLM's
 * meaning the model resource URL that `:generateContent` / `:rawPredict` is appended to — and `api_key`, an access
 * token used as it is (`gcloud auth print-access-token`).
 *
 * The resolved credentials text travels as the deployment's `apiKey` (a secret the gateway masks everywhere), so
 * requests need nothing but the deployment; authorizeVertexRequest trades it for an access token through the shared cache.
 */
import { GatewayError } from '../../core/errors.ts';
import type { LitellmParams } from '../../core/config-types.ts';
import { firstEnv } from '../connection.ts';
import { DeploymentError } from '../deployment-error.ts';
import type { Connection, Env } from '../descriptor.ts';
import type { Deployment, UpstreamRequest } from '../types.ts';
import { CredentialsError, applicationDefaultCredentials, credentialsText, parseCredentials, type GoogleCredentials } from './credentials.ts';
import { CLOUD_PLATFORM_SCOPE, googleTokens } from './oauth-token.ts';

export const DEFAULT_LOCATION = 'us-central1';
export const VERTEX_SCOPES = [CLOUD_PLATFORM_SCOPE] as const;
export const VERTEX_AUTH = { kind: 'service-account-token', credentialsParam: 'vertex_credentials', scopes: VERTEX_SCOPES } as const;

const PROJECT_ENV = ['VERTEXAI_PROJECT', 'VERTEX_PROJECT', 'GOOGLE_CLOUD_PROJECT'];
const LOCATION_ENV = ['VERTEXAI_LOCATION', 'VERTEX_LOCATION'];
const CREDENTIALS_ENV = ['VERTEXAI_CREDENTIALS'];

const given = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** `https://{location}-aiplatform.googleapis.com` (the global endpoint has no region in its host). */
export function vertexHost(location: string): string {
  return location === 'global' ? 'https://aiplatform.googleapis.com' : `https://${location}-aiplatform.googleapis.com`;
}

export function resolveVertexConnection(p: LitellmParams, env: Env, path: string): Connection {
  let text: string | undefined;
  let creds: GoogleCredentials | undefined;
  try {
    const source = p.vertex_credentials ?? firstEnv(env, CREDENTIALS_ENV);
    text = source !== undefined && source !== null && source !== '' ? credentialsText(source) : applicationDefaultCredentials(env);
    if (text !== undefined) creds = parseCredentials(text);
  } catch (err) {
    if (err instanceof CredentialsError) throw new DeploymentError(`${path}.vertex_credentials`, err.message);
    throw err;
  }
  const apiKey = given(p.api_key) ?? text;
  const base = given(p.api_base) ?? given(p.base_url);
  if (base) return { apiBase: base.replace(/\/+$/, ''), apiKey };
  const location = given(p.vertex_location) ?? firstEnv(env, LOCATION_ENV) ?? DEFAULT_LOCATION;
  const project = given(p.vertex_project) ?? firstEnv(env, PROJECT_ENV) ?? creds?.projectId;
  if (!project) {
    throw new DeploymentError(
      `${path}.vertex_project`,
      'Vertex AI needs the Google Cloud project: set vertex_project (or VERTEXAI_PROJECT), or give credentials whose key file names one.',
    );
  }
  return { apiBase: `${vertexHost(location)}/v1/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(location)}`, apiKey };
}

/** Whether litellm_params gave the URL (then it is used as given, not built from project and location). */
export function apiBaseGiven(d: Deployment): boolean {
  return (given(d.params.api_base) ?? given(d.params.base_url)) !== undefined;
}

/** The model resource URL: api_base as given, else the location's publisher model. */
export function modelUrl(d: Deployment, publisher: 'google' | 'anthropic' | 'mistralai', model = d.upstreamModel): string {
  if (apiBaseGiven(d)) return d.apiBase;
  return `${d.apiBase}/publishers/${publisher}/models/${model}`;
}

const parsedCredentials = new Map<string, GoogleCredentials>();

/** `Authorization: Bearer …` for a call: the api_key token as it is, or a cached token of the credentials. */
export async function vertexAuthorization(d: Deployment): Promise<string> {
  const key = d.apiKey;
  if (!key) {
    throw new GatewayError(
      401,
      'Vertex AI: no credentials. Set vertex_credentials (a service-account key file or its JSON) or GOOGLE_APPLICATION_CREDENTIALS.',
      {
        code: 'invalid_credentials',
      },
    );
  }
  if (!key.trimStart().startsWith('{')) return `Bearer ${key}`;
  let creds = parsedCredentials.get(key);
  if (!creds) {
    creds = parseCredentials(key);
    parsedCredentials.set(key, creds);
  }
  return `Bearer ${await googleTokens.token(creds, VERTEX_SCOPES)}`;
}

/** JSON headers, then the deployment's own headers (lower-cased, so they replace ours). The token comes in authorizeVertexRequest. */
export function vertexHeaders(d: Deployment, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...extra };
  for (const [name, value] of Object.entries(d.headers ?? {})) headers[name.toLowerCase()] = value;
  return headers;
}

/**
 * The built request with its access token: the last step before a request leaves (requests are built synchronously;
 * the token may need an exchange). A configured `authorization` header is kept: the user chose that credential.
 */
export async function authorizeVertexRequest(req: UpstreamRequest, d: Deployment): Promise<UpstreamRequest> {
  if (req.headers.authorization !== undefined) return req;
  return { ...req, headers: { ...req.headers, authorization: await vertexAuthorization(d) } };
}
