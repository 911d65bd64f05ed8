/**
 * Replicate: language models through the predictions API (input.ts, prediction.ts). A prediction takes several
 * requests (create, poll, stream URL), so the descriptor answers through `local` with its own HTTP calls; the
 * chat adapter's buildRequest describes the creating request (what /health and the docs show).
 */
import { CONNECTION_SETTINGS, resolveConnection, type ConnectionRules } from '../connection.ts';
import type { ProviderDescriptor } from '../descriptor.ts';
import { OPEN_MODEL_SAMPLING_PARAMS, OPENAI_REQUEST_PARAMS } from '../openai/params.ts';
import { PROMPT_TEMPLATE_SETTINGS, readCustomTemplate } from '../prompt-templates/index.ts';
import type { CallContext, Deployment, UpstreamRequest } from '../types.ts';
import { mapReplicateError } from './errors.ts';
import { predictionBody, predictionTarget } from './input.ts';
import { POLL_INTERVAL_SETTING, REPLICATE_AUTH, replicateHeaders, runPrediction } from './prediction.ts';

function createPredictionRequest(ctx: CallContext): UpstreamRequest {
  return { method: 'POST', url: predictionTarget(ctx.deployment).url, headers: replicateHeaders(ctx.deployment), body: JSON.stringify(predictionBody(ctx)) };
}

/** Free: the account endpoint proves the key and the base URL without running a model. */
function replicateHealthProbe(d: Deployment): UpstreamRequest {
  const headers = replicateHeaders(d);
  delete headers['content-type'];
  return { method: 'GET', url: `${d.apiBase}/account`, headers };
}

const defaults = {
  apiBase: 'https://api.replicate.com/v1',
  apiBaseEnv: ['REPLICATE_API_BASE'],
  apiKeyEnv: ['REPLICATE_API_KEY', 'REPLICATE_API_TOKEN'],
  apiVersionEnv: [],
};

const rules: ConnectionRules = { defaults, auth: REPLICATE_AUTH, missingBase: 'Replicate needs api_base or REPLICATE_API_BASE.' };

export const replicateProvider: ProviderDescriptor = {
  id: 'replicate',
  label: 'Replicate',
  prefixes: ['replicate'],
  defaults,
  resolveConnection: (params, env, path) => {
    readCustomTemplate(params, path);
    return resolveConnection(rules, params, env, path);
  },
  auth: REPLICATE_AUTH,
  settings: [...CONNECTION_SETTINGS, ...PROMPT_TEMPLATE_SETTINGS, POLL_INTERVAL_SETTING],
  requestParams: {
    accepted: [...OPENAI_REQUEST_PARAMS, ...OPEN_MODEL_SAMPLING_PARAMS, 'max_new_tokens', 'min_new_tokens', 'length_penalty', 'prompt_template'],
  },
  serves: ['chat', 'completions'],
  framing: 'sse',
  endpoints: { chat: { buildRequest: createPredictionRequest } },
  mapError: mapReplicateError,
  healthProbe: replicateHealthProbe,
  local: { respond: runPrediction, callsUpstream: true },
  litellmProviders: ['replicate'],
  form: {
    modelPlaceholder: 'meta/meta-llama-3-8b-instruct',
    apiBase: 'optional',
    apiKey: 'required',
    apiVersion: 'hidden',
    extraPlaceholder: '{"max_tokens": 512}',
    fields: [
      {
        param: POLL_INTERVAL_SETTING,
        label: 'Poll interval (s)',
        need: 'optional',
        kind: 'number',
        placeholder: '0.5',
        hint: 'Seconds before the first poll of a prediction; each later wait is 1.5× longer, at most 5 s.',
      },
    ],
  },
};
