/**
 * OpenAI chat `messages` → Anthropic `system` + alternating user/assistant turns.
 * Anthropic has no system role inside messages, no tool role (results are user content blocks), and
 * requires the roles to alternate, so consecutive turns of the same role are merged.
 */
import { badRequest } from '../../core/errors.ts';
import { isRecord } from './wire.ts';

export type AnthropicBlock = Record<string, unknown>;

export interface AnthropicTurn {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
}

export interface ConvertedMessages {
  /** Absent when the conversation has no system or developer message. */
  system?: string | AnthropicBlock[];
  messages: AnthropicTurn[];
}

export function toAnthropicMessages(input: unknown): ConvertedMessages {
  if (!Array.isArray(input)) throw badRequest('`messages` must be an array of chat messages.', 'messages');
  const systemBlocks: AnthropicBlock[] = [];
  const turns: AnthropicTurn[] = [];

  input.forEach((message: unknown, i) => {
    const at = `messages[${i}]`;
    if (!isRecord(message)) throw badRequest(`${at} must be an object.`, at);
    const role = message.role;
    if (role === 'system' || role === 'developer') {
      systemBlocks.push(...withMessageCacheControl(contentToBlocks(message.content, `${at}.content`, false), message));
    } else if (role === 'user') {
      appendTurn(turns, 'user', withMessageCacheControl(contentToBlocks(message.content, `${at}.content`, true), message));
    } else if (role === 'assistant') {
      // An assistant turn with nothing in it (content "" and no tool calls) would be rejected: skip it.
      const blocks = withMessageCacheControl(assistantBlocks(message, at), message);
      if (blocks.length > 0) appendTurn(turns, 'assistant', blocks);
    } else if (role === 'tool') {
      appendTurn(turns, 'user', withMessageCacheControl([toolResultBlock(message, at)], message));
    } else {
      throw badRequest(`${at}.role \`${String(role)}\` is not supported by Anthropic.`, `${at}.role`);
    }
  });

  const result: ConvertedMessages = { messages: turns };
  if (systemBlocks.length === 1 && systemBlocks[0]?.cache_control === undefined) {
    result.system = String(systemBlocks[0]?.text ?? '');
  } else if (systemBlocks.length > 0) {
    result.system = systemBlocks;
  }
  return result;
}

