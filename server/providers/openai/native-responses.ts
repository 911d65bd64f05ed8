/**
 * The native path of the Responses API: a Responses request to a deployment whose provider speaks it (OpenAI, Azure)
 * is sent as it came, with the deployment's model and its litellm_params defaults underneath (the request's own values
 * win). Defaults are written in chat's vocabulary (config.yaml's litellm_params are shared with chat calls), so the
 * ones the Responses API names differently are renamed, and the chat-only ones are left out.
 */
import type { Deployment, UpstreamRequest } from '../types.ts';
import { openaiHeaders } from './request.ts';

/** Chat parameter → its Responses API name. */
const RENAMED: Readonly<Record<string, string>> = { max_tokens: 'max_output_tokens', max_completion_tokens: 'max_output_tokens' };

/** litellm_params defaults the Responses API takes under the same name. */
const TAKEN = new Set([
  'temperature',
  'top_p',
  'top_logprobs',
  'user',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'service_tier',
  'prompt_cache_key',
  'safety_identifier',
  'max_output_tokens',
  'reasoning',
  'text',
  'truncation',
  'include',
  'max_tool_calls',
]);

/** The deployment's defaults the Responses API takes, under its names. */
export function responsesDefaults(defaults: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(defaults)) {
    const name = RENAMED[key] ?? key;
    if (TAKEN.has(name) && !(name in out)) out[name] = value;
  }
  // reasoning_effort is chat's flat spelling of `reasoning.effort`.
  if (typeof defaults.reasoning_effort === 'string' && out.reasoning === undefined) out.reasoning = { effort: defaults.reasoning_effort };
  return out;
}

/** The body sent upstream: defaults, the request over them, the deployment's model (for Azure: its deployment name). */
export function responsesBody(deployment: Deployment, body: Record<string, unknown>): string {
  return JSON.stringify({ ...responsesDefaults(deployment.defaults), ...body, model: deployment.upstreamModel });
}

/** POST {api_base}/responses with OpenAI's Bearer key (and organization, and the deployment's headers). */
export function openaiResponsesRequest(deployment: Deployment, body: Record<string, unknown>): UpstreamRequest {
  return { method: 'POST', url: `${deployment.apiBase}/responses`, headers: openaiHeaders(deployment), body: responsesBody(deployment, body) };
}
