/**
 * OpenAI chat messages → Bedrock Converse `system` and `messages`: text, images (data URLs; Converse takes
 * bytes, not links), assistant tool calls as `toolUse` blocks and tool answers as `toolResult` blocks, with the
 * ids kept, and an assistant's signed `thinking_blocks` as reasoning blocks. Converse wants user and assistant turns to alternate, so neighbours of the same role are merged.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Message.html
 */
import { GatewayError } from '../../core/errors.ts';
import { reasoningBlocks } from './reasoning.ts';

export type ConverseBlock = Record<string, unknown>;
export interface ConverseMessage {
  role: 'user' | 'assistant';
  content: ConverseBlock[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const CACHE_POINT: ConverseBlock = { cachePoint: { type: 'default' } };

const IMAGE_FORMATS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/jpg': 'jpeg', 'image/gif': 'gif', 'image/webp': 'webp' };

function imageBlock(part: Record<string, unknown>, where: string): ConverseBlock {
  const imageUrl = part.image_url;
  const url = typeof imageUrl === 'string' ? imageUrl : isRecord(imageUrl) && typeof imageUrl.url === 'string' ? imageUrl.url : '';
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  const format = data ? IMAGE_FORMATS[data[1]!.toLowerCase()] : undefined;
  if (!data || !format) {
    throw new GatewayError(400, `${where}: Bedrock takes images as base64 data URLs (png, jpeg, gif or webp), not links.`, {
      param: where,
      code: 'invalid_image_url',
    });
  }
  return { image: { format, source: { bytes: data[2] } } };
}

function contentBlocks(content: unknown, where: string): ConverseBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  if (!Array.isArray(content)) return [];
  return content.flatMap((part, i): ConverseBlock[] => {
    if (!isRecord(part)) return [];
    const blocks: ConverseBlock[] = [];
    if (part.type === 'text' && typeof part.text === 'string' && part.text !== '') blocks.push({ text: part.text });
    else if (part.type === 'image_url') blocks.push(imageBlock(part, `${where}[${i}]`));
    // Anthropic-style prompt caching (cache_control on a part) is a cache point after it in Converse.
    if (blocks.length > 0 && isRecord(part.cache_control)) blocks.push(CACHE_POINT);
    return blocks;
  });
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
}

function toolUseBlocks(toolCalls: unknown): ConverseBlock[] {
  if (!Array.isArray(toolCalls)) return [];
  return toolCalls.filter(isRecord).map((call) => {
    const fn = isRecord(call.function) ? call.function : {};
    let input: unknown = {};
    try {
      input = typeof fn.arguments === 'string' && fn.arguments !== '' ? JSON.parse(fn.arguments) : {};
    } catch {
      throw new GatewayError(400, `The arguments of tool call ${String(call.id)} are not JSON.`, { param: 'messages' });
    }
    return { toolUse: { toolUseId: String(call.id ?? ''), name: String(fn.name ?? ''), input } };
  });
}

export interface ConverseConversation {
  system: ConverseBlock[];
  messages: ConverseMessage[];
}

export function toConverseConversation(messages: unknown): ConverseConversation {
  if (!Array.isArray(messages)) throw new GatewayError(400, '`messages` must be an array.', { param: 'messages' });
  const system: ConverseBlock[] = [];
  const out: ConverseMessage[] = [];
  const push = (role: 'user' | 'assistant', content: ConverseBlock[]) => {
    if (content.length === 0) return;
    const last = out.at(-1);
    if (last?.role === role) last.content.push(...content);
    else out.push({ role, content });
  };
  messages.forEach((message, i) => {
    if (!isRecord(message)) return;
    const where = `messages[${i}].content`;
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...contentBlocks(message.content, where).filter((block) => !('image' in block)));
        break;
      case 'user':
        push('user', contentBlocks(message.content, where));
        break;
      case 'assistant':
        push('assistant', [...reasoningBlocks(message.thinking_blocks), ...contentBlocks(message.content, where), ...toolUseBlocks(message.tool_calls)]);
        break;
      case 'tool':
        push('user', [{ toolResult: { toolUseId: String(message.tool_call_id ?? ''), content: [{ text: textOf(message.content) }] } }]);
        break;
      default:
        throw new GatewayError(400, `messages[${i}].role: \`${String(message.role)}\` is not a chat role.`, { param: `messages[${i}].role` });
    }
  });
  return { system, messages: out };
}
