/**
 * OpenAI chat messages → Cohere v2 messages (https://docs.cohere.com/reference/chat): system (and developer)
 * messages stay in place as `system`, user content parts become Cohere's text / image_url parts, an assistant's
 * tool_calls keep their ids, and tool results answer them by `tool_call_id`.
 */
import { badRequest } from '../../core/errors.ts';
import { isRecord } from './wire.ts';

type Message = Record<string, unknown>;

export function toCohereMessages(messages: unknown): Message[] {
  if (!Array.isArray(messages) || messages.length === 0) throw badRequest('`messages` must be a non-empty array.', 'messages');
  return messages.map((m: unknown, i) => {
    if (!isRecord(m)) throw badRequest(`messages[${i}] must be an object.`, `messages[${i}]`);
    switch (m.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: plainText(m.content) };
      case 'user':
        return { role: 'user', content: userContent(m.content, i) };
      case 'assistant':
        return assistantMessage(m);
      case 'tool':
        return { role: 'tool', tool_call_id: String(m.tool_call_id ?? ''), content: toolContent(m.content) };
      default:
        throw badRequest(`messages[${i}].role \`${String(m.role)}\` is not one Cohere takes.`, `messages[${i}].role`);
    }
  });
}

/** Text parts joined; other parts have no place in a system message. */
function plainText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => (isRecord(part) && typeof part.text === 'string' ? part.text : typeof part === 'string' ? part : ''))
    .filter((text) => text !== '')
    .join('\n');
}

function userContent(content: unknown, i: number): string | Message[] {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: unknown, j) => {
    if (isRecord(part) && part.type === 'text') return { type: 'text', text: String(part.text ?? '') };
    if (isRecord(part) && part.type === 'image_url') {
      const image = part.image_url;
      const url = isRecord(image) ? image.url : image;
      if (typeof url !== 'string') throw badRequest(`messages[${i}].content[${j}].image_url.url is required.`, `messages[${i}].content`);
      return { type: 'image_url', image_url: { url, ...(isRecord(image) && typeof image.detail === 'string' ? { detail: image.detail } : {}) } };
    }
    throw badRequest(`messages[${i}].content[${j}]: Cohere takes text and image_url parts only.`, `messages[${i}].content`);
  });
}

function assistantMessage(m: Message): Message {
  const out: Message = { role: 'assistant' };
  const text = plainText(m.content);
  const calls = Array.isArray(m.tool_calls) ? m.tool_calls.filter(isRecord) : [];
  if (calls.length > 0) {
    out.tool_calls = calls.map((call) => {
      const fn = isRecord(call.function) ? call.function : {};
      return {
        id: String(call.id ?? ''),
        type: 'function',
        function: { name: String(fn.name ?? ''), arguments: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}) },
      };
    });
    // Cohere's place for the text that came with tool calls.
    if (text !== '') out.tool_plan = text;
    return out;
  }
  out.content = text;
  return out;
}

function toolContent(content: unknown): string {
  if (typeof content === 'string') return content;
  return plainText(content);
}
