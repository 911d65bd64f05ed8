/**
 * Vertex AI (`vertex_ai/…`): Gemini models at `…/publishers/google/models/{model}:generateContent`, Claude models
 * at `…/publishers/anthropic/models/{model}:rawPredict`, Mistral's at `…/publishers/mistralai/models/{model}:rawPredict`
 * and Model Garden's MaaS models (Llama, DeepSeek, Qwen, gpt-oss) and deployed endpoints at the OpenAI-compatible
 * `…/endpoints/{openapi|id}/chat/completions`, all with a Google OAuth access token from a service
 * account or Application Default Credentials (connection.ts, oauth-token.ts). One deployment is one model, so each
 * call goes to the publisher its model belongs to (chat.ts).
 */
import type { ProviderDescriptor } from '../descriptor.ts';
import { ANTHROPIC_REQUEST_PARAMS } from '../anthropic/params.ts';
import { GEMINI_REQUEST_PARAMS } from '../gemini/transform/params.ts';
import type { Deployment, UpstreamRequest } from '../types.ts';
import { vertexChat } from './chat.ts';
import { vertexClaudeNativeRequest } from './claude-native.ts';
import { isClaude, vertexClaudeProbe } from './claude.ts';
import { VERTEX_AUTH, authorizeVertexRequest, resolveVertexConnection } from './connection.ts';
import { buildPredictEmbeddingRequest, vertexEmbeddings } from './embeddings.ts';
import { mapVertexError } from './errors.ts';
import { vertexGeminiProbe } from './gemini.ts';
import { isMistral, vertexMistralProbe } from './partner-mistral.ts';
import { isOpenapiModel, vertexOpenapiProbe } from './partner-openapi.ts';

const defaults = {
  apiBase: 'https://us-central1-aiplatform.googleapis.com',
  apiBaseEnv: [],
  apiKeyEnv: [],
  apiVersionEnv: [],
};

function vertexHealthProbe(d: Deployment): UpstreamRequest {
  if (isClaude(d.upstreamModel)) return vertexClaudeProbe(d);
  if (isMistral(d.upstreamModel)) return vertexMistralProbe(d);
  if (isOpenapiModel(d.upstreamModel)) return vertexOpenapiProbe(d);
  // An embedding model has no countTokens: one word embedded costs next to nothing.
  if (/embedding/i.test(d.upstreamModel))
    return buildPredictEmbeddingRequest({ endpoint: 'embeddings', body: { input: 'ping' }, deployment: d, stream: false, requestId: 'health' });
  return vertexGeminiProbe(d);
}

/** A Messages API request (Claude Code) to this deployment as it is, for Claude models; undefined for the others, which the Messages surface serves through chat. */
const vertexNativeMessagesRequest: NonNullable<ProviderDescriptor['nativeMessagesRequest']> = (d, endpoint, body, clientHeaders) =>
  isClaude(d.upstreamModel) ? vertexClaudeNativeRequest(d, endpoint, body, clientHeaders) : undefined;

const descriptor = {
  id: 'vertex_ai',
  label: 'Google Vertex AI',
  prefixes: ['vertex_ai', 'vertex_ai_beta'],
  defaults,
  resolveConnection: resolveVertexConnection,
  auth: VERTEX_AUTH,
  settings: ['api_base', 'base_url', 'api_key', 'vertex_project', 'vertex_location', 'vertex_credentials'],
  // Either publisher's parameters; each model's adapter leaves out (or refuses) what its own API cannot take.
  requestParams: { accepted: [...new Set([...GEMINI_REQUEST_PARAMS.accepted, ...ANTHROPIC_REQUEST_PARAMS.accepted])] },
  serves: ['chat', 'completions', 'embeddings'],
  framing: 'sse',
  endpoints: { chat: vertexChat, embeddings: vertexEmbeddings },
  mapError: mapVertexError,
  healthProbe: vertexHealthProbe,
  authorizeRequest: authorizeVertexRequest,
  nativeMessagesRequest: vertexNativeMessagesRequest,
  litellmProviders: [
    'vertex_ai',
    'vertex_ai-language-models',
    'vertex_ai-anthropic_models',
    'vertex_ai-embedding-models',
    'vertex_ai-llama_models',
    'vertex_ai-mistral_models',
    'vertex_ai-openai_models',
    'vertex_ai-deepseek_models',
    'vertex_ai-qwen_models',
    'vertex_ai-zai_models',
    'vertex_ai-minimax_models',
    'vertex_ai-moonshot_models',
  ],
  form: {
    modelPlaceholder: 'gemini-2.5-flash',
    apiBase: 'optional',
    apiKey: 'optional',
    apiVersion: 'hidden',
    extraPlaceholder: '{"temperature": 0.2, "max_tokens": 1024}',
    fields: [
      {
        param: 'vertex_project',
        label: 'Google Cloud project',
        need: 'optional',
        kind: 'text',
        placeholder: 'my-project',
        hint: 'Optional when the key file names its project.',
        env: ['VERTEXAI_PROJECT', 'VERTEX_PROJECT', 'GOOGLE_CLOUD_PROJECT'],
      },
      {
        param: 'vertex_location',
        label: 'Location',
        need: 'optional',
        kind: 'text',
        placeholder: 'us-central1',
        env: ['VERTEXAI_LOCATION', 'VERTEX_LOCATION'],
      },
      {
        param: 'vertex_credentials',
        label: 'Service account key',
        need: 'optional',
        kind: 'multiline-secret',
        placeholder: "/path/to/service-account.json, or paste the key file's JSON",
        hint: 'A key file path stays in config.yaml as written; pasted JSON goes to the gateway’s secret store (the OS keychain, or its encrypted file).',
        env: ['VERTEXAI_CREDENTIALS', 'GOOGLE_APPLICATION_CREDENTIALS'],
      },
    ],
  },
} satisfies ProviderDescriptor;

export const vertexProvider: ProviderDescriptor = descriptor;
