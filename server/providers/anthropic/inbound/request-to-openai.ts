/**
 * Anthropic Messages request → OpenAI chat completion body, for deployments whose provider is not
 * Anthropic. What the target can express is carried (sampling, stop sequences, the user id, thinking as
 * reasoning_effort, structured output, service tier); hints that change nothing a client can see in a valid
 * answer (cache_control, context_management, speed, prompt-cache diagnostics) are left out; any other field the target cannot take is a
 * 400 naming it, unless the deployment drops parameters (drop_params) — the chat path's rule.
 */
import { badRequest } from '../../../core/errors.ts';
import { unsupportedParamError } from '../../request-params.ts';
import type { Deployment } from '../../types.ts';
import { effortForOutputEffort, effortForThinking } from '../thinking.ts';
import { isRecord } from '../wire.ts';
import { toOpenAIMessages } from './messages-to-openai.ts';

/** What the deployment a Messages request is translated for can take. */
export interface ChatTarget {
  deployment: Deployment;
  /** Its provider's name, for error messages. */
  providerLabel: string;
  /** Request parameters its provider takes (the descriptor's requestParams.accepted). */
  accepts: ReadonlySet<string>;
  /** Whether the model reasons, so reasoning_effort means something to it. */
  reasons: boolean;
  /** Whether it takes chat `file` parts (base64 PDFs). */
  takesFiles: boolean;
  /** OpenAI's reasoning models refuse max_tokens and take max_completion_tokens. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** OpenAI's reasoning models take only the default sampling (temperature and top_p 1). */
  defaultSamplingOnly: boolean;
}

/** Fields translated below. */
const TRANSLATED = new Set([
  'model',
  'messages',
  'system',
  'max_tokens',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'metadata',
  'tools',
  'tool_choice',
  'thinking',
  'service_tier',
  'output_config',
]);

/** Anthropic-side hints with no effect on what a valid answer contains: left out for every other provider. */
const HINTS = new Set(['cache_control', 'context_management', 'speed', 'diagnostics']);

/** Anthropic's service tiers in OpenAI's words: `standard_only` is OpenAI's `default` tier. */
const SERVICE_TIERS: Readonly<Record<string, string>> = { auto: 'auto', standard_only: 'default' };

export function toOpenAIChatBody(body: Record<string, unknown>, target: ChatTarget): Record<string, unknown> {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const out: Record<string, unknown> = {
    model: body.model,
    messages: toOpenAIMessages(body.system, messages, { files: target.takesFiles }),
    [target.maxTokensField]: body.max_tokens,
  };
  const cannot = (param: string): void => {
    if (!target.deployment.dropParams) throw unsupportedParamError(target.providerLabel, param, target.deployment);
  };
  for (const name of ['temperature', 'top_p'] as const) {
    const value = body[name];
    if (typeof value !== 'number') continue;
    // 1 is the default such a model uses anyway (Claude Code sends temperature 1 with thinking on).
    if (!target.defaultSamplingOnly) out[name] = value;
    else if (value !== 1) cannot(name);
  }
  if (typeof body.top_k === 'number') {
    if (target.accepts.has('top_k')) out.top_k = body.top_k;
    else cannot('top_k');
  }
  if (Array.isArray(body.stop_sequences) && body.stop_sequences.length > 0) out.stop = body.stop_sequences;
  if (isRecord(body.metadata) && typeof body.metadata.user_id === 'string') out.user = body.metadata.user_id;
  const tier = typeof body.service_tier === 'string' ? SERVICE_TIERS[body.service_tier] : undefined;
  // Both tiers are what the provider does anyway when it has no tiers, so a target without them loses nothing.
  if (tier && target.accepts.has('service_tier')) out.service_tier = tier;
  Object.assign(out, reasoningFields(body, target, cannot), outputFormat(body.output_config, target, cannot));
  Object.assign(out, toolFields(body.tools, body.tool_choice));
  for (const [key, value] of Object.entries(body)) {
    if (value !== undefined && value !== null && !TRANSLATED.has(key) && !HINTS.has(key)) cannot(key);
  }
  if (body.stream === true) {
    out.stream = true;
    // Usage arrives in the last chunk only when asked for; the message_delta event needs it.
    out.stream_options = { include_usage: true };
  }
  return out;
}

