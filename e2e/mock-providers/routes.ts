/**
 * Which provider surface a method + path belongs to (OpenAI, Azure OpenAI, Anthropic), for server.ts.
 * The other providers (Hugging Face, Replicate, Vertex, Gemini, Cohere, AI21) route themselves.
 */
import type { Protocol } from './failures.ts';

export type Endpoint = 'chat' | 'completions' | 'embeddings' | 'responses' | 'models' | 'model' | 'azure_models' | 'messages' | 'count_tokens';

export interface Route {
  protocol: Protocol;
  endpoint: Endpoint;
  /** Azure deployment from the path (`/openai/deployments/{deployment}/…`). */
  deployment?: string;
  /** Model id of GET /v1/models/{id}. */
  modelId?: string;
  /** Azure's dated-version paths need `?api-version=`; its `/openai/v1/` paths do not. */
  needsApiVersion?: boolean;
  /** A local server started without a key (`/local/v1/…`): no Authorization needed. */
  keyless?: boolean;
}

/**
 * `/local/v1/…` is an OpenAI-compatible server on the user's own machine — vLLM without `--api-key`, Ollama,
 * LM Studio, llama.cpp's server — which, unlike api.openai.com, takes calls without a token.
 */
export const LOCAL_OPENAI_PREFIX = '/local';

const OPENAI_PATHS: Record<string, Endpoint> = { 'chat/completions': 'chat', completions: 'completions', embeddings: 'embeddings' };

function findHostedRoute(method: string, path: string): Route | undefined {
  if (method === 'GET') {
    if (path === '/v1/models') return { protocol: 'openai', endpoint: 'models' };
    // Azure OpenAI "Models - List" (GET {endpoint}/openai/models?api-version=…): what the gateway's health probe calls.
    if (path === '/openai/models') return { protocol: 'azure', endpoint: 'azure_models', needsApiVersion: true };
    const model = /^\/v1\/models\/(.+)$/.exec(path)?.[1];
    return model === undefined ? undefined : { protocol: 'openai', endpoint: 'model', modelId: decodeURIComponent(model) };
  }
  if (method !== 'POST') return undefined;
  if (path === '/v1/messages') return { protocol: 'anthropic', endpoint: 'messages' };
  if (path === '/v1/messages/count_tokens') return { protocol: 'anthropic', endpoint: 'count_tokens' };
  // Responses: OpenAI's, Azure's v1 API (model = deployment, in the body) and Azure's dated preview API.
  if (path === '/v1/responses') return { protocol: 'openai', endpoint: 'responses' };
  if (path === '/openai/v1/responses') return { protocol: 'azure', endpoint: 'responses' };
  if (path === '/openai/responses') return { protocol: 'azure', endpoint: 'responses', needsApiVersion: true };
  const openai = OPENAI_PATHS[/^\/v1\/(.+)$/.exec(path)?.[1] ?? ''];
  if (openai !== undefined) return { protocol: 'openai', endpoint: openai };
  const azure = /^\/openai\/deployments\/([^/]+)\/(.+)$/.exec(path);
  const azureEndpoint = OPENAI_PATHS[azure?.[2] ?? ''];
  if (azure?.[1] !== undefined && azureEndpoint !== undefined) {
    return { protocol: 'azure', endpoint: azureEndpoint, deployment: decodeURIComponent(azure[1]), needsApiVersion: true };
  }
  const azureV1 = OPENAI_PATHS[/^\/openai\/v1\/(.+)$/.exec(path)?.[1] ?? ''];
  return azureV1 === undefined ? undefined : { protocol: 'azure', endpoint: azureV1 };
}

export function findRoute(method: string, path: string): Route | undefined {
  if (!path.startsWith(`${LOCAL_OPENAI_PREFIX}/v1/`)) return findHostedRoute(method, path);
  // Only OpenAI's surface has a keyless local twin: Azure and Anthropic are hosted services.
  const route = findHostedRoute(method, path.slice(LOCAL_OPENAI_PREFIX.length));
  return route?.protocol === 'openai' ? { ...route, keyless: true } : undefined;
}
