/**
 * OpenAI Chat Completions (POST /v1/chat/completions), also served for Azure deployments: the
 * `chat.completion` object, and the `chat.completion.chunk` SSE stream with optional usage chunk.
 */
import { openaiError } from './failures.ts';
import type { MockReply } from './http.ts';
import { sseFrame } from './http.ts';
import type { JsonObject } from './text.ts';
import { contentText, countTokens, echoAnswer, isObject, lastUserText, mockId, promptTokens, splitIntoPieces, truncateToTokens, unixSeconds } from './text.ts';

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
}

export function openaiUsage(promptTokenCount: number, completionTokenCount: number): OpenAIUsage {
  return {
    prompt_tokens: promptTokenCount,
    completion_tokens: completionTokenCount,
    total_tokens: promptTokenCount + completionTokenCount,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ChatAnswer {
  model: string;
  /** Text answer (null when the answer is a tool call). */
  content: string | null;
  toolCall?: ToolCall;
  /** Reasoning text, sent as `reasoning_content` (LiteLLM's, DeepSeek's and vLLM's field) before the answer. */
  reasoning?: string;
  finishReason: 'stop' | 'length' | 'tool_calls';
  usage: OpenAIUsage;
  id?: string;
  created?: number;
}

/** A complete `chat.completion` object. */
export function openaiChatCompletion(answer: ChatAnswer): JsonObject {
  const message: JsonObject = { role: 'assistant', content: answer.content, refusal: null, annotations: [] };
  if (answer.reasoning !== undefined) message.reasoning_content = answer.reasoning;
  if (answer.toolCall) {
    message.tool_calls = [{ id: answer.toolCall.id, type: 'function', function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments } }];
  }
  return {
    id: answer.id ?? mockId('chatcmpl-'),
    object: 'chat.completion',
    created: answer.created ?? unixSeconds(),
    model: answer.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finishReason }],
    usage: answer.usage,
    service_tier: 'default',
    system_fingerprint: 'fp_mock',
  };
}

/** Split into about three pieces (JSON arguments have no spaces to split on). */
function splitEvenly(text: string, parts = 3): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces.length > 0 ? pieces : [''];
}

/**
 * The SSE frames of a streamed chat completion: role chunk, content (or tool-call) chunks, finish
 * chunk, then — only with include_usage — a `choices: []` usage chunk (every other chunk then carries
 * `"usage": null`), then `data: [DONE]`. `contentStart` is the index of the first content frame.
 */
export function openaiChatChunks(answer: ChatAnswer, includeUsage: boolean): { frames: string[]; contentStart: number } {
  const id = answer.id ?? mockId('chatcmpl-');
  const created = answer.created ?? unixSeconds();
  const chunk = (choices: unknown[], usage?: OpenAIUsage): string => {
    const body: JsonObject = {
      id,
      object: 'chat.completion.chunk',
      created,
      model: answer.model,
      service_tier: 'default',
      system_fingerprint: 'fp_mock',
      choices,
    };
    if (includeUsage) body.usage = usage ?? null;
    return sseFrame(body);
  };
  const choice = (delta: JsonObject, finishReason: string | null = null) => ({ index: 0, delta, logprobs: null, finish_reason: finishReason });

  const frames = [chunk([choice({ role: 'assistant', content: answer.toolCall ? null : '', refusal: null })])];
  for (const piece of answer.reasoning === undefined ? [] : splitIntoPieces(answer.reasoning)) frames.push(chunk([choice({ reasoning_content: piece })]));
  if (answer.toolCall) {
    const { id: callId, name, arguments: args } = answer.toolCall;
    frames.push(chunk([choice({ tool_calls: [{ index: 0, id: callId, type: 'function', function: { name, arguments: '' } }] })]));
    for (const piece of splitEvenly(args)) frames.push(chunk([choice({ tool_calls: [{ index: 0, function: { arguments: piece } }] })]));
  } else {
    for (const piece of splitIntoPieces(answer.content ?? '')) frames.push(chunk([choice({ content: piece })]));
  }
  frames.push(chunk([choice({}, answer.finishReason)]));
  if (includeUsage) frames.push(chunk([], answer.usage));
  frames.push('data: [DONE]\n\n');
  return { frames, contentStart: 1 };
}

function toolName(tool: unknown): string | undefined {
  if (!isObject(tool)) return undefined;
  for (const key of ['function', 'custom'] as const) {
    const inner = tool[key];
    if (isObject(inner) && typeof inner.name === 'string') return inner.name;
  }
  return typeof tool.name === 'string' ? tool.name : undefined;
}

/**
 * Which tool the mock calls, if any: none without tools or with tool_choice 'none'; the named tool
 * when forced; else the first tool — except right after a tool result (so agent loops end), unless
 * tool_choice is 'required'.
 */
function chooseTool(body: JsonObject, lastRole: unknown): string | undefined {
  const tools = body.tools;
  const choice = body.tool_choice;
  if (!Array.isArray(tools) || tools.length === 0 || choice === 'none') return undefined;
  if (isObject(choice)) {
    const forced = toolName(choice);
    if (forced !== undefined) return forced;
  }
  if (lastRole === 'tool' && choice !== 'required') return undefined;
  return toolName(tools[0]);
}

/** Answer a chat completion request body (model already replaced by the deployment name for Azure). */
export function openaiChatReply(body: JsonObject, model: string): MockReply {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    const error = openaiError("Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter', 'messages');
    return { kind: 'json', status: 400, body: error };
  }
  const last: unknown = messages[messages.length - 1];
  const lastRole = isObject(last) ? last.role : undefined;
  // After a tool result, echo the tool's output: it is what the client just sent.
  const sourceText = lastRole === 'tool' && isObject(last) ? contentText(last.content) : lastUserText(messages);
  const prompt = promptTokens(messages);
  const tool = chooseTool(body, lastRole);

  let answer: ChatAnswer;
  if (tool !== undefined) {
    const args = JSON.stringify({ echo: sourceText });
    answer = {
      model,
      content: null,
      toolCall: { id: mockId('call_'), name: tool, arguments: args },
      finishReason: 'tool_calls',
      usage: openaiUsage(prompt, countTokens(tool) + countTokens(args)),
    };
  } else {
    const { text, truncated } = truncateToTokens(echoAnswer(sourceText), body.max_completion_tokens ?? body.max_tokens);
    answer = { model, content: text, finishReason: truncated ? 'length' : 'stop', usage: openaiUsage(prompt, countTokens(text)) };
  }
  if (typeof body.reasoning_effort === 'string' && body.reasoning_effort !== 'none') withReasoning(answer, `thinking about: ${sourceText}`);
  if (body.stream !== true) return { kind: 'json', status: 200, body: openaiChatCompletion(answer) };
  const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
  return { kind: 'stream', ...openaiChatChunks(answer, includeUsage) };
}

/** A request with `reasoning_effort` gets reasoning first; its tokens are completion tokens, as OpenAI bills them. */
function withReasoning(answer: ChatAnswer, reasoning: string): void {
  const tokens = countTokens(reasoning);
  answer.reasoning = reasoning;
  answer.usage.completion_tokens += tokens;
  answer.usage.total_tokens += tokens;
  answer.usage.completion_tokens_details.reasoning_tokens = tokens;
}
