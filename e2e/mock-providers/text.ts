/**
 * Deterministic text helpers shared by every mock protocol: what the "model" answers, how many
 * "tokens" a text has, and how an answer is cut into stream pieces. Tests import these to compute
 * the exact values the mock will return.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Mock token count: whitespace-separated words (deterministic, cheap, easy to predict in tests). */
export function countTokens(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) <= 32;
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return count;
}

/**
 * Plain text of an OpenAI or Anthropic message content: a string, or an array of parts/blocks whose
 * `text` (and, for Anthropic tool_result blocks, nested `content`) is joined with spaces.
 */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') texts.push(part);
    else if (isObject(part)) {
      if (typeof part.text === 'string') texts.push(part.text);
      else if (part.type === 'tool_result') texts.push(contentText(part.content));
    }
  }
  return texts.join(' ');
}

/** Text of the last message with role 'user' ('' when there is none). */
export function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const message: unknown = messages[i];
    if (isObject(message) && message.role === 'user') return contentText(message.content);
  }
  return '';
}

/** Sum of the token counts of every message's content (plus an optional system prompt). */
export function promptTokens(messages: unknown, system?: unknown): number {
  let total = system === undefined ? 0 : countTokens(contentText(system));
  if (Array.isArray(messages)) {
    for (const message of messages) if (isObject(message)) total += countTokens(contentText(message.content));
  }
  return Math.max(total, 1);
}

/** The deterministic answer to a user text. */
export function echoAnswer(text: string): string {
  return `echo: ${text}`;
}

/**
 * Keep at most `maxTokens` words of an answer (max_tokens / max_completion_tokens), so clients can
 * see finish_reason 'length' / stop_reason 'max_tokens'. Returns whether the answer was cut.
 */
export function truncateToTokens(text: string, maxTokens: unknown): { text: string; truncated: boolean } {
  if (typeof maxTokens !== 'number' || maxTokens <= 0 || countTokens(text) <= maxTokens) return { text, truncated: false };
  const words = text.match(/\S+\s*/g) ?? [];
  return { text: words.slice(0, maxTokens).join('').trimEnd(), truncated: true };
}

/**
 * Cut an answer into stream pieces (one word with its leading space each), at least two when the text
 * has two characters, so a stream always has "several" content chunks.
 */
export function splitIntoPieces(text: string): string[] {
  const pieces: string[] = text.match(/\s*\S+/g) ?? [];
  const trailing = text.length - pieces.join('').length;
  if (trailing > 0) pieces.push(text.slice(text.length - trailing));
  if (pieces.length === 1 && text.length >= 2) {
    const half = Math.ceil(text.length / 2);
    return [text.slice(0, half), text.slice(half)];
  }
  return pieces.length === 0 ? [text] : pieces;
}

let idCounter = 0;
/** Provider-looking ids: `chatcmpl-mock000001`, `msg_mock000002`, … (unique per process). */
export function mockId(prefix: string): string {
  idCounter++;
  return `${prefix}mock${idCounter.toString().padStart(6, '0')}`;
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
