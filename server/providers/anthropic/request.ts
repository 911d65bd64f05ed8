/**
 * OpenAI chat completion request → Anthropic POST /v1/messages request.
 */
import { badRequest } from '../../core/errors.ts';
import { authHeaders } from '../auth.ts';
import type { CallContext, Deployment, UpstreamRequest } from '../types.ts';
import { toAnthropicMessages } from './messages.ts';
import { passThroughParams, unsupportedParamError } from './params.ts';
import { budgetForEffort, MIN_THINKING_BUDGET } from './thinking.ts';
import { isRecord } from './wire.ts';

export const DEFAULT_API_BASE = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';
/** Anthropic takes the key in a header of its own. */
export const ANTHROPIC_AUTH = { kind: 'header', header: 'x-api-key' } as const;
/** Anthropic requires max_tokens; OpenAI clients usually leave it out. */
export const DEFAULT_MAX_TOKENS = 4096;

/** `${apiBase}/v1/messages`, tolerating an api_base configured with or without `/v1` (LiteLLM accepts both). */
export function messagesUrl(apiBase: string | undefined): string {
  const base = (apiBase && apiBase.trim() !== '' ? apiBase.trim() : DEFAULT_API_BASE).replace(/\/+$/, '');
  if (base.endsWith('/v1/messages')) return base;
  if (base.endsWith('/v1')) return `${base}/messages`;
  return `${base}/v1/messages`;
}

export function anthropicHeaders(deployment: Deployment): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'anthropic-version': ANTHROPIC_VERSION,
    ...authHeaders(ANTHROPIC_AUTH, deployment),
  };
  // Lower-cased so a configured `Anthropic-Version` or `anthropic-beta` replaces ours instead of duplicating it.
  for (const [name, value] of Object.entries(deployment.headers ?? {})) headers[name.toLowerCase()] = value;
  return headers;
}

export function buildMessagesRequest(ctx: CallContext): UpstreamRequest {
  const { body, deployment } = ctx;
  const { system, messages } = toAnthropicMessages(body.messages);
  const payload: Record<string, unknown> = {
    ...passThroughParams(body, deployment),
    model: deployment.upstreamModel,
    messages,
    max_tokens: body.max_tokens ?? body.max_completion_tokens ?? DEFAULT_MAX_TOKENS,
  };
  if (system !== undefined) payload.system = system;
  for (const name of ['temperature', 'top_p', 'top_k'] as const) {
    if (body[name] !== undefined && body[name] !== null) payload[name] = body[name];
  }
  const stopSequences = toStopSequences(body.stop);
  if (stopSequences) payload.stop_sequences = stopSequences;
  if (typeof body.user === 'string' && body.user !== '') payload.metadata = { user_id: body.user };
  Object.assign(payload, toolParams(body, deployment));
  const thinking = thinkingParams(body, payload.max_tokens, deployment);
  Object.assign(payload, thinking);
  if (thinking.thinking) fitSamplingToThinking(payload, deployment);
  if (ctx.stream) payload.stream = true;

  return {
    url: messagesUrl(deployment.apiBase),
    method: 'POST',
    headers: anthropicHeaders(deployment),
    body: JSON.stringify(payload),
  };
}

/**
 * reasoning_effort → extended thinking with the level's budget (thinking.ts). Anthropic needs max_tokens above
 * the budget: a max_tokens the client left to the default grows to make room for the answer; one the client set
 * keeps its value and the budget shrinks under it — unless not even the minimum budget fits, a value Anthropic
 * cannot take (400 naming reasoning_effort, or left out with drop_params). A `thinking` the client sent as
 * Anthropic's own parameter wins; `none` turns nothing on.
 */
function thinkingParams(body: Record<string, unknown>, maxTokens: unknown, deployment: Deployment): Record<string, unknown> {
  const budget = budgetForEffort(body.reasoning_effort);
  if (budget === undefined || body.thinking !== undefined) return {};
  const clientMax = body.max_tokens ?? body.max_completion_tokens;
  if (clientMax === undefined || clientMax === null) {
    return { thinking: { type: 'enabled', budget_tokens: budget }, max_tokens: Math.max(Number(maxTokens), budget + DEFAULT_MAX_TOKENS) };
  }
  const room = Number(clientMax) - 1;
  if (room < MIN_THINKING_BUDGET) {
    if (deployment.dropParams) return {};
    throw badRequest(
      `\`reasoning_effort\` needs max_tokens above ${MIN_THINKING_BUDGET} on Anthropic (its smallest thinking budget); raise max_tokens, ` +
        'leave reasoning_effort out, or set `drop_params: true` to drop it.',
      'reasoning_effort',
    );
  }
  return { thinking: { type: 'enabled', budget_tokens: Math.min(budget, room) } };
}

