/** Only complete, successful answers are stored (and only such entries are served). */
import type { Endpoint } from '../providers/types.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every choice ended (finish_reason set) and, for chat, carries a message. */
function finishedChoices(choices: unknown, needsMessage: boolean): boolean {
  if (!Array.isArray(choices) || choices.length === 0) return false;
  return choices.every((c) => isRecord(c) && typeof c.finish_reason === 'string' && (!needsMessage || isRecord(c.message)));
}

/** `body` is a complete OpenAI answer of `endpoint`: not an error, not a partial stream. */
export function isCacheableAnswer(endpoint: Endpoint, body: unknown): body is Record<string, unknown> {
  if (!isRecord(body) || body.error !== undefined) return false;
  switch (endpoint) {
    case 'chat':
      return body.object === 'chat.completion' && finishedChoices(body.choices, true);
    case 'completions':
      return body.object === 'text_completion' && finishedChoices(body.choices, false);
    case 'embeddings':
      return body.object === 'list' && Array.isArray(body.data) && body.data.length > 0;
  }
}
