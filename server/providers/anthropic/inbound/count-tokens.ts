/**
 * POST /v1/messages/count_tokens for deployments that are not Anthropic: an estimate, since the gateway
 * has no tokenizer for arbitrary providers. About four characters a token (the usual rule of thumb for
 * English text and code) over every text the model would read — system, messages, tool definitions —
 * plus a flat amount per image or document, whose real cost depends on pixels and pages.
 */
import { isRecord } from '../wire.ts';

const CHARS_PER_TOKEN = 4;
/** Roughly what Anthropic charges a mid-sized image (about 1.15 megapixels / 750). */
const TOKENS_PER_MEDIA_BLOCK = 1_600;

export function estimateInputTokens(body: Record<string, unknown>): number {
  const tally = { chars: 0, media: 0 };
  countContent(body.system, tally);
  if (Array.isArray(body.messages)) {
    for (const message of body.messages) if (isRecord(message)) countContent(message.content, tally);
  }
  if (Array.isArray(body.tools)) tally.chars += JSON.stringify(body.tools).length;
  return Math.max(1, Math.ceil(tally.chars / CHARS_PER_TOKEN) + tally.media * TOKENS_PER_MEDIA_BLOCK);
}

function countContent(content: unknown, tally: { chars: number; media: number }): void {
  if (typeof content === 'string') {
    tally.chars += content.length;
    return;
  }
  if (!Array.isArray(content)) return;
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (block.type === 'image' || block.type === 'document') tally.media++;
    else if (typeof block.text === 'string') tally.chars += block.text.length;
    else if (block.type === 'tool_use') tally.chars += String(block.name ?? '').length + JSON.stringify(block.input ?? {}).length;
    else if (block.type === 'tool_result') countContent(block.content, tally);
    else if (typeof block.thinking === 'string') tally.chars += block.thinking.length;
  }
}
