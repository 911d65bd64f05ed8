/**
 * Native Anthropic Messages API adapter: OpenAI chat completions in, Anthropic /v1/messages upstream,
 * OpenAI answers and chunks back. Anthropic has no embeddings or legacy completions endpoint, so only
 * `chat` is offered.
 */
import type { Deployment, ProviderAdapter, UpstreamRequest } from '../types.ts';
import { mapAnthropicError } from './errors.ts';
import { anthropicHeaders, buildMessagesRequest, messagesUrl } from './request.ts';
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

export const anthropicProvider: ProviderAdapter = {
  id: 'anthropic',
  endpoints: {
    chat: {
      buildRequest: buildMessagesRequest,
      translateResponse: translateMessageResponse,
      createStreamTranslator: createAnthropicStreamTranslator,
    },
  },
  mapError: mapAnthropicError,
  healthProbe: anthropicHealthProbe,
};
