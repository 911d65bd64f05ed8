/**
 * Google AI Studio (the Gemini API): OpenAI chat in, generateContent / streamGenerateContent?alt=sse upstream,
 * embeddings through batchEmbedContents. The wire transforms live in transform/ (Vertex AI reuses them); this
 * file adds AI Studio's URLs and key. `palm/` models are served here too: PaLM is retired and its API gone, so
 * LiteLLM's `palm/` names reach the Gemini API (deployments.ts warns at load through the descriptor's warning).
 */
import { resolveConnection, type ConnectionRules } from '../connection.ts';
import type { ProviderDescriptor } from '../descriptor.ts';
import type { CallContext, Deployment, UpstreamRequest } from '../types.ts';
import {
  GEMINI_REQUEST_PARAMS,
  createGeminiStreamTranslator,
  mapGoogleError,
  toBatchEmbedBody,
  toGenerateContentBody,
  translateBatchEmbed,
  translateGenerateContent,
} from './transform/index.ts';
import { DEFAULT_API_BASE, GEMINI_AUTH, geminiHeaders, modelResource, modelUrl, normaliseApiBase } from './urls.ts';

const LABEL = 'Gemini';

function buildGenerateContentRequest(ctx: CallContext): UpstreamRequest {
  const { deployment } = ctx;
  return {
    url: ctx.stream ? `${modelUrl(deployment, 'streamGenerateContent')}?alt=sse` : modelUrl(deployment, 'generateContent'),
    method: 'POST',
    headers: geminiHeaders(deployment),
    body: JSON.stringify(toGenerateContentBody(ctx, LABEL)),
  };
}

function buildEmbedRequest(ctx: CallContext): UpstreamRequest {
  const { deployment } = ctx;
  return {
    url: modelUrl(deployment, 'batchEmbedContents'),
    method: 'POST',
    headers: geminiHeaders(deployment),
    body: JSON.stringify(toBatchEmbedBody(ctx, modelResource(deployment))),
  };
}

/** Reading the model's description costs nothing and proves the key, the base URL and the model name. */
function geminiModelProbe(deployment: Deployment): UpstreamRequest {
  return { url: modelUrl(deployment), method: 'GET', headers: geminiHeaders(deployment) };
}

const defaults = {
  apiBase: DEFAULT_API_BASE,
  apiBaseEnv: ['GEMINI_API_BASE'],
  apiKeyEnv: ['GEMINI_API_KEY', 'PALM_API_KEY'],
  apiVersionEnv: [],
};

const rules: ConnectionRules = {
  defaults,
  auth: GEMINI_AUTH,
  missingBase: 'Gemini needs api_base or GEMINI_API_BASE.',
  normaliseBase: normaliseApiBase,
};

export const geminiProvider: ProviderDescriptor = {
  id: 'gemini',
  label: 'Google AI Studio (Gemini)',
  prefixes: ['gemini', 'palm'],
  retiredPrefixes: {
    palm: 'PaLM is retired: `palm/` models are sent to the Gemini API under the same name. Use a gemini/ model (e.g. gemini/gemini-2.5-flash).',
  },
  defaults,
  resolveConnection: (params, env, path) => resolveConnection(rules, params, env, path),
  auth: GEMINI_AUTH,
  settings: ['api_base', 'base_url', 'api_key'],
  requestParams: GEMINI_REQUEST_PARAMS,
  serves: ['chat', 'completions', 'embeddings'],
  framing: 'sse',
  endpoints: {
    chat: {
      buildRequest: buildGenerateContentRequest,
      translateResponse: (upstream, ctx) => translateGenerateContent(upstream, ctx, LABEL),
      createStreamTranslator: (ctx) => createGeminiStreamTranslator(ctx, LABEL),
    },
    embeddings: {
      buildRequest: buildEmbedRequest,
      translateResponse: (upstream, ctx) => translateBatchEmbed(upstream, ctx, LABEL),
    },
  },
  mapError: (status, bodyText, headers) => mapGoogleError(LABEL, status, bodyText, headers),
  healthProbe: geminiModelProbe,
  litellmProviders: ['gemini', 'palm'],
  form: {
    modelPlaceholder: 'gemini-2.5-flash',
    apiBase: 'optional',
    apiKey: 'required',
    apiVersion: 'hidden',
    extraPlaceholder: '{"temperature": 0.2, "reasoning_effort": "low"}',
  },
};
