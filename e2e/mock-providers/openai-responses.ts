/**
 * OpenAI's Responses API (POST /v1/responses; Azure's /openai/v1/responses and /openai/responses?api-version=),
 * written from OpenAI's API reference: the `response` object, and with `stream: true` the typed server-sent
 * events (`event: response.created` + `data: {…, "sequence_number": n}` … `response.completed`).
 *
 * Same deterministic "model" as the chat mock: `echo: <last user text>`; with function tools, one
 * function_call whose arguments are `{"echo":"<last user text>"}`; right after a function_call_output,
 * `echo: <its output>` (unless a tool is forced), so agent loops end. Stateless, like `store: false`:
 * a `previous_response_id` is refused as unknown (the gateway must send the whole conversation itself).
 */
import { openaiError } from './failures.ts';
import type { MockReply } from './http.ts';
import { sseFrame } from './http.ts';
import type { JsonObject } from './text.ts';
import { contentText, countTokens, echoAnswer, isObject, mockId, splitIntoPieces, truncateToTokens, unixSeconds } from './text.ts';

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export function responsesUsage(inputTokens: number, outputTokens: number): ResponsesUsage {
  return {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: inputTokens + outputTokens,
  };
}

/** The request's input as items: a string input is one user message. */
export function responsesInputItems(input: unknown): JsonObject[] {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  return Array.isArray(input) ? input.filter(isObject) : [];
}

/** What an item says, as text: message content, a tool call's arguments, a tool result's output. */
function itemText(item: JsonObject): string {
  if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') return contentText(item.output);
  if (item.type === 'function_call') return typeof item.arguments === 'string' ? item.arguments : '';
  return contentText(item.content);
}

function isMessage(item: JsonObject): boolean {
  return item.type === 'message' || (item.type === undefined && typeof item.role === 'string');
}

function lastUserItemText(items: JsonObject[]): string {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (isMessage(item) && item.role === 'user') return itemText(item);
  }
  return '';
}

/** Function tools only: built-in tools (web_search, file_search, …) are accepted and never called. */
function functionToolName(tool: unknown): string | undefined {
  return isObject(tool) && tool.type === 'function' && typeof tool.name === 'string' ? tool.name : undefined;
}

function chooseTool(body: JsonObject, afterToolResult: boolean): string | undefined {
  const names = (Array.isArray(body.tools) ? body.tools : []).map(functionToolName).filter((n): n is string => n !== undefined);
  const choice = body.tool_choice;
  if (names.length === 0 || choice === 'none') return undefined;
  if (isObject(choice) && choice.type === 'function' && typeof choice.name === 'string') return choice.name;
  if (afterToolResult && choice !== 'required') return undefined;
  return names[0];
}

export interface ResponsesAnswer {
  model: string;
  /** Text answer, or undefined when the answer is a function call. */
  text?: string;
  functionCall?: { name: string; arguments: string };
  /** Cut by max_output_tokens: status `incomplete`. */
  truncated: boolean;
  usage?: ResponsesUsage;
}

/** The answer the mock gives to a request body (model already the deployment's). */
export function responsesAnswer(body: JsonObject, model: string): ResponsesAnswer {
  const items = responsesInputItems(body.input);
  const last = items[items.length - 1];
  const afterToolResult = last !== undefined && (last.type === 'function_call_output' || last.type === 'custom_tool_call_output');
  const sourceText = afterToolResult ? itemText(last) : lastUserItemText(items);
  const instructions = typeof body.instructions === 'string' ? body.instructions : '';
  const inputTokens = Math.max(1, countTokens(instructions) + items.reduce((sum, item) => sum + countTokens(itemText(item)), 0));
  const tool = chooseTool(body, afterToolResult);
  if (tool !== undefined) {
    const args = JSON.stringify({ echo: sourceText });
    return {
      model,
      functionCall: { name: tool, arguments: args },
      truncated: false,
      usage: responsesUsage(inputTokens, countTokens(tool) + countTokens(args)),
    };
  }
  const { text, truncated } = truncateToTokens(echoAnswer(sourceText), body.max_output_tokens);
  return { model, text, truncated, usage: responsesUsage(inputTokens, countTokens(text)) };
}

interface Ids {
  response: string;
  item: string;
  callId: string;
  createdAt: number;
}

function outputItems(answer: ResponsesAnswer, ids: Ids, status: 'completed' | 'incomplete'): JsonObject[] {
  if (answer.functionCall) {
    return [
      {
        id: ids.item,
        type: 'function_call',
        status: 'completed',
        arguments: answer.functionCall.arguments,
        call_id: ids.callId,
        name: answer.functionCall.name,
      },
    ];
  }
  const part = { type: 'output_text', text: answer.text ?? '', annotations: [], logprobs: [] };
  return [{ id: ids.item, type: 'message', status, role: 'assistant', content: [part] }];
}

