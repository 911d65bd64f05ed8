/**
 * Anthropic Messages API (POST /v1/messages, POST /v1/messages/count_tokens): the `message` object
 * and the named-event stream message_start → content_block_start → ping → content_block_delta… →
 * content_block_stop → message_delta → message_stop.
 *
 * Messages may have the roles user, assistant and system (newer models take system messages anywhere in the
 * conversation). With `thinking` enabled or adaptive the answer opens with a signed thinking block, streamed as
 * thinking_delta pieces and one signature_delta, as the API reference describes extended thinking.
 */
import { anthropicError } from './failures.ts';
import type { MockReply } from './http.ts';
import { sseFrame } from './http.ts';
import type { JsonObject } from './text.ts';
import { countTokens, echoAnswer, isObject, lastUserText, mockId, promptTokens, splitIntoPieces, truncateToTokens } from './text.ts';

/** cache_read_input_tokens reported when the request has a `cache_control` anywhere (else 0). */
export const MOCK_CACHE_READ_TOKENS = 1024;

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export type AnthropicBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** A thinking block as the API returns it: the reasoning and the signature that proves Anthropic wrote it. */
export interface AnthropicThinking {
  thinking: string;
  signature: string;
}

export interface AnthropicAnswer {
  model: string;
  block: AnthropicBlock;
  /** Present when the request turned thinking on: the block before `block`. */
  thinking?: AnthropicThinking;
  stopReason: 'end_turn' | 'max_tokens' | 'tool_use';
  usage: AnthropicUsage;
  id?: string;
}

/** A complete `message` object. */
export function anthropicMessage(answer: AnthropicAnswer): JsonObject {
  return {
    id: answer.id ?? mockId('msg_'),
    type: 'message',
    role: 'assistant',
    model: answer.model,
    content: answer.thinking ? [{ type: 'thinking', ...answer.thinking }, answer.block] : [answer.block],
    stop_reason: answer.stopReason,
    stop_sequence: null,
    usage: answer.usage,
  };
}

/** The SSE frames of a streamed message; `contentStart` is the index of the first content_block_delta. */
export function anthropicStreamEvents(answer: AnthropicAnswer): { frames: string[]; contentStart: number } {
  const { block } = answer;
  const start = { ...anthropicMessage(answer), content: [], stop_reason: null, usage: { ...answer.usage, output_tokens: 1 } };
  const emptyBlock = block.type === 'text' ? { type: 'text', text: '' } : { ...block, input: {} };
  const deltas =
    block.type === 'text'
      ? splitIntoPieces(block.text).map((text) => ({ type: 'text_delta', text }))
      : splitJson(JSON.stringify(block.input)).map((partial_json) => ({ type: 'input_json_delta', partial_json }));
  const blockFrames = (index: number, contentBlock: JsonObject, blockDeltas: JsonObject[], afterStart: string[] = []) => [
    sseFrame({ type: 'content_block_start', index, content_block: contentBlock }, 'content_block_start'),
    ...afterStart,
    ...blockDeltas.map((delta) => sseFrame({ type: 'content_block_delta', index, delta }, 'content_block_delta')),
    sseFrame({ type: 'content_block_stop', index }, 'content_block_stop'),
  ];
  const ping = sseFrame({ type: 'ping' }, 'ping');
  const thinking = answer.thinking;
  const content = thinking
    ? [
        ...blockFrames(
          0,
          { type: 'thinking', thinking: '', signature: '' },
          [
            ...splitIntoPieces(thinking.thinking).map((piece) => ({ type: 'thinking_delta', thinking: piece })),
            { type: 'signature_delta', signature: thinking.signature },
          ],
          [ping],
        ),
        ...blockFrames(1, emptyBlock, deltas),
      ]
    : blockFrames(0, emptyBlock, deltas, [ping]);
  const frames = [
    sseFrame({ type: 'message_start', message: start }, 'message_start'),
    ...content,
    sseFrame(
      { type: 'message_delta', delta: { stop_reason: answer.stopReason, stop_sequence: null }, usage: { output_tokens: answer.usage.output_tokens } },
      'message_delta',
    ),
    sseFrame({ type: 'message_stop' }, 'message_stop'),
  ];
  return { frames, contentStart: 3 };
}

/** Partial JSON in about three pieces, as input_json_delta sends it. */
function splitJson(json: string): string[] {
  const size = Math.max(1, Math.ceil(json.length / 3));
  const pieces: string[] = [];
  for (let i = 0; i < json.length; i += size) pieces.push(json.slice(i, i + size));
  return pieces;
}

/** The mock's deterministic thinking about a user text, and a signature derived from it. */
export function mockThinking(userText: string): AnthropicThinking {
  const thinking = `thinking about: ${userText}`;
  return { thinking, signature: `sig_${Buffer.from(thinking).toString('base64')}` };
}

