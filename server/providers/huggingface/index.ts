/**
 * Hugging Face: Text Generation Inference servers and Inference Endpoints (api_base = the endpoint URL), and the
 * serverless router. Chat goes to the OpenAI-compatible Messages API, or to TGI's legacy /generate with a prompt
 * template (mode.ts); embeddings to TEI's /embed or the feature-extraction pipeline.
 */
import { CONNECTION_SETTINGS, resolveConnection, type ConnectionRules } from '../connection.ts';
import { completionsViaChat } from '../completions-via-chat.ts';
import { DeploymentError } from '../deployment-error.ts';
import type { ProviderDescriptor } from '../descriptor.ts';
import { OPEN_MODEL_SAMPLING_PARAMS, OPENAI_REQUEST_PARAMS } from '../openai/params.ts';
import { PROMPT_TEMPLATE_SETTINGS, readCustomTemplate } from '../prompt-templates/index.ts';
import type { CallContext, Deployment, EndpointAdapter, UpstreamRequest } from '../types.ts';
import { buildEmbedRequest, translateEmbed } from './embeddings.ts';
import { mapHuggingFaceError } from './errors.ts';
import { HF_AUTH, buildGenerateRequest, hfHeaders } from './generate-request.ts';
import { createGenerateStreamTranslator, translateGenerate } from './generate-response.ts';
import { HF_ROUTER_BASE, isRouter, modeOf, needsEndpoint } from './mode.ts';
import { buildMessagesRequest, createMessagesStreamTranslator } from './messages-api.ts';
import { buildScoringRequest, isScoringRequest, translateScoring } from './scoring.ts';

const chat: EndpointAdapter = {
  buildRequest: (ctx) => (modeOf(ctx.deployment) === 'generate' ? buildGenerateRequest(ctx) : buildMessagesRequest(ctx)),
  translateResponse: (upstream, ctx) => (modeOf(ctx.deployment) === 'generate' ? translateGenerate(upstream, ctx) : (upstream as Record<string, unknown>)),
  createStreamTranslator: (ctx: CallContext) =>
    modeOf(ctx.deployment) === 'generate' ? createGenerateStreamTranslator(ctx) : createMessagesStreamTranslator(),
};

const completionsThroughChat = completionsViaChat(chat);

/** /completions goes through chat, except lm-eval-harness's scoring call, which TGI's /generate answers (scoring.ts). */
const completions: EndpointAdapter = {
  ...completionsThroughChat,
  buildRequest: (ctx) => (isScoringRequest(ctx) ? buildScoringRequest(ctx) : completionsThroughChat.buildRequest(ctx)),
  translateResponse: (upstream, ctx) =>
    isScoringRequest(ctx)
      ? translateScoring(upstream, ctx)
      : (completionsThroughChat.translateResponse?.(upstream, ctx) ?? (upstream as Record<string, unknown>)),
};

/** Free: the router's model list, or TGI's /health on an endpoint (a GET that runs no model). */
function huggingFaceHealthProbe(d: Deployment): UpstreamRequest {
  const headers = hfHeaders({ deployment: d });
  delete headers['content-type'];
  const url = isRouter(d) ? `${HF_ROUTER_BASE}/models` : `${d.apiBase.replace(/\/v1$/, '')}/health`;
  return { method: 'GET', url, headers };
}

const defaults = {
  apiBase: HF_ROUTER_BASE,
  apiBaseEnv: ['HUGGINGFACE_API_BASE'],
  apiKeyEnv: ['HUGGINGFACE_API_KEY', 'HF_TOKEN'],
  apiVersionEnv: [],
};

const rules: ConnectionRules = { defaults, auth: HF_AUTH, missingBase: 'Hugging Face needs api_base (the endpoint URL).' };

export const huggingfaceProvider: ProviderDescriptor = {
  id: 'huggingface',
  label: 'Hugging Face',
  prefixes: ['huggingface'],
  defaults,
  resolveConnection: (params, env, path) => {
    readCustomTemplate(params, path);
    const connection = resolveConnection(rules, params, env, path);
    const upstream = params.model.replace(/^huggingface\//, '');
    if (connection.apiBase === HF_ROUTER_BASE && needsEndpoint(params, upstream)) {
      throw new DeploymentError(
        `${path}.api_base`,
        "TGI's /generate API (text-generation-inference/ models, prompt templates) needs the endpoint URL as api_base.",
      );
    }
    return connection;
  },
  auth: HF_AUTH,
  settings: [...CONNECTION_SETTINGS, ...PROMPT_TEMPLATE_SETTINGS],
  requestParams: { accepted: [...OPENAI_REQUEST_PARAMS, ...OPEN_MODEL_SAMPLING_PARAMS, 'max_new_tokens', 'typical_p', 'truncate', 'watermark', 'do_sample'] },
  serves: ['chat', 'completions', 'embeddings'],
  framing: 'sse',
  endpoints: {
    chat,
    completions,
    embeddings: { buildRequest: buildEmbedRequest, translateResponse: translateEmbed },
  },
  mapError: mapHuggingFaceError,
  healthProbe: huggingFaceHealthProbe,
  // The price table lists no Hugging Face models: deployments give input_cost_per_token / output_cost_per_token.
  litellmProviders: [],
  form: {
    modelPlaceholder: 'meta-llama/Llama-3.1-8B-Instruct',
    apiBase: 'optional',
    apiKey: 'required',
    apiVersion: 'hidden',
    extraPlaceholder: '{"roles": {"user": {"pre_message": "[INST] ", "post_message": " [/INST]"}}}',
  },
};
