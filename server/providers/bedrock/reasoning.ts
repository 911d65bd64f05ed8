/**
 * Converse's reasoning blocks (extended thinking) ↔ LiteLLM's OpenAI-shaped `reasoning_content` and
 * `thinking_blocks`, as the anthropic provider exposes them: a block's text with the signature that seals it, or
 * redacted (encrypted) reasoning as it came. A client sends the blocks back on the assistant message, and
 * Anthropic models on Bedrock require them, signed, when a tool call follows thinking.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ReasoningContentBlock.html
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ReasoningContentBlockDelta.html
 */
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A Converse content block (messages.ts's ConverseBlock; not imported, which would make the two modules a cycle). */
type ConverseBlock = Record<string, unknown>;

export type ThinkingBlock = { type: 'thinking'; thinking: string; signature?: string } | { type: 'redacted_thinking'; data: string };

/** A Converse answer's `reasoningContent` → its thinking block (the text is also the answer's reasoning_content). */
export function thinkingBlockOf(reasoning: unknown): ThinkingBlock | undefined {
  if (!isRecord(reasoning)) return undefined;
  if (typeof reasoning.redactedContent === 'string') return { type: 'redacted_thinking', data: reasoning.redactedContent };
  const text = isRecord(reasoning.reasoningText) ? reasoning.reasoningText : undefined;
  if (typeof text?.text !== 'string') return undefined;
  return { type: 'thinking', thinking: text.text, signature: typeof text.signature === 'string' ? text.signature : '' };
}

/**
 * A ConverseStream `delta.reasoningContent` → the chunk delta: text as reasoning_content (and a thinking block
 * piece), the signature that closes the block as an empty thinking block carrying it, redacted reasoning whole.
 */
export function reasoningDelta(reasoning: Record<string, unknown>): Record<string, unknown> | undefined {
  if (typeof reasoning.text === 'string') {
    return reasoning.text === '' ? undefined : { reasoning_content: reasoning.text, thinking_blocks: [{ type: 'thinking', thinking: reasoning.text }] };
  }
  if (typeof reasoning.signature === 'string') return { thinking_blocks: [{ type: 'thinking', thinking: '', signature: reasoning.signature }] };
  if (typeof reasoning.redactedContent === 'string') return { thinking_blocks: [{ type: 'redacted_thinking', data: reasoning.redactedContent }] };
  return undefined;
}

/**
 * An assistant message's `thinking_blocks` → Converse reasoning blocks, to lead its turn. Only signed reasoning
 * can go back (reasoning from another provider has no signature and would be refused), so it is left out.
 */
export function reasoningBlocks(thinkingBlocks: unknown): ConverseBlock[] {
  if (!Array.isArray(thinkingBlocks)) return [];
  return thinkingBlocks.flatMap((block): ConverseBlock[] => {
    if (!isRecord(block)) return [];
    if (block.type === 'redacted_thinking' && typeof block.data === 'string' && block.data !== '') {
      return [{ reasoningContent: { redactedContent: block.data } }];
    }
    if (block.type === 'thinking' && typeof block.thinking === 'string' && typeof block.signature === 'string' && block.signature !== '') {
      return [{ reasoningContent: { reasoningText: { text: block.thinking, signature: block.signature } } }];
    }
    return [];
  });
}
