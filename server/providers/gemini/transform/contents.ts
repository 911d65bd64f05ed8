/**
 * OpenAI chat messages → Gemini `systemInstruction` + `contents`. Gemini knows two roles (`user`, `model`), keeps the
 * system prompt apart, and answers function calls with functionResponse parts in a user turn, named by function.
 */
import { badRequest } from '../../../core/errors.ts';
import { parseToolCallId } from './tool-ids.ts';
import type { GeminiContent, GeminiPart } from './wire.ts';
import { isRecord } from './wire.ts';

export interface GeminiConversation {
  systemInstruction?: { parts: GeminiPart[] };
  contents: GeminiContent[];
}

export function toGeminiConversation(messages: unknown): GeminiConversation {
  if (!Array.isArray(messages)) throw badRequest('`messages` must be an array.', 'messages');
  const system: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  /** tool_call id → function name, from the assistant turns seen so far. */
  const callNames = new Map<string, string>();
  messages.forEach((message: unknown, i) => {
    const at = `messages[${i}]`;
    if (!isRecord(message)) throw badRequest(`${at} must be an object.`, at);
    switch (message.role) {
      case 'system':
      case 'developer':
        // Gemini has one system instruction; system messages anywhere in the conversation join it, in order.
        system.push(...textParts(message.content, at));
        return;
      case 'user':
        append(contents, 'user', userParts(message.content, at));
        return;
      case 'assistant':
        append(contents, 'model', assistantParts(message, at, callNames));
        return;
      case 'tool':
        append(contents, 'user', [functionResponse(toolName(message, at, callNames), message.content)]);
        return;
      case 'function':
        append(contents, 'user', [functionResponse(typeof message.name === 'string' ? message.name : '', message.content)]);
        return;
      default:
        throw badRequest(`${at}.role \`${String(message.role)}\` is not a chat role.`, `${at}.role`);
    }
  });
  return system.length > 0 ? { systemInstruction: { parts: system }, contents } : { contents };
}

/** Consecutive turns of one role become one Content: Gemini wants all answers to one turn's calls together. */
function append(contents: GeminiContent[], role: 'user' | 'model', parts: GeminiPart[]): void {
  if (parts.length === 0) return;
  const last = contents[contents.length - 1];
  if (last && last.role === role) last.parts.push(...parts);
  else contents.push({ role, parts });
}

function textParts(content: unknown, at: string): GeminiPart[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  if (!Array.isArray(content)) throw badRequest(`${at}.content must be a string or an array of parts.`, `${at}.content`);
  return content.flatMap((part: unknown, j) => {
    if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') return part.text === '' ? [] : [{ text: part.text }];
    throw badRequest(`${at}.content[${j}] must be a text part here.`, `${at}.content[${j}]`);
  });
}

function userParts(content: unknown, at: string): GeminiPart[] {
  if (!Array.isArray(content)) return textParts(content, at);
  return content.flatMap((part: unknown, j) => {
    const partAt = `${at}.content[${j}]`;
    if (!isRecord(part)) throw badRequest(`${partAt} must be an object.`, partAt);
    switch (part.type) {
      case 'text':
        return typeof part.text === 'string' && part.text !== '' ? [{ text: part.text }] : [];
      case 'image_url': {
        const url = isRecord(part.image_url) ? part.image_url.url : part.image_url;
        if (typeof url !== 'string') throw badRequest(`${partAt}.image_url.url is required.`, `${partAt}.image_url.url`);
        return [mediaPart(url, 'image/jpeg')];
      }
      case 'input_audio': {
        const audio = isRecord(part.input_audio) ? part.input_audio : {};
        if (typeof audio.data !== 'string') throw badRequest(`${partAt}.input_audio.data is required.`, `${partAt}.input_audio.data`);
        return [{ inlineData: { mimeType: `audio/${typeof audio.format === 'string' ? audio.format : 'wav'}`, data: audio.data } }];
      }
      case 'file': {
        const file = isRecord(part.file) ? part.file : {};
        const source = typeof file.file_data === 'string' ? file.file_data : file.file_id;
        if (typeof source !== 'string') throw badRequest(`${partAt}.file needs file_data or file_id.`, `${partAt}.file`);
        return [mediaPart(source, typeof file.format === 'string' ? file.format : 'application/pdf')];
      }
      default:
        throw badRequest(`${partAt}.type \`${String(part.type)}\` cannot be sent to Gemini.`, `${partAt}.type`);
    }
  });
}

/**
 * A data: URL becomes inline bytes; any other URL (a Files API uri, gs://, https://) is referenced as file data,
 * with the MIME type taken from its extension when it has a known one.
 */
function mediaPart(url: string, fallbackMime: string): GeminiPart {
  const data = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (data) return { inlineData: { mimeType: data[1] as string, data: data[2] as string } };
  return { fileData: { mimeType: mimeOfUrl(url) ?? fallbackMime, fileUri: url } };
}

const EXTENSION_MIME: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  pdf: 'application/pdf',
  mp3: 'audio/mp3',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  txt: 'text/plain',
};

function mimeOfUrl(url: string): string | undefined {
  const extension = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(url)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : EXTENSION_MIME[extension];
}

function assistantParts(message: Record<string, unknown>, at: string, callNames: Map<string, string>): GeminiPart[] {
  const parts = textParts(message.content, at);
  if (message.tool_calls === undefined || message.tool_calls === null) return parts;
  if (!Array.isArray(message.tool_calls)) throw badRequest(`${at}.tool_calls must be an array.`, `${at}.tool_calls`);
  message.tool_calls.forEach((call: unknown, k) => {
    const callAt = `${at}.tool_calls[${k}]`;
    const fn = isRecord(call) ? call.function : undefined;
    if (!isRecord(call) || !isRecord(fn) || typeof fn.name !== 'string') throw badRequest(`${callAt}.function.name is required.`, `${callAt}.function.name`);
    if (typeof call.id === 'string') callNames.set(call.id, fn.name);
    const part: GeminiPart = { functionCall: { name: fn.name, args: parseArguments(fn.arguments, `${callAt}.function.arguments`) } };
    const signature = typeof call.id === 'string' ? parseToolCallId(call.id).signature : undefined;
    if (signature) part.thoughtSignature = signature;
    parts.push(part);
  });
  return parts;
}

function parseArguments(args: unknown, at: string): Record<string, unknown> {
  if (args === undefined || args === null || args === '') return {};
  if (isRecord(args)) return args;
  if (typeof args === 'string') {
    try {
      const parsed: unknown = JSON.parse(args);
      if (isRecord(parsed)) return parsed;
    } catch {
      // Reported below.
    }
  }
  throw badRequest(`${at} must be a JSON object (Gemini takes function arguments as an object).`, at);
}

function toolName(message: Record<string, unknown>, at: string, callNames: Map<string, string>): string {
  const id = typeof message.tool_call_id === 'string' ? message.tool_call_id : undefined;
  const name = (id !== undefined ? callNames.get(id) : undefined) ?? (typeof message.name === 'string' ? message.name : undefined);
  if (name === undefined) {
    throw badRequest(`${at}.tool_call_id does not name a tool call of an earlier assistant message.`, `${at}.tool_call_id`);
  }
  return name;
}

/** Gemini takes a function's result as a JSON object; the tool's text goes under `content`, as it was given. */
function functionResponse(name: string, content: unknown): GeminiPart {
  const text =
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? textParts(content, 'tool')
            .map((p) => p.text)
            .join('')
        : JSON.stringify(content ?? '');
  return { functionResponse: { name, response: { content: text } } };
}
