/**
 * Reasoning a provider needs back, carried in a reasoning item's `encrypted_content`.
 *
 * Anthropic's extended thinking comes through the chat layer as LiteLLM's `thinking_blocks` (signed `thinking`
 * blocks, `redacted_thinking`), and Anthropic requires them back, unmodified and first in the assistant turn,
 * when a tool call follows thinking — without them the next request of a tool loop is refused. The Responses API
 * has exactly one place for opaque reasoning a client must return: `encrypted_content`, which Codex asks for
 * (include: reasoning.encrypted_content) and sends back with store: false, and which the gateway's store keeps
 * for previous_response_id and item_reference. So the replayable blocks are written there, as JSON under a
 * prefix of the gateway's own; an OpenAI-encrypted value never starts with it, and the native path must not send
 * ours to OpenAI (isChatReasoning).
 */
import { type Item, isRecord } from './wire.ts';

const PREFIX = 'llm-gateway.thinking_blocks.v1:';

type Block = Record<string, unknown>;

/** A block Anthropic accepts back: thinking with its signature, or redacted thinking with its data. */
function replayable(block: unknown): block is Block {
  return (
    isRecord(block) &&
    ((block.type === 'thinking' && typeof block.thinking === 'string' && typeof block.signature === 'string' && block.signature !== '') ||
      (block.type === 'redacted_thinking' && typeof block.data === 'string'))
  );
}

/** The replayable blocks as an encrypted_content value; undefined when there are none. */
export function encodeThinkingBlocks(blocks: unknown): string | undefined {
  const kept = Array.isArray(blocks) ? blocks.filter(replayable) : [];
  if (kept.length === 0) return undefined;
  return PREFIX + Buffer.from(JSON.stringify(kept)).toString('base64url');
}

/** The chat `thinking_blocks` an encrypted_content of ours holds; [] for anything else (OpenAI's own, garbage). */
export function decodeThinkingBlocks(encrypted: unknown): Block[] {
  if (typeof encrypted !== 'string' || !encrypted.startsWith(PREFIX)) return [];
  try {
    const blocks: unknown = JSON.parse(Buffer.from(encrypted.slice(PREFIX.length), 'base64url').toString('utf8'));
    return Array.isArray(blocks) ? blocks.filter(replayable) : [];
  } catch {
    return [];
  }
}

/** True for a reasoning item whose encrypted_content is the gateway's (from a chat-served answer): OpenAI cannot read it. */
export function isChatReasoning(item: Item): boolean {
  return item.type === 'reasoning' && typeof item.encrypted_content === 'string' && item.encrypted_content.startsWith(PREFIX);
}

/**
 * Streamed `thinking_blocks` deltas (the Anthropic adapter's: text pieces of a block, then its signature in a
 * block with empty text; redacted blocks whole) put back together as whole blocks.
 */
export class ThinkingBlocks {
  private readonly blocks: Block[] = [];

  push(deltas: unknown): void {
    if (!Array.isArray(deltas)) return;
    for (const delta of deltas) {
      if (!isRecord(delta)) continue;
      const last = this.blocks.at(-1);
      const open = last?.type === 'thinking' && typeof last.signature !== 'string' ? last : undefined;
      if (delta.type !== 'thinking') {
        this.blocks.push({ ...delta });
      } else if (open) {
        open.thinking = String(open.thinking ?? '') + String(delta.thinking ?? '');
        if (typeof delta.signature === 'string') open.signature = delta.signature;
      } else {
        this.blocks.push({
          type: 'thinking',
          thinking: String(delta.thinking ?? ''),
          ...(typeof delta.signature === 'string' ? { signature: delta.signature } : {}),
        });
      }
    }
  }

  encoded(): string | undefined {
    return encodeThinkingBlocks(this.blocks);
  }
}