/** A `response` object with the request's settings echoed back, as OpenAI answers them. */
function responseObject(body: JsonObject, answer: ResponsesAnswer, ids: Ids, state: 'in_progress' | 'done'): JsonObject {
  const status = state === 'in_progress' ? 'in_progress' : answer.truncated ? 'incomplete' : 'completed';
  const response: JsonObject = {
    id: ids.response,
    object: 'response',
    created_at: ids.createdAt,
    status,
    background: false,
    completed_at: status === 'completed' ? unixSeconds() : null,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    max_tool_calls: body.max_tool_calls ?? null,
    model: answer.model,
    output: state === 'in_progress' ? [] : outputItems(answer, ids, status === 'incomplete' ? 'incomplete' : 'completed'),
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_logprobs: body.top_logprobs ?? 0,
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
    metadata: body.metadata ?? {},
  };
  if (typeof body.user === 'string') response.user = body.user;
  if (state === 'done' && answer.usage) response.usage = answer.usage;
  return response;
}

/** A complete `response` object (what POST /v1/responses answers without stream). */
export function openaiResponse(body: JsonObject, answer: ResponsesAnswer): JsonObject {
  return responseObject(body, answer, newIds(), 'done');
}

function newIds(): Ids {
  return { response: mockId('resp_'), item: mockId('msg_'), callId: mockId('call_'), createdAt: unixSeconds() };
}

/** Split into about three pieces (JSON arguments have no spaces to split on). */
function splitEvenly(text: string, parts = 3): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces.length > 0 ? pieces : [''];
}

/**
 * The typed events of a streamed response: response.created, response.in_progress, output_item.added,
 * (content_part.added, output_text.delta…, output_text.done, content_part.done | function_call_arguments.delta…,
 * function_call_arguments.done), output_item.done, then response.completed (response.incomplete when cut).
 * `contentStart` is the index of the first delta frame.
 */
export function openaiResponseEvents(body: JsonObject, answer: ResponsesAnswer): { frames: string[]; contentStart: number } {
  const ids = newIds();
  if (answer.functionCall) ids.item = mockId('fc_');
  let sequence = 0;
  const frames: string[] = [];
  const emit = (type: string, fields: JsonObject) => frames.push(sseFrame({ type, ...fields, sequence_number: sequence++ }, type));
  const started = responseObject(body, answer, ids, 'in_progress');
  const done = responseObject(body, answer, ids, 'done');
  const [finalItem] = done.output as JsonObject[];
  emit('response.created', { response: started });
  emit('response.in_progress', { response: started });
  const item = { item_id: ids.item, output_index: 0 };
  let contentStart: number;
  if (answer.functionCall) {
    emit('response.output_item.added', { output_index: 0, item: { ...finalItem, status: 'in_progress', arguments: '' } });
    contentStart = frames.length;
    for (const piece of splitEvenly(answer.functionCall.arguments)) emit('response.function_call_arguments.delta', { ...item, delta: piece });
    emit('response.function_call_arguments.done', { ...item, name: answer.functionCall.name, arguments: answer.functionCall.arguments });
  } else {
    const text = answer.text ?? '';
    emit('response.output_item.added', { output_index: 0, item: { ...finalItem, status: 'in_progress', content: [] } });
    const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
    emit('response.content_part.added', { ...item, content_index: 0, part });
    contentStart = frames.length;
    for (const piece of splitIntoPieces(text)) emit('response.output_text.delta', { ...item, content_index: 0, delta: piece, logprobs: [] });
    emit('response.output_text.done', { ...item, content_index: 0, text, logprobs: [] });
    emit('response.content_part.done', { ...item, content_index: 0, part: { ...part, text } });
  }
  emit('response.output_item.done', { output_index: 0, item: finalItem });
  emit(done.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: done });
  return { frames, contentStart };
}

/** Answers a Responses request body (model already the deployment's for Azure). */
export function openaiResponsesReply(body: JsonObject, model: string, options: { noUsage?: boolean } = {}): MockReply {
  if (body.input === undefined) {
    const error = openaiError("Missing required parameter: 'input'.", 'invalid_request_error', 'missing_required_parameter', 'input');
    return { kind: 'json', status: 400, body: error };
  }
  // Nothing is kept here, so no earlier response can be continued.
  if (typeof body.previous_response_id === 'string') {
    const error = openaiError(
      `Previous response with id '${body.previous_response_id}' not found.`,
      'invalid_request_error',
      'previous_response_not_found',
      'previous_response_id',
    );
    return { kind: 'json', status: 400, body: error };
  }
  const answer = responsesAnswer(body, model);
  if (options.noUsage) delete answer.usage;
  if (body.stream !== true) return { kind: 'json', status: 200, body: openaiResponse(body, answer) };
  return { kind: 'stream', ...openaiResponseEvents(body, answer) };
}

/** The in-band failure of `echo-key-mid-stream` on a Responses stream: an `error` event quoting the credential. */
export function responsesStreamError(presented: string): string {
  const key = presented.replace(/^Bearer\s+/i, '');
  const event = {
    type: 'error',
    code: 'server_error',
    message: `The server had an error while serving Bearer ${key} mid-stream`,
    param: null,
    sequence_number: 99,
  };
  return sseFrame(event, 'error');
}
