/**
 * A streamed answer put back together, so a streamed miss fills the cache too: chat chunks → `chat.completion`
 * (text fields concatenated, tool call arguments concatenated by index, finish_reason, usage), text_completion
 * chunks → `text_completion`. An answer that did not finish (a choice without finish_reason, an error event)
 * assembles to undefined and is never stored.
 */
import type { OpenAIChunk } from '../providers/types.ts';
import { TEXT_FIELDS, type StreamEndpoint } from './replay.ts';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface ToolCall {
  id?: unknown;
  type?: unknown;
  name?: string;
  arguments: string;
  extras: Json;
}

interface ChoiceState {
  index: number;
  text: Partial<Record<string, string>>;
  fields: Json;
  toolCalls: Map<number, ToolCall>;
  functionCall?: { name?: string; arguments: string };
  /** Chat: concatenated logprob arrays by field; completions: the same for tokens, token_logprobs, … */
  logprobs?: Record<string, unknown[]>;
  finishReason: unknown;
}

function choiceState(choices: Map<number, ChoiceState>, index: number): ChoiceState {
  let state = choices.get(index);
  if (!state) {
    state = { index, text: {}, fields: {}, toolCalls: new Map(), finishReason: null };
    choices.set(index, state);
  }
  return state;
}

function appendLogprobs(state: ChoiceState, logprobs: unknown): void {
  if (!isRecord(logprobs)) return;
  state.logprobs ??= {};
  for (const [field, items] of Object.entries(logprobs)) {
    if (Array.isArray(items)) state.logprobs[field] = [...(state.logprobs[field] ?? []), ...items];
    else state.logprobs[field] ??= [];
  }
}

function appendToolCalls(state: ChoiceState, calls: unknown): void {
  if (!Array.isArray(calls)) return;
  for (const [position, call] of calls.entries()) {
    if (!isRecord(call)) continue;
    const index = typeof call.index === 'number' ? call.index : position;
    const fn = isRecord(call.function) ? call.function : {};
    const known = state.toolCalls.get(index) ?? { arguments: '', extras: {} };
    if (known.id === undefined && call.id !== undefined && call.id !== null) known.id = call.id;
    if (known.type === undefined && typeof call.type === 'string') known.type = call.type;
    if (known.name === undefined && typeof fn.name === 'string' && fn.name !== '') known.name = fn.name;
    if (typeof fn.arguments === 'string') known.arguments += fn.arguments;
    for (const [field, value] of Object.entries(call)) if (!['index', 'id', 'type', 'function'].includes(field) && value !== null) known.extras[field] = value;
    state.toolCalls.set(index, known);
  }
}

function applyChatDelta(state: ChoiceState, delta: Json): void {
  for (const [field, value] of Object.entries(delta)) {
    if ((TEXT_FIELDS as readonly string[]).includes(field)) {
      if (typeof value === 'string') state.text[field] = (state.text[field] ?? '') + value;
    } else if (field === 'tool_calls') appendToolCalls(state, value);
    else if (field === 'function_call' && isRecord(value)) {
      state.functionCall ??= { arguments: '' };
      const call = state.functionCall;
      if (call.name === undefined && typeof value.name === 'string') call.name = value.name;
      if (typeof value.arguments === 'string') call.arguments += value.arguments;
    } else if (value !== null && value !== undefined) state.fields[field] = value;
  }
}

function chatMessage(state: ChoiceState): Json {
  const { role, ...fields } = state.fields;
  const message: Json = { role: typeof role === 'string' ? role : 'assistant', content: state.text.content ?? null, refusal: state.text.refusal ?? null };
  if (state.text.reasoning_content !== undefined) message.reasoning_content = state.text.reasoning_content;
  Object.assign(message, fields);
  if (state.toolCalls.size > 0) {
    message.tool_calls = [...state.toolCalls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call]) => ({ ...call.extras, id: call.id, type: call.type ?? 'function', function: { name: call.name ?? '', arguments: call.arguments } }));
  }
  if (state.functionCall) message.function_call = { name: state.functionCall.name ?? '', arguments: state.functionCall.arguments };
  return message;
}

function chatLogprobs(state: ChoiceState): Json | null {
  if (!state.logprobs) return null;
  const out: Json = { content: null, refusal: null };
  for (const [field, items] of Object.entries(state.logprobs)) out[field] = items.length > 0 ? items : null;
  return out;
}

/** The complete answer the chunks of one stream add up to, or undefined when it is not complete. */
export function assembleAnswer(endpoint: StreamEndpoint, chunks: readonly OpenAIChunk[]): Record<string, unknown> | undefined {
  const choices = new Map<number, ChoiceState>();
  let header: Json | undefined;
  let usage: unknown;
  for (const chunk of chunks) {
    if (!isRecord(chunk) || chunk.error !== undefined) return undefined;
    header ??= chunk;
    if (isRecord(chunk.usage)) usage = chunk.usage;
    for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
      if (!isRecord(choice)) continue;
      const state = choiceState(choices, typeof choice.index === 'number' ? choice.index : 0);
      if (endpoint === 'chat' && isRecord(choice.delta)) applyChatDelta(state, choice.delta);
      if (endpoint === 'completions' && typeof choice.text === 'string') state.text.text = (state.text.text ?? '') + choice.text;
      appendLogprobs(state, choice.logprobs);
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) state.finishReason = choice.finish_reason;
    }
  }
  if (!header || choices.size === 0) return undefined;
  const ordered = [...choices.values()].sort((a, b) => a.index - b.index);
  if (ordered.some((state) => typeof state.finishReason !== 'string')) return undefined;
  const base: Json = {
    id: header.id,
    object: endpoint === 'chat' ? 'chat.completion' : 'text_completion',
    created: header.created,
    model: header.model,
    ...(typeof header.system_fingerprint === 'string' ? { system_fingerprint: header.system_fingerprint } : {}),
    ...(typeof header.service_tier === 'string' ? { service_tier: header.service_tier } : {}),
  };
  const out =
    endpoint === 'chat'
      ? ordered.map((state) => ({ index: state.index, message: chatMessage(state), logprobs: chatLogprobs(state), finish_reason: state.finishReason }))
      : ordered.map((state) => ({ text: state.text.text ?? '', index: state.index, logprobs: state.logprobs ?? null, finish_reason: state.finishReason }));
  return { ...base, choices: out, ...(isRecord(usage) ? { usage } : {}) };
}
