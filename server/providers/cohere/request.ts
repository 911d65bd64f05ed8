/**
 * OpenAI chat completion request → Cohere v2 Chat request (POST {api_base}/v2/chat).
 */
import { badRequest } from '../../core/errors.ts';
import { authHeaders } from '../auth.ts';
import { leaveOutUnsupported, unsupportedParamError } from '../request-params.ts';
import type { CallContext, Deployment, UpstreamRequest } from '../types.ts';
import { toCohereMessages } from './messages.ts';
import { ANSWER_NEUTRAL_FIELDS } from '../request-params.ts';
import { COHERE_REQUEST_PARAMS, NATIVE_PARAMS, RENAMED, TRANSLATED } from './params.ts';
import { PROVIDER_NAME, cohereUrl, isRecord } from './wire.ts';

export const COHERE_AUTH = { kind: 'bearer' } as const;

/** Embed- and rerank-only fields a deployment's defaults may carry; never part of a chat call. */
const OTHER_ENDPOINTS = new Set(['input_type', 'embedding_types', 'truncate']);

export function cohereHeaders(deployment: Deployment): Record<string, string> {
  // No Accept header: Cohere answers a stream as text/event-stream, anything else as JSON.
  const headers: Record<string, string> = { 'content-type': 'application/json', ...authHeaders(COHERE_AUTH, deployment) };
  for (const [name, value] of Object.entries(deployment.headers ?? {})) headers[name.toLowerCase()] = value;
  return headers;
}

export function buildCohereChatRequest(ctx: CallContext): UpstreamRequest {
  const { body, deployment } = ctx;
  const payload: Record<string, unknown> = { model: deployment.upstreamModel, messages: toCohereMessages(body.messages) };
  for (const [from, to] of Object.entries(RENAMED)) {
    if (body[from] !== undefined && body[from] !== null) payload[to] = body[from];
  }
  const maxTokens = body.max_tokens ?? body.max_completion_tokens;
  if (maxTokens !== undefined && maxTokens !== null) payload.max_tokens = maxTokens;
  const stop = stopSequences(body.stop);
  if (stop) payload.stop_sequences = stop;
  Object.assign(payload, toolParams(body, deployment), responseFormat(body.response_format, deployment));
  Object.assign(payload, passThrough(body, deployment));
  if (ctx.stream) payload.stream = true;
  return { url: cohereUrl(deployment.apiBase, '/v2/chat'), method: 'POST', headers: cohereHeaders(deployment), body: JSON.stringify(payload) };
}

/** Cohere's own fields and any other extra the client sent on purpose; unsupported OpenAI ones are refused or dropped. */
function passThrough(body: Record<string, unknown>, deployment: Deployment): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (TRANSLATED.has(key) || ANSWER_NEUTRAL_FIELDS.has(key) || OTHER_ENDPOINTS.has(key) || value === undefined) continue;
    if (leaveOutUnsupported(COHERE_REQUEST_PARAMS, PROVIDER_NAME, key, value, deployment)) continue;
    if ((NATIVE_PARAMS as readonly string[]).includes(key) || value !== null) extras[key] = value;
  }
  return extras;
}

function stopSequences(stop: unknown): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  const list = typeof stop === 'string' ? [stop] : stop;
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) throw badRequest('`stop` must be a string or an array of strings.', 'stop');
  return list.length > 0 ? (list as string[]) : undefined;
}

/** OpenAI tools are Cohere v2's shape already; tool_choice has only Cohere's REQUIRED and NONE. */
function toolParams(body: Record<string, unknown>, deployment: Deployment): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) throw badRequest('`tools` must be an array.', 'tools');
    const tools = body.tools.filter((tool: unknown, i) => {
      if (isRecord(tool) && tool.type === 'function' && isRecord(tool.function) && typeof tool.function.name === 'string') return true;
      if (deployment.dropParams) return false;
      throw unsupportedParamError(PROVIDER_NAME, `tools[${i}]`, deployment);
    });
    if (tools.length === 0) return {};
    out.tools = tools.map((tool) => {
      const fn = (tool as { function: Record<string, unknown> }).function;
      return {
        type: 'function',
        function: {
          name: fn.name,
          ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
          parameters: isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} },
        },
      };
    });
  }
  const choice = body.tool_choice;
  if (choice === undefined || choice === null || choice === 'auto' || out.tools === undefined) return out;
  if (choice === 'required') out.tool_choice = 'REQUIRED';
  else if (choice === 'none') out.tool_choice = 'NONE';
  else if (!deployment.dropParams) throw unsupportedParamError(PROVIDER_NAME, 'tool_choice', deployment);
  return out;
}

/** json_object as is; json_schema → Cohere's json_object with its `json_schema`; text is the default. */
function responseFormat(format: unknown, deployment: Deployment): Record<string, unknown> {
  if (format === undefined || format === null) return {};
  if (!isRecord(format) || format.type === 'text') return {};
  if (format.type === 'json_object') return { response_format: { type: 'json_object', ...(isRecord(format.schema) ? { json_schema: format.schema } : {}) } };
  if (format.type === 'json_schema' && isRecord(format.json_schema) && isRecord(format.json_schema.schema)) {
    return { response_format: { type: 'json_object', json_schema: format.json_schema.schema } };
  }
  if (deployment.dropParams) return {};
  throw unsupportedParamError(PROVIDER_NAME, 'response_format', deployment);
}
