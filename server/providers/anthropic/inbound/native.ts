/**
 * The native path: an Anthropic Messages request to an Anthropic deployment is forwarded as is (`model`
 * replaced, the deployment's request defaults under it), and its answer streamed straight back. This module builds the upstream request
 * and reads usage out of the answer for the logs, without changing a byte of it.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Deployment, UpstreamRequest, Usage } from '../../types.ts';
import { anthropicHeaders, messagesUrl } from '../request.ts';
import { budgetForEffort, MIN_THINKING_BUDGET } from '../thinking.ts';
import type { AnthropicUsage } from '../wire.ts';
import { isRecord, toOpenAIUsage } from '../wire.ts';

export type NativeEndpoint = 'messages' | 'count_tokens';

function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value.join(',') : value;
  return first !== undefined && first.trim() !== '' ? first.trim() : undefined;
}

/**
 * The deployment's key (never the client's, which is the gateway's key), the client's anthropic-version
 * unless the deployment's headers pin one, and the client's anthropic-beta flags together with any the
 * deployment configures (features such as prompt caching or 1M context are switched on per request).
 */
export function nativeHeaders(deployment: Deployment, clientHeaders: IncomingHttpHeaders): Record<string, string> {
  const headers = anthropicHeaders(deployment);
  const configured = new Set(Object.keys(deployment.headers ?? {}).map((name) => name.toLowerCase()));
  const version = headerOf(clientHeaders, 'anthropic-version');
  if (version && !configured.has('anthropic-version')) headers['anthropic-version'] = version;
  const beta = headerOf(clientHeaders, 'anthropic-beta');
  if (beta) {
    const flags = new Set([...(headers['anthropic-beta'] ?? '').split(','), ...beta.split(',')].map((f) => f.trim()).filter(Boolean));
    headers['anthropic-beta'] = [...flags].join(',');
  }
  return headers;
}

/**
 * The deployment's litellm_params request defaults in Messages API terms. They are kept under the chat path's
 * (OpenAI) names, so those are renamed as the chat adapter renames them (max_completion_tokens and max_tokens →
 * max_tokens, stop → stop_sequences, user → metadata.user_id, reasoning_effort → thinking); Anthropic's own (top_k, thinking, container, …)
 * and extra_body's keys go as they are. OpenAI-shaped tool defaults have no place in a client's own tool list.
 */
export function nativeDefaults(defaults: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(defaults)) {
    if (value === undefined || value === null || OPENAI_TOOL_DEFAULTS.has(key)) continue;
    if (key === 'max_tokens') out.max_tokens = value;
    else if (key === 'max_completion_tokens') out.max_tokens ??= value;
    else if (key === 'stop') {
      const list = typeof value === 'string' ? [value] : value;
      if (Array.isArray(list) && list.length > 0) out.stop_sequences = list;
    } else if (key === 'user') {
      if (typeof value === 'string' && value !== '') out.metadata = { user_id: value };
    } else if (key === 'reasoning_effort') {
      const budget = budgetForEffort(value);
      if (budget !== undefined) out.thinking ??= { type: 'enabled', budget_tokens: budget };
    } else out[key] = value;
  }
  return out;
}

/**
 * A thinking budget from the defaults must fit under the request's max_tokens, as Anthropic requires: it shrinks
 * to fit, and is left out when not even the smallest budget does. A client's own thinking is never touched.
 */
function fitDefaultThinking(merged: Record<string, unknown>, clientBody: Record<string, unknown>): void {
  const thinking = merged.thinking;
  if (clientBody.thinking !== undefined || !isRecord(thinking) || thinking.type !== 'enabled') return;
  const budget = thinking.budget_tokens;
  const max = merged.max_tokens;
  if (typeof budget !== 'number' || typeof max !== 'number' || budget < max) return;
  if (max - 1 < MIN_THINKING_BUDGET) delete merged.thinking;
  else merged.thinking = { ...thinking, budget_tokens: max - 1 };
}

const OPENAI_TOOL_DEFAULTS = new Set(['tools', 'tool_choice', 'parallel_tool_calls']);

/**
 * The upstream request: the client's body with the deployment's model. A message also gets the deployment's
 * request defaults under it (the request's own values win, field by field); count_tokens takes none of them.
 */
export function nativeRequest(
  deployment: Deployment,
  endpoint: NativeEndpoint,
  body: Record<string, unknown>,
  clientHeaders: IncomingHttpHeaders,
): UpstreamRequest {
  const url = messagesUrl(deployment.apiBase) + (endpoint === 'count_tokens' ? '/count_tokens' : '');
  const merged = { ...(endpoint === 'messages' ? nativeDefaults(deployment.defaults) : {}), ...body, model: deployment.upstreamModel };
  fitDefaultThinking(merged, body);
  return { url, method: 'POST', headers: nativeHeaders(deployment, clientHeaders), body: JSON.stringify(merged) };
}

/** Usage of a non-streamed `message` answer, in the gateway's (OpenAI) form for the logs. */
export function usageOfMessage(text: string): Usage | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed) && isRecord(parsed.usage)) return toOpenAIUsage(parsed.usage as AnthropicUsage);
  } catch {
    // Not a message: nothing to log.
  }
  return undefined;
}

/**
 * Usage of a streamed answer: message_start carries the input side, message_delta the cumulative
 * output side. Only those two events are parsed; every other event passes unread.
 */
export class StreamUsageCollector {
  private usage: AnthropicUsage | undefined;

  observe(event: string | undefined, data: string): void {
    if (event !== 'message_start' && event !== 'message_delta') return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    if (!isRecord(payload)) return;
    const usage = event === 'message_start' ? (isRecord(payload.message) ? payload.message.usage : undefined) : payload.usage;
    if (!isRecord(usage)) return;
    this.usage = { ...this.usage };
    for (const [key, value] of Object.entries(usage)) {
      if (typeof value === 'number') (this.usage as Record<string, unknown>)[key] = value;
    }
  }

  result(): Usage | undefined {
    return this.usage ? toOpenAIUsage(this.usage) : undefined;
  }
}
