/**
 * Cohere: OpenAI chat completions in, Cohere v2 Chat upstream (typed SSE events when streamed); embeddings through
 * Embed v2; rerank natively through Rerank v2 (`rerankRequest`, read by the rerank surface). `cohere_chat/` is
 * LiteLLM's other prefix for the same chat models. Legacy completions are served through chat.
 */
import { CONNECTION_SETTINGS, resolveConnection, type ConnectionRules } from '../connection.ts';
import type { ProviderDescriptor } from '../descriptor.ts';
import type { Deployment, UpstreamRequest } from '../types.ts';
import { buildCohereEmbedRequest, translateCohereEmbed } from './embed.ts';
import { mapCohereError } from './errors.ts';
import { COHERE_REQUEST_PARAMS } from './params.ts';
import { cohereRerankRequest } from './rerank.ts';
import { COHERE_AUTH, buildCohereChatRequest, cohereHeaders } from './request.ts';
import { translateCohereChat } from './response.ts';
import { createCohereStreamTranslator } from './stream.ts';
import { DEFAULT_API_BASE, cohereUrl } from './wire.ts';

/** Listing one chat model is free: it proves the key and the host without billing a token. */
function cohereModelsProbe(deployment: Deployment): UpstreamRequest {
  const { 'content-type': _, ...headers } = cohereHeaders(deployment);
  return { url: cohereUrl(deployment.apiBase, '/v1/models?page_size=1'), method: 'GET', headers };
}

const defaults = {
  apiBase: DEFAULT_API_BASE,
  apiBaseEnv: ['COHERE_API_BASE'],
  apiKeyEnv: ['COHERE_API_KEY', 'CO_API_KEY'],
  apiVersionEnv: [],
};

const rules: ConnectionRules = { defaults, auth: COHERE_AUTH, missingBase: 'Cohere needs api_base or COHERE_API_BASE.' };

export const cohereProvider: ProviderDescriptor = {
  id: 'cohere',
  label: 'Cohere',
  prefixes: ['cohere', 'cohere_chat'],
  defaults,
  resolveConnection: (params, env, path) => resolveConnection(rules, params, env, path),
  auth: COHERE_AUTH,
  settings: CONNECTION_SETTINGS.filter((name) => name !== 'api_version'),
  requestParams: COHERE_REQUEST_PARAMS,
  serves: ['chat', 'completions', 'embeddings', 'rerank'],
  framing: 'sse',
  endpoints: {
    chat: { buildRequest: buildCohereChatRequest, translateResponse: translateCohereChat, createStreamTranslator: createCohereStreamTranslator },
    embeddings: { buildRequest: buildCohereEmbedRequest, translateResponse: translateCohereEmbed },
  },
  rerankRequest: cohereRerankRequest,
  mapError: mapCohereError,
  healthProbe: cohereModelsProbe,
  litellmProviders: ['cohere', 'cohere_chat'],
  form: {
    modelPlaceholder: 'command-a-03-2025',
    apiBase: 'optional',
    apiKey: 'required',
    apiVersion: 'hidden',
    extraPlaceholder: '{"temperature": 0.3}',
  },
};
