/**
 * POST /v1/messages/count_tokens for deployments that are not Anthropic: the gateway's tokenizer counts the
 * text (spend/tokenizer.ts, called by the surface); what it cannot see is added here. A document (PDF) costs
 * what its pages hold, unknown without parsing it, so each counts a flat amount — about one dense page.
 */
import { isRecord } from '../wire.ts';

export const TOKENS_PER_DOCUMENT = 1_600;

/** Tokens of the document blocks anywhere in the messages (tool results included), which the tokenizer counts as none. */
export function documentTokens(body: Record<string, unknown>): number {
  let documents = 0;
  const visit = (content: unknown): void => {
    if (!Array.isArray(content)) return;
    for (const block of content) {
      if (!isRecord(block)) continue;
      if (block.type === 'document') documents++;
      else if (block.type === 'tool_result') visit(block.content);
    }
  };
  if (Array.isArray(body.messages)) for (const message of body.messages) if (isRecord(message)) visit(message.content);
  return documents * TOKENS_PER_DOCUMENT;
}
