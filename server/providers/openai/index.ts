/**
 * OpenAI and the OpenAI-compatible family: one wire protocol, so one descriptor factory; each member differs only
 * in its defaults (base URL, LiteLLM's environment variable names), extra request parameters and dashboard text.
 * Every endpoint is a pass-through (no translateResponse, no stream translator), so answers are streamed to the
 * client without re-serialising each chunk.
 */
import { CONNECTION_SETTINGS, appendV1, resolveConnection, type ConnectionRules } from '../connection.ts';
import type { ProviderDescriptor } from '../descriptor.ts';
import { OPENAI_REQUEST_PARAMS } from './params.ts';
import { openaiResponsesRequest } from './native-responses.ts';
import { OPENAI_AUTH, openaiModelsProbe, openaiRequest } from './request.ts';

export interface CompatibleMember {
  id: string;
  label: string;
  /** Default: `[id]`. */
  prefixes?: readonly string[];
  /** Undefined when the user must give api_base. */
  apiBase?: string;
  apiBaseEnv?: readonly string[];
  apiKeyEnv?: readonly string[];
  /** A server people run themselves: given as http://host:port, its API lives under /v1; the key is optional. */
  selfHosted?: boolean;
  /** Request parameters it takes beside OpenAI's. */
  extraParams?: readonly string[];
  litellmProviders: readonly string[];
  modelPlaceholder: string;
  /** It serves OpenAI's Responses API (POST /responses) itself, so Responses calls are relayed, not translated. */
  responses?: boolean;
}

const passThrough = { buildRequest: openaiRequest };

/** Where the dashboard's example points for a self-hosted server without a default address. */
const SELF_HOSTED_EXAMPLE = 'http://localhost:8000/v1';

export function openaiCompatibleProvider(member: CompatibleMember): ProviderDescriptor {
  const defaults = {
    ...(member.apiBase ? { apiBase: member.apiBase } : {}),
    apiBaseEnv: member.apiBaseEnv ?? [],
    apiKeyEnv: member.apiKeyEnv ?? [],
    apiVersionEnv: [],
  };
  const rules: ConnectionRules = {
    defaults,
    auth: OPENAI_AUTH,
    missingBase: `${member.id} is self-hosted: set api_base to its URL, e.g. ${SELF_HOSTED_EXAMPLE}.`,
    ...(member.selfHosted ? { normaliseBase: appendV1 } : {}),
  };
  return {
    id: member.id,
    label: member.label,
    prefixes: member.prefixes ?? [member.id],
    defaults,
    resolveConnection: (params, env, path) => resolveConnection(rules, params, env, path),
    auth: OPENAI_AUTH,
    settings: [...CONNECTION_SETTINGS, 'organization'],
    requestParams: { accepted: [...OPENAI_REQUEST_PARAMS, ...(member.extraParams ?? [])] },
    serves: member.responses ? ['chat', 'completions', 'embeddings', 'responses'] : ['chat', 'completions', 'embeddings'],
    ...(member.responses ? { responsesRequest: openaiResponsesRequest } : {}),
    framing: 'sse',
    endpoints: { chat: passThrough, completions: passThrough, embeddings: passThrough },
    healthProbe: openaiModelsProbe,
    litellmProviders: member.litellmProviders,
    form: {
      modelPlaceholder: member.modelPlaceholder,
      apiBase: member.apiBase ? 'optional' : 'required',
      ...(member.apiBase ? {} : { apiBaseExample: SELF_HOSTED_EXAMPLE }),
      apiKey: member.selfHosted ? 'optional' : 'required',
      apiVersion: 'hidden',
      extraPlaceholder: '{"temperature": 0.2}',
      // OpenAI's own organization header; the other members of the family have no such thing.
      ...(member.id === 'openai'
        ? {
            fields: [
              { param: 'organization', label: 'Organization', need: 'optional', kind: 'text', placeholder: 'org-…', hint: 'Sent as OpenAI-Organization.' },
            ],
          }
        : {}),
    },
  };
}
