/**
 * Anthropic: OpenAI chat completions in, Anthropic /v1/messages upstream, OpenAI answers and chunks back; Messages
 * API requests (Claude Code) are forwarded natively (inbound/native.ts). Anthropic has no embeddings or legacy
 * completions endpoint: completions are served through chat.
 */
import { resolveConnection, type ConnectionRules } from '../connection.ts';
import type { ProviderDescriptor } from '../descriptor.ts';
import type { Deployment, UpstreamRequest } from '../types.ts';
import { mapAnthropicError } from './errors.ts';
import { ANTHROPIC_REQUEST_PARAMS } from './params.ts';
import { ANTHROPIC_AUTH, DEFAULT_API_BASE, anthropicHeaders, buildMessagesRequest, messagesUrl } from './request.ts';
import { translateMessageResponse } from './response.ts';
import { createAnthropicStreamTranslator } from './stream.ts';

/** The cheapest real call: one word in, at most one token out. */
function anthropicHealthProbe(deployment: Deployment): UpstreamRequest {
  return {
    url: messagesUrl(deployment.apiBase),
    method: 'POST',
    headers: anthropicHeaders(deployment),
    body: JSON.stringify({
      model: deployment.upstreamModel,
      max_tokens: 1,
      messages: [{ role: 'user', content: 'ping' }],
    }),
  };
}

const defaults = {
  apiBase: DEFAULT_API_BASE,
  apiBaseEnv: ['ANTHROPIC_API_BASE', 'ANTHROPIC_BASE_URL'],
  apiKeyEnv: ['ANTHROPIC_API_KEY'],
  apiVersionEnv: [],
};

// Unreachable while there is a default base URL; said plainly should the default ever go.
const rules: ConnectionRules = { defaults, auth: ANTHROPIC_AUTH, missingBase: 'Anthropic needs api_base or ANTHROPIC_API_BASE.' };

export const anthropicProvider: ProviderDescriptor = {
  id: 'anthropic',
  label: 'Anthropic',
  prefixes: ['anthropic'],
  defaults,
  resolveConnection: (params, env, path) => resolveConnection(rules, params, env, path),
  auth: ANTHROPIC_AUTH,
  // No api_version: the adapter pins anthropic-version (a deployment's headers may override it).
  settings: ['api_base', 'base_url', 'api_key'],
  requestParams: ANTHROPIC_REQUEST_PARAMS,
  serves: ['chat', 'completions', 'messages'],
  framing: 'sse',
  endpoints: {
    chat: {
      buildRequest: buildMessagesRequest,
      translateResponse: translateMessageResponse,
      createStreamTranslator: createAnthropicStreamTranslator,
    },
  },
  mapError: mapAnthropicError,
  healthProbe: anthropicHealthProbe,
  litellmProviders: ['anthropic'],
  form: {
    modelPlaceholder: 'claude-sonnet-4-5',
    apiBase: 'optional',
    apiKey: 'required',
    apiVersion: 'hidden',
    extraPlaceholder: '{"max_tokens": 4096}',
  },
};