/** thinking enabled (with a budget the API accepts) or adaptive: true; false when off; an error reply when invalid. */
function thinkingRequested(body: JsonObject): boolean | MockReply {
  const thinking = body.thinking;
  if (!isObject(thinking)) return false;
  if (thinking.type === 'adaptive') return true;
  if (thinking.type !== 'enabled') return false;
  const budget = thinking.budget_tokens;
  if (typeof budget !== 'number' || budget < 1024) return invalid('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
  const maxTokens = body.max_tokens;
  if (typeof maxTokens === 'number' && maxTokens <= budget) return invalid('`max_tokens` must be greater than `thinking.budget_tokens`.');
  return true;
}

const ROLES = new Set(['user', 'assistant', 'system']);

/**
 * Models Anthropic has retired (docs.anthropic.com/en/docs/about-claude/model-deprecations: Claude Instant 1.x and
 * Claude 2.x): the API answers 404 `not_found_error` "model: <name>" for them.
 */
export const RETIRED_ANTHROPIC_MODELS: ReadonlySet<string> = new Set(['claude-instant-1', 'claude-instant-1.2', 'claude-2', 'claude-2.0', 'claude-2.1']);

function invalid(message: string): MockReply {
  return { kind: 'json', status: 400, body: anthropicError('invalid_request_error', message) };
}

/** Did the last user turn carry a tool_result? Then the model answers in text (so agent loops end). */
function answersToolResult(messages: unknown[]): boolean {
  const last: unknown = messages[messages.length - 1];
  return isObject(last) && Array.isArray(last.content) && last.content.some((block) => isObject(block) && block.type === 'tool_result');
}

/** tool_choice auto/absent → first tool (unless answering a tool result); any → first; tool → named; none → text. */
function chooseTool(body: JsonObject, messages: unknown[]): string | undefined {
  const tools = body.tools;
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  const choice = isObject(body.tool_choice) ? body.tool_choice : { type: 'auto' };
  if (choice.type === 'none') return undefined;
  if (choice.type === 'tool' && typeof choice.name === 'string') return choice.name;
  if (choice.type !== 'any' && answersToolResult(messages)) return undefined;
  const first: unknown = tools[0];
  return isObject(first) && typeof first.name === 'string' ? first.name : undefined;
}

export function anthropicInputTokens(body: JsonObject): number {
  return promptTokens(body.messages, body.system);
}

export function anthropicMessagesReply(body: JsonObject, model: string): MockReply {
  if (typeof body.model !== 'string') return invalid('model: Field required');
  if (RETIRED_ANTHROPIC_MODELS.has(model)) return { kind: 'json', status: 404, body: anthropicError('not_found_error', `model: ${model}`) };
  if (typeof body.max_tokens !== 'number') return invalid('max_tokens: Field required');
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return invalid('messages: Field required');
  const badRole = messages.findIndex((m) => !isObject(m) || typeof m.role !== 'string' || !ROLES.has(m.role));
  if (badRole >= 0) return invalid(`messages.${badRole}.role: Input should be 'user', 'assistant' or 'system'`);
  const thinks = thinkingRequested(body);
  if (typeof thinks === 'object') return thinks;

  const cached = JSON.stringify(body).includes('"cache_control"');
  const usage = (output: number): AnthropicUsage => ({
    input_tokens: anthropicInputTokens(body),
    output_tokens: output,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached ? MOCK_CACHE_READ_TOKENS : 0,
  });
  const userText = lastUserText(messages);
  const tool = chooseTool(body, messages);
  let answer: AnthropicAnswer;
  if (tool !== undefined) {
    const input = { echo: userText };
    const block: AnthropicBlock = { type: 'tool_use', id: mockId('toolu_'), name: tool, input };
    answer = { model, block, stopReason: 'tool_use', usage: usage(countTokens(tool) + countTokens(JSON.stringify(input))) };
  } else {
    const { text, truncated } = truncateToTokens(echoAnswer(userText), body.max_tokens);
    answer = { model, block: { type: 'text', text }, stopReason: truncated ? 'max_tokens' : 'end_turn', usage: usage(countTokens(text)) };
  }
  if (thinks) {
    answer.thinking = mockThinking(userText);
    answer.usage.output_tokens += countTokens(answer.thinking.thinking);
  }
  if (body.stream === true) return { kind: 'stream', ...anthropicStreamEvents(answer) };
  return { kind: 'json', status: 200, body: anthropicMessage(answer) };
}

export function anthropicCountTokensReply(body: JsonObject): MockReply {
  if (!Array.isArray(body.messages)) return invalid('messages: Field required');
  return { kind: 'json', status: 200, body: { input_tokens: anthropicInputTokens(body) } };
}
