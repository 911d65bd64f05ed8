/**
 * Conversation items (items.ts shapes) → OpenAI chat `messages`.
 *
 * - developer and system messages become `system` messages; user content parts become chat parts
 *   (input_text → text, input_image → image_url, input_file with file_data → file). Parts that point at
 *   OpenAI's file storage (file_id, file_url) cannot reach another provider: 400.
 * - An assistant message becomes one assistant message whose content is its output_text, with refusal parts
 *   kept as text so the history reads as it happened.
 * - function_call and custom_tool_call items become `tool_calls` of an assistant message (named as the tool
 *   catalog names them in chat; a custom call's input as `{"input": …}`): appended to the assistant message
 *   just before them (text then calls is one chat turn), else one new assistant message per run of calls.
 * - function_call_output and custom_tool_call_output items become `tool` messages. Chat tool messages carry
 *   text only, so images in an output follow the run of tool messages as one user message.
 * - reasoning items carry no text into the chat: chat providers do not take earlier reasoning back (DeepSeek
 *   rejects `reasoning_content` in input messages), so the summary would help none and break some. What a
 *   provider does need back — Anthropic's signed thinking, kept in the item's encrypted_content by the gateway
 *   (reasoning-replay.ts) — becomes `thinking_blocks` on the assistant message that follows the item, as
 *   LiteLLM sends it; OpenAI's own encrypted reasoning is readable only by OpenAI and is dropped.
 * - additional_tools items only offer tools (tool-catalog.ts). Every other item type — hosted-tool calls and
 *   their results (web_search_call, local_shell_call, …), compaction — was made and is read by OpenAI's
 *   service only, and is left out.
 */
import { badRequest } from '../../../core/errors.ts';
import { decodeThinkingBlocks } from './reasoning-replay.ts';
import { ToolCatalog } from './tool-catalog.ts';
import { HOSTED_ONLY, type Item, isRecord, paramPath } from './wire.ts';

export type ChatMessage = Record<string, unknown>;
type ChatPart = Record<string, unknown>;

/**
 * `historyLength` items at the start came from the stored chain: an error in one of them names
 * `previous_response_id`; an error in the rest names `input[i]` counted from the first item of this request.
 */
export function chatMessagesOf(items: readonly Item[], historyLength = 0, catalog = ToolCatalog.from(undefined, items)): ChatMessage[] {
  const messages: ChatMessage[] = [];
  let pendingImages: ChatPart[] = [];
  /** Thinking blocks of reasoning items, for the next assistant message (dropped if a user or tool turn comes first). */
  let pendingThinking: Record<string, unknown>[] = [];
  const startAssistant = (message: ChatMessage) => {
    if (pendingThinking.length > 0) message.thinking_blocks = pendingThinking;
    pendingThinking = [];
    messages.push(message);
  };
  const flushImages = () => {
    if (pendingImages.length > 0) messages.push({ role: 'user', content: pendingImages });
    pendingImages = [];
  };
  items.forEach((item, i) => {
    const at = i < historyLength ? 'previous_response_id' : `input[${i - historyLength}]`;
    if (item.type !== 'function_call_output') flushImages();
    if (item.type === 'message' ? item.role !== 'assistant' : OUTPUTS.has(String(item.type))) pendingThinking = [];
    switch (item.type) {
      case 'message':
        if (item.role === 'assistant') startAssistant(message(item, at));
        else messages.push(message(item, at));
        break;
      case 'function_call':
        addToolCall(
          messages,
          chatCall(item.call_id, catalog.chatNameOf(String(item.name), item.namespace), item.arguments),
          pendingThinking.length > 0,
          startAssistant,
        );
        break;
      case 'custom_tool_call': {
        const args = JSON.stringify({ input: typeof item.input === 'string' ? item.input : '' });
        addToolCall(messages, chatCall(item.call_id, catalog.chatNameOf(String(item.name), item.namespace), args), pendingThinking.length > 0, startAssistant);
        break;
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const { content, images } = toolOutput(item.output, paramPath(at, 'output'));
        messages.push({ role: 'tool', tool_call_id: item.call_id, content });
        pendingImages.push(...images);
        break;
      }
      case 'reasoning':
        pendingThinking.push(...decodeThinkingBlocks(item.encrypted_content));
        break;
      default:
        break;
    }
  });
  flushImages();
  return messages;
}

