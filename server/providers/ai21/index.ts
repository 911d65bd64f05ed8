/**
 * AI21 Studio (Jamba): the OpenAI-compatible family's connection and auth (`AI21_API_KEY`, api_base `…/studio/v1`
 * as in LiteLLM), with its own request parameters, answer completion and errors (chat.ts, errors.ts). No
 * embeddings; legacy completions are served through chat.
 */
import { CONNECTION_SETTINGS, resolveConnection, type ConnectionRules } from '../connection.ts';
import type { ProviderDescriptor } from '../descriptor.ts';
import { OPENAI_AUTH, openaiHeaders } from '../openai/request.ts';
import type { Deployment, UpstreamRequest } from '../types.ts';
import { AI21_REQUEST_PARAMS, buildAi21ChatRequest, createAi21StreamTranslator, translateAi21Chat } from './chat.ts';
import { mapAi21Error } from './errors.ts';

const defaults = {
  apiBase: 'https://api.ai21.com/studio/v1',
  apiBaseEnv: ['AI21_API_BASE'],
  apiKeyEnv: ['AI21_API_KEY'],
  apiVersionEnv: [],
};

const rules: ConnectionRules = { defaults, auth: OPENAI_AUTH, missingBase: 'AI21 needs api_base or AI21_API_BASE.' };

/** AI21 has no free endpoint that checks a key: the cheapest real call, one token out. */
function ai21HealthProbe(deployment: Deployment): UpstreamRequest {
  return {
    method: 'POST',
    url: `${deployment.apiBase}/chat/completions`,
    headers: openaiHeaders(deployment),
    body: JSON.stringify({ model: deployment.upstreamModel, max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] }),
  };
}

export const ai21Provider: ProviderDescriptor = {
  id: 'ai21',
  label: 'AI21 (Jamba)',
  prefixes: ['ai21', 'ai21_chat'],
  defaults,
  resolveConnection: (params, env, path) => resolveConnection(rules, params, env, path),
  auth: OPENAI_AUTH,
  settings: CONNECTION_SETTINGS.filter((name) => name !== 'api_version'),
  requestParams: AI21_REQUEST_PARAMS,
  serves: ['chat', 'completions'],
  framing: 'sse',
  endpoints: { chat: { buildRequest: buildAi21ChatRequest, translateResponse: translateAi21Chat, createStreamTranslator: createAi21StreamTranslator } },
  mapError: mapAi21Error,
  healthProbe: ai21HealthProbe,
  litellmProviders: ['ai21'],
  form: {
    modelPlaceholder: 'jamba-mini-1.7',
    apiBase: 'optional',
    apiKey: 'required',
    apiVersion: 'hidden',
    extraPlaceholder: '{"temperature": 0.4}',
  },
};
