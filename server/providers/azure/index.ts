/**
 * Azure OpenAI: OpenAI's bodies at deployment URLs, `api-version` in the query, and either an `api-key`
 * header or an Entra ID token (`azure_ad_token`) as Bearer.
 */
import { authHeaders } from '../auth.ts';
import { CONNECTION_SETTINGS, resolveConnection, type ConnectionRules } from '../connection.ts';
import type { ProviderDescriptor } from '../descriptor.ts';
import { OPENAI_REQUEST_PARAMS } from '../openai/params.ts';
import { openaiBody } from '../openai/request.ts';
import type { CallContext, Deployment, UpstreamRequest } from '../types.ts';
import { azureResponsesRequest } from './responses.ts';

/** The GA version used when neither api_version nor AZURE_API_VERSION is set. */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

const AZURE_AUTH = { kind: 'header', header: 'api-key', bearerTokenParam: 'azure_ad_token' } as const;

const PATHS = { chat: 'chat/completions', completions: 'completions', embeddings: 'embeddings' } as const;

function azureHeaders(d: Deployment): Record<string, string> {
  return Object.assign({ 'content-type': 'application/json' }, authHeaders(AZURE_AUTH, d), d.headers);
}

function deploymentUrl(d: Deployment, path: string): string {
  const version = encodeURIComponent(d.apiVersion ?? AZURE_DEFAULT_API_VERSION);
  return `${d.apiBase}/openai/deployments/${encodeURIComponent(d.upstreamModel)}/${path}?api-version=${version}`;
}

function azureRequest(ctx: CallContext): UpstreamRequest {
  const d = ctx.deployment;
  // The deployment in the URL picks the model; Azure ignores a `model` field, so none is sent.
  return { method: 'POST', url: deploymentUrl(d, PATHS[ctx.endpoint]), headers: azureHeaders(d), body: openaiBody(ctx, 'omit') };
}

/** Azure's api_base is the resource URL; people also paste it with a trailing `/openai`. */
export function normaliseAzureBase(apiBase: string): string {
  return apiBase.replace(/\/+$/, '').replace(/\/openai$/, '');
}

const passThrough = { buildRequest: azureRequest };

const defaults = {
  apiBaseEnv: ['AZURE_API_BASE', 'AZURE_OPENAI_ENDPOINT'],
  apiKeyEnv: ['AZURE_API_KEY', 'AZURE_OPENAI_API_KEY'],
  apiVersionEnv: ['AZURE_API_VERSION', 'OPENAI_API_VERSION'],
  apiVersion: AZURE_DEFAULT_API_VERSION,
};

const RESOURCE_EXAMPLE = 'https://my-resource.openai.azure.com';

const rules: ConnectionRules = {
  defaults,
  auth: AZURE_AUTH,
  missingBase: 'Azure needs api_base (https://<resource>.openai.azure.com) or AZURE_API_BASE.',
  normaliseBase: normaliseAzureBase,
};

export const azureProvider: ProviderDescriptor = {
  id: 'azure',
  label: 'Azure OpenAI',
  // LiteLLM's prefix for Azure's legacy completions models is the same API.
  prefixes: ['azure', 'azure_text'],
  defaults,
  resolveConnection: (params, env, path) => resolveConnection(rules, params, env, path),
  auth: AZURE_AUTH,
  settings: [...CONNECTION_SETTINGS, 'azure_ad_token'],
  requestParams: { accepted: OPENAI_REQUEST_PARAMS },
  serves: ['chat', 'completions', 'embeddings', 'responses'],
  responsesRequest: (d, body) => azureResponsesRequest(d, body, azureHeaders(d)),
  framing: 'sse',
  endpoints: { chat: passThrough, completions: passThrough, embeddings: passThrough },
  healthProbe: (d) => {
    const headers = azureHeaders(d);
    delete headers['content-type'];
    const version = encodeURIComponent(d.apiVersion ?? AZURE_DEFAULT_API_VERSION);
    return { method: 'GET', url: `${d.apiBase}/openai/models?api-version=${version}`, headers };
  },
  litellmProviders: ['azure', 'azure_text'],
  form: {
    modelPlaceholder: 'my-gpt-4o-deployment',
    apiBase: 'required',
    apiBaseExample: RESOURCE_EXAMPLE,
    apiKey: 'required',
    apiVersion: 'optional',
    extraPlaceholder: '{"temperature": 0.2}',
    fields: [
      {
        param: 'azure_ad_token',
        label: 'Entra ID token',
        need: 'optional',
        kind: 'secret',
        hint: 'Sent as a Bearer token instead of an API key (Microsoft Entra ID).',
      },
    ],
  },
};