function message(item: Item, at: string): ChatMessage {
  const parts = Array.isArray(item.content) ? item.content.filter(isRecord) : [];
  const contentAt = paramPath(at, 'content');
  switch (item.role) {
    case 'assistant':
      return { role: 'assistant', content: parts.map((part) => (part.type === 'refusal' ? part.refusal : part.text)).join('') };
    case 'system':
    case 'developer':
      return { role: 'system', content: collapse(parts.map((part, j) => systemPart(part, paramPath(contentAt, j)))) };
    default:
      return { role: 'user', content: collapse(parts.map((part, j) => userPart(part, paramPath(contentAt, j)))) };
  }
}

/**
 * A function_call joins the assistant message just before it — unless reasoning came in between: then it starts a
 * new assistant message carrying that reasoning's thinking blocks, so a provider that merges consecutive assistant
 * messages (Anthropic) sees text, thinking and tool use in the order they were answered.
 */
/** Results of tool calls: a user-side turn, so reasoning before them has no assistant message to go with. */
const OUTPUTS = new Set(['function_call_output', 'custom_tool_call_output']);

function chatCall(callId: unknown, name: string, args: unknown): Record<string, unknown> {
  return { id: callId, type: 'function', function: { name, arguments: args } };
}

function addToolCall(messages: ChatMessage[], call: Record<string, unknown>, thinkingPending: boolean, startAssistant: (message: ChatMessage) => void): void {
  const last = messages.at(-1);
  if (last?.role === 'assistant' && !thinkingPending) {
    last.tool_calls = [...(Array.isArray(last.tool_calls) ? last.tool_calls : []), call];
    if (last.content === '') last.content = null;
    return;
  }
  startAssistant({ role: 'assistant', content: null, tool_calls: [call] });
}

/** One text part is sent as a plain string: every chat server takes that, not all take part arrays. */
function collapse(parts: ChatPart[]): string | ChatPart[] {
  if (parts.length === 1 && parts[0]?.type === 'text') return String(parts[0].text);
  if (parts.length === 0) return '';
  return parts;
}

function systemPart(part: Item, at: string): ChatPart {
  if (part.type !== 'input_text') throw badRequest(`Invalid value for '${at}.type': system and developer messages take input_text parts only.`, `${at}.type`);
  return { type: 'text', text: part.text };
}

function userPart(part: Item, at: string): ChatPart {
  switch (part.type) {
    case 'input_text':
      return { type: 'text', text: part.text };
    case 'input_image':
      return imagePart(part, at);
    case 'input_file':
      if (typeof part.file_data === 'string') {
        return { type: 'file', file: { file_data: part.file_data, ...(typeof part.filename === 'string' ? { filename: part.filename } : {}) } };
      }
      throw badRequest(`Files given by file_id or file_url are ${HOSTED_ONLY}; send the file as file_data.`, `${at}.${part.file_id ? 'file_id' : 'file_url'}`);
    default:
      throw badRequest(`Invalid value for '${at}.type': expected one of input_text, input_image, input_file.`, `${at}.type`);
  }
}

function imagePart(part: Item, at: string): ChatPart {
  if (typeof part.image_url !== 'string') {
    const param = part.file_id ? `${at}.file_id` : `${at}.image_url`;
    throw badRequest(part.file_id ? `Images given by file_id are ${HOSTED_ONLY}; send an image_url.` : `Missing required parameter: '${at}.image_url'.`, param);
  }
  // Chat knows auto, low and high; any other detail (original) is left to the provider's default.
  const detail = ['auto', 'low', 'high'].includes(String(part.detail)) ? { detail: part.detail } : {};
  return { type: 'image_url', image_url: { url: part.image_url, ...detail } };
}

function toolOutput(output: unknown, at: string): { content: string | ChatPart[]; images: ChatPart[] } {
  if (typeof output === 'string') return { content: output, images: [] };
  const texts: ChatPart[] = [];
  const images: ChatPart[] = [];
  (Array.isArray(output) ? output : []).forEach((part: unknown, j) => {
    if (!isRecord(part)) return;
    if (part.type === 'input_text') texts.push({ type: 'text', text: part.text });
    else if (part.type === 'input_image') images.push(imagePart(part, paramPath(at, j)));
    else
      throw badRequest(
        `Invalid value for '${paramPath(at, j)}.type': a function_call_output takes input_text and input_image parts here.`,
        paramPath(at, j, 'type'),
      );
  });
  return { content: collapse(texts), images };
}