/**
 * `thinking` (enabled with a budget, or adaptive) and `output_config.effort` → reasoning_effort; the explicit
 * effort wins. Enabled thinking for a model that cannot reason is a parameter it cannot take; adaptive
 * thinking and an effort level are satisfied by a model that just answers, so they are left out for it.
 */
function reasoningFields(body: Record<string, unknown>, target: ChatTarget, cannot: (param: string) => void): Record<string, unknown> {
  const fromThinking = effortForThinking(body.thinking);
  const fromEffort = isRecord(body.output_config) ? effortForOutputEffort(body.output_config.effort) : undefined;
  const effort = fromEffort ?? fromThinking;
  if (!effort) return {};
  if (target.reasons && target.accepts.has('reasoning_effort')) return { reasoning_effort: effort };
  if (isRecord(body.thinking) && body.thinking.type === 'enabled') cannot('thinking');
  return {};
}

/** `output_config.format` (a JSON schema the answer must follow) → response_format; other keys are refused unless dropped. */
function outputFormat(config: unknown, target: ChatTarget, cannot: (param: string) => void): Record<string, unknown> {
  if (config === undefined || config === null) return {};
  if (!isRecord(config)) throw badRequest('output_config: must be an object.', 'output_config');
  for (const key of Object.keys(config)) if (key !== 'effort' && key !== 'format') cannot(`output_config.${key}`);
  const format = config.format;
  if (format === undefined || format === null) return {};
  if (!isRecord(format) || format.type !== 'json_schema' || !isRecord(format.schema)) {
    throw badRequest('output_config.format: must be {"type": "json_schema", "schema": {…}}.', 'output_config.format');
  }
  if (!target.accepts.has('response_format')) {
    cannot('output_config.format');
    return {};
  }
  return { response_format: { type: 'json_schema', json_schema: { name: 'output', schema: format.schema, strict: true } } };
}

function toolFields(tools: unknown, choice: unknown): Record<string, unknown> {
  if (tools === undefined || tools === null) return {};
  if (!Array.isArray(tools)) throw badRequest('tools: must be an array.', 'tools');
  if (tools.length === 0) return {};
  const out: Record<string, unknown> = { tools: tools.map((tool: unknown, i) => toOpenAITool(tool, `tools.${i}`)) };
  if (choice === undefined || choice === null) return out;
  if (!isRecord(choice)) throw badRequest('tool_choice: must be an object.', 'tool_choice');
  switch (choice.type) {
    case 'auto':
      out.tool_choice = 'auto';
      break;
    case 'any':
      out.tool_choice = 'required';
      break;
    case 'none':
      out.tool_choice = 'none';
      break;
    case 'tool':
      if (typeof choice.name !== 'string') throw badRequest('tool_choice.name: Field required.', 'tool_choice.name');
      out.tool_choice = { type: 'function', function: { name: choice.name } };
      break;
    default:
      throw badRequest('tool_choice.type: must be one of auto, any, tool, none.', 'tool_choice.type');
  }
  if (choice.disable_parallel_tool_use === true && choice.type !== 'none') out.parallel_tool_calls = false;
  return out;
}

/**
 * Client tools (no type, or `custom`) become function tools. Anthropic's server and versioned tools
 * (web_search_…, bash_…, text_editor_…) run inside Anthropic's API, so no other provider can honour them.
 */
function toOpenAITool(tool: unknown, at: string): Record<string, unknown> {
  if (!isRecord(tool) || typeof tool.name !== 'string') throw badRequest(`${at}.name: Field required.`, `${at}.name`);
  if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
    throw badRequest(`${at}.type: the Anthropic tool \`${String(tool.type)}\` only runs on Anthropic; this model's provider is not Anthropic.`, `${at}.type`);
  }
  const fn: Record<string, unknown> = {
    name: tool.name,
    parameters: isRecord(tool.input_schema) ? tool.input_schema : { type: 'object', properties: {} },
  };
  if (typeof tool.description === 'string') fn.description = tool.description;
  // Strict tool use (the input must match the schema) is the same promise as OpenAI's strict functions.
  if (typeof tool.strict === 'boolean') fn.strict = tool.strict;
  return { type: 'function', function: fn };
}
