/**
 * An OpenAI `chat.completion` (from any provider, after its adapter) → a Responses API `Response`.
 *
 * Output order follows the API's: a `reasoning` item (the chat message's `reasoning_content` as one
 * summary_text part; Anthropic's signed thinking blocks in its encrypted_content, see reasoning-replay.ts), then the assistant `message` item, then one `function_call` item per tool call.
 * A message item is left out only when the answer is nothing but tool calls. A call of a custom tool is a
 * custom_tool_call item (tool-catalog.ts).
 */
import { GatewayError } from '../../../core/errors.ts';
import type { Usage } from '../../types.ts';
import { encodeThinkingBlocks } from './reasoning-replay.ts';
import { type CatalogTool, customInputOf, ToolCatalog } from './tool-catalog.ts';
import { type ResponseContext, type ResponseState, responseObject } from './response-object.ts';
import { responsesUsageFrom } from './usage.ts';
import { type Item, type ResponseObject, isRecord, newId } from './wire.ts';

export type { ResponseContext } from './response-object.ts';
export { responsesUsageFrom, usageFromResponses } from './usage.ts';

export function responseFromChat(chat: Record<string, unknown>, ctx: ResponseContext): ResponseObject {
  const choice: unknown = Array.isArray(chat.choices) ? chat.choices[0] : undefined;
  if (!isRecord(choice) || !isRecord(choice.message)) {
    throw new GatewayError(502, 'The upstream answered without a choice to translate into a response.', { code: 'upstream_invalid_response' });
  }
  const message = choice.message;
  const ending = endingOf(choice.finish_reason);
  const itemStatus = ending.status === 'incomplete' ? 'incomplete' : 'completed';
  const output: Item[] = [];
  // `reasoning_content` (DeepSeek, the gateway's adapters) or `reasoning` (vLLM, OpenRouter); Anthropic's signed
  // thinking as `thinking_blocks`, kept in encrypted_content so the next turn can send it back.
  const reasoning = typeof message.reasoning_content === 'string' ? message.reasoning_content : typeof message.reasoning === 'string' ? message.reasoning : '';
  const encrypted = encodeThinkingBlocks(message.thinking_blocks);
  if (reasoning !== '' || encrypted !== undefined) output.push(reasoningItem(newId('rs'), reasoning, encrypted));
  const toolCalls = Array.isArray(message.tool_calls) ? message.tool_calls.filter(isRecord) : [];
  const text = typeof message.content === 'string' ? message.content : '';
  const refusal = typeof message.refusal === 'string' && message.refusal !== '' ? message.refusal : undefined;
  if (text !== '' || refusal !== undefined || toolCalls.length === 0) output.push(messageItem(newId('msg'), { text, refusal }, itemStatus));
  const catalog = catalogFor(ctx);
  for (const call of toolCalls) {
    const fn = isRecord(call.function) ? call.function : {};
    const callId = typeof call.id === 'string' && call.id !== '' ? call.id : newId('call');
    const tool = catalog.byChatName(String(fn.name ?? ''));
    const args = typeof fn.arguments === 'string' ? fn.arguments : '{}';
    output.push(toolCallItem(newId(tool?.kind === 'custom' ? 'ctc' : 'fc'), callId, tool, String(fn.name ?? ''), args, itemStatus));
  }
  const usage = isRecord(chat.usage) ? responsesUsageFrom(chat.usage as unknown as Usage) : undefined;
  return responseObject(ctx, { ...ending, output, usage });
}

/** A chat finish_reason → the Response's status: `length` and `content_filter` end it incomplete. */
export function endingOf(finishReason: unknown): Pick<ResponseState, 'status' | 'incompleteReason'> {
  if (finishReason === 'length') return { status: 'incomplete', incompleteReason: 'max_output_tokens' };
  if (finishReason === 'content_filter') return { status: 'incomplete', incompleteReason: 'content_filter' };
  return { status: 'completed' };
}

export function outputTextPart(text: string): Item {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

/** An assistant message item: its text as one output_text part, or a refusal part when the model refused. */
export function messageItem(id: string, content: { text: string; refusal?: string | undefined }, status: string): Item {
  const parts: Item[] = [];
  if (content.text !== '' || content.refusal === undefined) parts.push(outputTextPart(content.text));
  if (content.refusal !== undefined) parts.push({ type: 'refusal', refusal: content.refusal });
  return { id, type: 'message', status, role: 'assistant', content: parts };
}

export function functionCallItem(id: string, callId: string, name: string, args: string, status: string): Item {
  return { id, type: 'function_call', status, arguments: args, call_id: callId, name };
}

/** The tools of the request an answer is for: its `tools`, and the additional_tools items of its input and history. */
export function catalogFor(ctx: ResponseContext): ToolCatalog {
  const input = Array.isArray(ctx.request.input) ? ctx.request.input.filter(isRecord) : [];
  return ToolCatalog.from(ctx.request.tools, [...(ctx.history ?? []), ...input]);
}

/**
 * A chat tool call as the output item of the tool it names: a custom tool's call is a custom_tool_call with the
 * input unwrapped; a function's is a function_call under the function's own name (and namespace). A name the
 * request never offered stays a function_call as the model wrote it.
 */
export function toolCallItem(id: string, callId: string, tool: CatalogTool | undefined, chatName: string, args: string, status: string): Item {
  const namespace = tool?.namespace ? { namespace: tool.namespace } : {};
  if (tool?.kind === 'custom') return { id, type: 'custom_tool_call', status, call_id: callId, name: tool.name, input: customInputOf(args), ...namespace };
  return { ...functionCallItem(id, callId, tool?.name ?? chatName, args, status), ...namespace };
}

/** A reasoning item: its text as one summary_text part (none when empty), and the provider's replayable reasoning. */
export function reasoningItem(id: string, summary: string, encryptedContent?: string): Item {
  return {
    id,
    type: 'reasoning',
    summary: summary === '' ? [] : [{ type: 'summary_text', text: summary }],
    ...(encryptedContent === undefined ? {} : { encrypted_content: encryptedContent }),
  };
}