/**
 * With thinking on, Anthropic takes temperature 1 only and no top_k (as OpenAI's reasoning models take only their
 * default sampling). When the gateway turned thinking on from reasoning_effort, other values are parameters the
 * call cannot take: a 400 naming them, or left out with drop_params. temperature 1 is the default and is left out.
 */
function fitSamplingToThinking(payload: Record<string, unknown>, deployment: Deployment): void {
  if (payload.temperature === 1) delete payload.temperature;
  for (const param of ['temperature', 'top_k'] as const) {
    if (payload[param] === undefined) continue;
    if (!deployment.dropParams) {
      throw badRequest(
        `\`${param}\` cannot be combined with reasoning_effort on Anthropic (extended thinking takes the default sampling); ` +
          'leave one of them out, or set `drop_params: true` to drop it.',
        param,
      );
    }
    delete payload[param];
  }
}

/**
 * Anthropic rejects whitespace-only stop sequences (OpenAI clients often send "\n"), so those are left
 * out — the same choice LiteLLM makes — rather than failing the whole call.
 */
function toStopSequences(stop: unknown): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  const list = typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop : undefined;
  if (!list?.every((s) => typeof s === 'string')) {
    throw badRequest('`stop` must be a string or an array of strings.', 'stop');
  }
  const kept = (list as string[]).filter((s) => s.trim() !== '');
  return kept.length > 0 ? kept : undefined;
}

/** tools, tool_choice and parallel_tool_calls → Anthropic `tools` and `tool_choice`. */
function toolParams(body: Record<string, unknown>, deployment: Deployment): Record<string, unknown> {
  if (body.tools === undefined || body.tools === null) return {};
  if (!Array.isArray(body.tools)) throw badRequest('`tools` must be an array.', 'tools');
  const tools: Record<string, unknown>[] = [];
  body.tools.forEach((tool: unknown, i) => {
    const converted = toAnthropicTool(tool, `tools[${i}]`);
    if (converted) tools.push(converted);
    else if (!deployment.dropParams) throw unsupportedParamError(`tools[${i}].type`, deployment);
  });
  // Anthropic rejects tool_choice without tools; clients send an empty list with "auto" or "none".
  if (tools.length === 0) return {};

  const choice = toToolChoice(body.tool_choice);
  if (body.parallel_tool_calls === false) {
    const base = choice ?? { type: 'auto' };
    // The `none` choice takes no options: no tool will be called, so parallelism is moot.
    if (base.type !== 'none') base.disable_parallel_tool_use = true;
    return { tools, tool_choice: base };
  }
  return choice ? { tools, tool_choice: choice } : { tools };
}

/** Function tools only; other tool types (OpenAI `custom`) have no Anthropic counterpart. */
function toAnthropicTool(tool: unknown, at: string): Record<string, unknown> | undefined {
  if (!isRecord(tool) || tool.type !== 'function') return undefined;
  const fn = tool.function;
  if (!isRecord(fn) || typeof fn.name !== 'string') {
    throw badRequest(`${at}.function.name is required.`, `${at}.function.name`);
  }
  const converted: Record<string, unknown> = {
    name: fn.name,
    // Anthropic requires an object schema even for tools without parameters.
    input_schema: isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} },
  };
  if (typeof fn.description === 'string') converted.description = fn.description;
  if (tool.cache_control !== undefined) converted.cache_control = tool.cache_control;
  return converted;
}

function toToolChoice(choice: unknown): Record<string, unknown> | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'required') return { type: 'any' };
  if (choice === 'none') return { type: 'none' };
  if (isRecord(choice) && choice.type === 'function' && isRecord(choice.function)) {
    const name = choice.function.name;
    if (typeof name === 'string' && name !== '') return { type: 'tool', name };
  }
  throw badRequest('`tool_choice` must be "auto", "required", "none" or {"type":"function","function":{"name":…}}.', 'tool_choice');
}
