/**
 * Anthropic `system` + `messages` → OpenAI chat `messages`.
 *
 * The two differ in where tool traffic lives: Anthropic puts tool calls in assistant content blocks
 * (`tool_use`) and their results in the next user turn (`tool_result` blocks, which must come first);
 * OpenAI puts calls in `tool_calls` and each result in its own `tool` message right after the assistant
 * message. So a user turn becomes its tool messages first, then a user message with what is left.
 */
import { badRequest } from '../../../core/errors.ts';
import { isRecord } from '../wire.ts';

type OpenAIMessage = Record<string, unknown>;
type OpenAIPart = Record<string, unknown>;

/** What the target can take besides text and images. */
export interface ContentAbilities {
  /** Chat `file` parts (base64 PDFs): OpenAI and Azure take them; most compatible servers do not. */
  files: boolean;
}

/**
 * `system` (the field, or a `role: "system"` message's content) is a string or text blocks; OpenAI-compatible
 * servers all take a plain string. Block-level cache_control has no chat counterpart and is left out.
 */
export function systemMessage(system: unknown, at = 'system'): OpenAIMessage | undefined {
  if (system === undefined || system === null) return undefined;
  const text = typeof system === 'string' ? system : Array.isArray(system) ? blockTexts(system, at).join('\n\n') : undefined;
  if (text === undefined) throw badRequest(`${at}: must be a string or an array of text blocks.`, at);
  return text === '' ? undefined : { role: 'system', content: text };
}

/**
 * `role: "system"` messages (newer models take them anywhere in the conversation) become chat system messages
 * in the same place, so the instruction keeps its position relative to the turns around it.
 */
export function toOpenAIMessages(system: unknown, messages: unknown[], abilities: ContentAbilities = { files: true }): OpenAIMessage[] {
  const out: OpenAIMessage[] = [];
  const head = systemMessage(system);
  if (head) out.push(head);
  messages.forEach((message, i) => {
    const at = `messages.${i}`;
    if (!isRecord(message)) throw badRequest(`${at}: must be an object.`, at);
    if (message.role === 'user') out.push(...userMessages(message.content, at, abilities));
    else if (message.role === 'assistant') out.push(assistantMessage(message.content, at));
    else if (message.role === 'system') {
      const inPlace = systemMessage(message.content, `${at}.content`);
      if (inPlace) out.push(inPlace);
    } else throw badRequest(`${at}.role: must be one of: user, assistant, system`, `${at}.role`);
  });
  return out;
}

function blocksOf(content: unknown, at: string): Record<string, unknown>[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw badRequest(`${at}.content: must be a string or an array of content blocks.`, `${at}.content`);
  return content.map((block: unknown, j) => {
    if (!isRecord(block)) throw badRequest(`${at}.content.${j}: must be a content block object.`, `${at}.content.${j}`);
    return block;
  });
}

function blockTexts(blocks: unknown[], at: string): string[] {
  return blocks.map((block, j) => {
    if (typeof block === 'string') return block;
    if (isRecord(block) && block.type === 'text' && typeof block.text === 'string') return block.text;
    throw badRequest(`${at}.${j}: only text blocks are allowed here.`, `${at}.${j}`);
  });
}

function userMessages(content: unknown, at: string, abilities: ContentAbilities): OpenAIMessage[] {
  const toolMessages: OpenAIMessage[] = [];
  const parts: OpenAIPart[] = [];
  blocksOf(content, at).forEach((block, j) => {
    const where = `${at}.content.${j}`;
    if (block.type === 'tool_result') {
      const { message, media } = toolMessage(block, where, abilities);
      toolMessages.push(message);
      // OpenAI tool messages carry text only; images a tool returned go to the user turn that follows.
      parts.push(...media);
    } else {
      parts.push(userPart(block, where, abilities));
    }
  });
  if (parts.length === 0) return toolMessages;
  return [...toolMessages, { role: 'user', content: compactParts(parts) }];
}

/** A single text part as a plain string: the form every OpenAI-compatible server accepts. */
function compactParts(parts: OpenAIPart[]): string | OpenAIPart[] {
  const only = parts[0];
  return parts.length === 1 && only?.type === 'text' ? String(only.text) : parts;
}

