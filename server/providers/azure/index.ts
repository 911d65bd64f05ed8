/**
 * Azure OpenAI: OpenAI's bodies at deployment URLs, `api-version` in the query, and either an `api-key`
 * header or an Entra ID token (`azure_ad_token`) as Bearer.
 */
import type { CallContext, Deployment, ProviderAdapter, UpstreamRequest } from '../types.ts';
import { openaiBody } from '../openai/request.ts';

/** The GA version used when neither api_version nor AZURE_API_VERSION is set. */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

const PATHS = { chat: 'chat/completions', completions: 'completions', embeddings: 'embeddings' } as const;

function azureHeaders(d: Deployment): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const adToken = d.params.azure_ad_token;
  if (d.apiKey) headers['api-key'] = d.apiKey;
  else if (typeof adToken === 'string' && adToken) headers.authorization = `Bearer ${adToken}`;
  return Object.assign(headers, d.headers);
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

export const azureProvider: ProviderAdapter = {
  id: 'azure',
  endpoints: { chat: passThrough, completions: passThrough, embeddings: passThrough },
  healthProbe: (d) => {
    const headers = azureHeaders(d);
    delete headers['content-type'];
    const version = encodeURIComponent(d.apiVersion ?? AZURE_DEFAULT_API_VERSION);
    return { method: 'GET', url: `${d.apiBase}/openai/models?api-version=${version}`, headers };
  },
};