/** Anthropic rejects two turns of the same role in a row: fold this one into the previous turn. */
function appendTurn(turns: AnthropicTurn[], role: AnthropicTurn['role'], blocks: AnthropicBlock[]): void {
  const last = turns[turns.length - 1];
  if (last && last.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

/** LiteLLM lets a whole message carry cache_control; Anthropic puts it on a block, so use the last one. */
function withMessageCacheControl(blocks: AnthropicBlock[], message: Record<string, unknown>): AnthropicBlock[] {
  const last = blocks[blocks.length - 1];
  if (message.cache_control !== undefined && last) last.cache_control = message.cache_control;
  return blocks;
}

/** String or content-part array → Anthropic blocks. Media parts are allowed only where Anthropic takes them. */
function contentToBlocks(content: unknown, at: string, allowMedia: boolean): AnthropicBlock[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw badRequest(`${at} must be a string or an array of content parts.`, at);
  return content.map((part: unknown, j) => partToBlock(part, `${at}[${j}]`, allowMedia));
}

function partToBlock(part: unknown, at: string, allowMedia: boolean): AnthropicBlock {
  if (!isRecord(part)) throw badRequest(`${at} must be a content part object.`, at);
  const block = convertPart(part, at, allowMedia);
  if (part.cache_control !== undefined) block.cache_control = part.cache_control;
  return block;
}

function convertPart(part: Record<string, unknown>, at: string, allowMedia: boolean): AnthropicBlock {
  if (part.type === 'text') return { type: 'text', text: String(part.text ?? '') };
  if (allowMedia && part.type === 'image_url') {
    const image = part.image_url;
    const url = typeof image === 'string' ? image : isRecord(image) ? image.url : undefined;
    if (typeof url !== 'string') throw badRequest(`${at}.image_url.url must be a string.`, `${at}.image_url.url`);
    return { type: 'image', source: imageSource(url, `${at}.image_url.url`) };
  }
  if (allowMedia && part.type === 'file' && isRecord(part.file) && typeof part.file.file_data === 'string') {
    // PDFs and other documents arrive as data URLs; Anthropic takes them as base64 document blocks.
    return { type: 'document', source: base64Source(part.file.file_data, `${at}.file.file_data`) };
  }
  throw badRequest(`Content part type \`${String(part.type)}\` at ${at} is not supported by Anthropic.`, `${at}.type`);
}

function imageSource(url: string, at: string): Record<string, unknown> {
  if (url.startsWith('data:')) return base64Source(url, at);
  if (/^https?:\/\//i.test(url)) return { type: 'url', url };
  throw badRequest(`${at} must be an http(s) URL or a base64 data: URL.`, at);
}

function base64Source(dataUrl: string, at: string): Record<string, unknown> {
  const match = /^data:([^;,]+)((?:;[^;,]*)*?);base64,(.*)$/s.exec(dataUrl);
  if (!match) throw badRequest(`${at} must be a base64 data: URL (data:<media type>;base64,<data>).`, at);
  return { type: 'base64', media_type: match[1], data: match[3] };
}

function assistantBlocks(message: Record<string, unknown>, at: string): AnthropicBlock[] {
  // Anthropic rejects empty text blocks, which clients send as "" or null beside tool_calls.
  const answer = assistantContent(message.content, `${at}.content`).filter((block) => !(block.type === 'text' && block.text === ''));
  const blocks = [...thinkingBlocks(message.thinking_blocks), ...answer];
  const toolCalls = message.tool_calls;
  if (toolCalls === undefined || toolCalls === null) return blocks;
  if (!Array.isArray(toolCalls)) throw badRequest(`${at}.tool_calls must be an array.`, `${at}.tool_calls`);
  toolCalls.forEach((call: unknown, j) => {
    blocks.push(toolUseBlock(call, `${at}.tool_calls[${j}]`));
  });
  return blocks;
}

/**
 * LiteLLM's `thinking_blocks` on an assistant message: Anthropic's signed thinking from an earlier answer, which
 * it requires back (first in the turn) when a tool call follows thinking. Only signed ones can go back; reasoning
 * from another provider (no signature) cannot, and is left out.
 */
function thinkingBlocks(blocks: unknown): AnthropicBlock[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.filter(
    (block): block is AnthropicBlock =>
      isRecord(block) &&
      ((block.type === 'thinking' && typeof block.thinking === 'string' && typeof block.signature === 'string' && block.signature !== '') ||
        (block.type === 'redacted_thinking' && typeof block.data === 'string')),
  );
}

/** Assistant content: text parts, and refusal parts kept as text so the history stays intact. */
function assistantContent(content: unknown, at: string): AnthropicBlock[] {
  if (!Array.isArray(content)) return contentToBlocks(content, at, false);
  return content.map((part: unknown, j) =>
    isRecord(part) && part.type === 'refusal' ? { type: 'text', text: String(part.refusal ?? '') } : partToBlock(part, `${at}[${j}]`, false),
  );
}

function toolUseBlock(call: unknown, at: string): AnthropicBlock {
  if (!isRecord(call) || !isRecord(call.function)) {
    throw badRequest(`${at} must be a function tool call.`, at);
  }
  const rawArguments = call.function.arguments;
  let input: unknown = {};
  if (typeof rawArguments === 'string' && rawArguments.trim() !== '') {
    try {
      input = JSON.parse(rawArguments);
    } catch {
      throw badRequest(`${at}.function.arguments is not valid JSON.`, `${at}.function.arguments`);
    }
  } else if (isRecord(rawArguments)) {
    input = rawArguments;
  }
  if (!isRecord(input)) {
    throw badRequest(`${at}.function.arguments must be a JSON object for Anthropic.`, `${at}.function.arguments`);
  }
  return { type: 'tool_use', id: String(call.id ?? ''), name: String(call.function.name ?? ''), input };
}

function toolResultBlock(message: Record<string, unknown>, at: string): AnthropicBlock {
  if (typeof message.tool_call_id !== 'string') {
    throw badRequest(`${at}.tool_call_id is required for a tool message.`, `${at}.tool_call_id`);
  }
  const content = message.content;
  return {
    type: 'tool_result',
    tool_use_id: message.tool_call_id,
    content: typeof content === 'string' ? content : contentToBlocks(content, `${at}.content`, true),
  };
}