function userPart(block: Record<string, unknown>, at: string, abilities: ContentAbilities): OpenAIPart {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: String(block.text ?? '') };
    case 'image':
      return { type: 'image_url', image_url: { url: sourceUrl(block.source, `${at}.source`) } };
    case 'document':
      return documentPart(block, at, abilities);
    default:
      throw badRequest(`${at}.type: content block \`${String(block.type)}\` cannot be sent to this model (its provider is not Anthropic).`, `${at}.type`);
  }
}

/** Image source (base64 or url) → the URL OpenAI's image_url takes (a data: URL for base64). */
function sourceUrl(source: unknown, at: string): string {
  if (isRecord(source) && source.type === 'base64' && typeof source.data === 'string' && typeof source.media_type === 'string') {
    return `data:${source.media_type};base64,${source.data}`;
  }
  if (isRecord(source) && source.type === 'url' && typeof source.url === 'string') return source.url;
  throw badRequest(`${at}: must be a base64 source (media_type, data) or a url source.`, at);
}

/**
 * PDFs go as OpenAI `file` parts where the target takes them; plain-text documents are just text. A URL or
 * Files-API source has no chat counterpart (OpenAI's file parts take data or its own file ids).
 */
function documentPart(block: Record<string, unknown>, at: string, abilities: ContentAbilities): OpenAIPart {
  const source = block.source;
  if (isRecord(source) && source.type === 'text' && typeof source.data === 'string') return { type: 'text', text: source.data };
  if (isRecord(source) && source.type === 'base64') {
    if (!abilities.files) {
      throw badRequest(`${at}: a \`document\` block (PDF) cannot be sent to this model: its provider takes no file content.`, at);
    }
    const file: Record<string, unknown> = { file_data: sourceUrl(source, `${at}.source`) };
    if (typeof block.title === 'string') file.filename = block.title;
    return { type: 'file', file };
  }
  throw badRequest(`${at}.source: only base64 and text documents can be sent to this model.`, `${at}.source`);
}

function toolMessage(block: Record<string, unknown>, at: string, abilities: ContentAbilities): { message: OpenAIMessage; media: OpenAIPart[] } {
  if (typeof block.tool_use_id !== 'string') throw badRequest(`${at}.tool_use_id: Field required.`, `${at}.tool_use_id`);
  const texts: string[] = [];
  const media: OpenAIPart[] = [];
  const content = block.content;
  if (typeof content === 'string') texts.push(content);
  else if (Array.isArray(content)) {
    blocksOf(content, at).forEach((inner, k) => {
      const part = userPart(inner, `${at}.content.${k}`, abilities);
      if (part.type === 'text') texts.push(String(part.text));
      else media.push(part);
    });
  }
  // OpenAI has no is_error flag; saying it in the text keeps the model informed that the call failed.
  const text = texts.join('\n');
  return { message: { role: 'tool', tool_call_id: block.tool_use_id, content: block.is_error === true ? `Error: ${text}` : text }, media };
}

function assistantMessage(content: unknown, at: string): OpenAIMessage {
  const texts: string[] = [];
  const toolCalls: Record<string, unknown>[] = [];
  blocksOf(content, at).forEach((block, j) => {
    if (block.type === 'text') texts.push(String(block.text ?? ''));
    else if (block.type === 'tool_use') {
      if (typeof block.id !== 'string' || typeof block.name !== 'string') {
        throw badRequest(`${at}.content.${j}: a tool_use block needs an id and a name.`, `${at}.content.${j}`);
      }
      toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    }
    // thinking / redacted_thinking are Anthropic's signed reasoning: no other provider can take them back.
    else if (block.type !== 'thinking' && block.type !== 'redacted_thinking') {
      throw badRequest(
        `${at}.content.${j}.type: content block \`${String(block.type)}\` cannot be sent to this model (its provider is not Anthropic).`,
        `${at}.content.${j}.type`,
      );
    }
  });
  const text = texts.join('');
  const message: OpenAIMessage = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}
