/**
 * OpenAI `chat.completion.chunk` objects → Anthropic's streamed event sequence:
 * message_start, ping, then per content block content_block_start / content_block_delta… /
 * content_block_stop, then message_delta (stop_reason, usage) and message_stop.
 *
 * Anthropic streams one block at a time, so a block is closed when the next one begins. OpenAI streams
 * reasoning (`reasoning_content`, as LiteLLM returns it; `reasoning` elsewhere) as a thinking block with
 * thinking_delta events — a signature only when the upstream gave one (LiteLLM's `thinking_blocks`) — then
 * text and each tool call (by its own index) in order; a tool call's arguments that arrive after a later
 * block began cannot be placed and are dropped (no known OpenAI-compatible server interleaves them).
 */
import type { OpenAIChunk } from '../../types.ts';
import { isRecord } from '../wire.ts';
import { reasoningText, type AnswerContext } from './response-from-openai.ts';
import { messageId, toAnthropicUsage, toStopInfo } from './usage.ts';

/** One SSE event as Anthropic frames it: the event name repeated as the payload's `type`. */
export function eventFrame(type: string, payload: Record<string, unknown> = {}): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;
}

type BlockKind = { kind: 'text' } | { kind: 'thinking' } | { kind: 'tool'; toolIndex: number };
type OpenBlock = BlockKind & { index: number };

export class AnthropicEventStream {
  private nextIndex = 0;
  private open: OpenBlock | undefined;
  /** OpenAI tool-call index → Anthropic content-block index. */
  private readonly toolBlocks = new Map<number, number>();
  /** Whether a text or tool block was started (thinking alone is not an answer). */
  private answered = false;
  private finishReason: unknown = null;
  private matchedStop: unknown = null;
  private usage: unknown;

  constructor(private readonly ctx: AnswerContext) {}

  /** The opening events, sent as soon as the upstream stream is open. Input tokens are not known yet. */
  start(): string {
    const message = {
      id: messageId(this.ctx.requestId),
      type: 'message',
      role: 'assistant',
      model: this.ctx.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    return eventFrame('message_start', { message }) + eventFrame('ping');
  }

  push(chunk: OpenAIChunk): string {
    if (isRecord(chunk.usage)) this.usage = chunk.usage;
    const choice: unknown = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (!isRecord(choice)) return '';
    let out = '';
    const delta = isRecord(choice.delta) ? choice.delta : {};
    const reasoning = reasoningText(delta);
    if (reasoning !== undefined) out += this.thinking(reasoning);
    out += this.signatures(delta.thinking_blocks);
    if (typeof delta.content === 'string' && delta.content !== '') out += this.text(delta.content);
    if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) out += this.toolCall(call);
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
      this.finishReason = choice.finish_reason;
      this.matchedStop = choice.stop_reason;
    }
    return out;
  }

  /** The closing events, once the upstream stream ended (after its usage chunk). */
  end(): string {
    // Like the non-streamed answer, a message always has an answer block besides its thinking, possibly empty.
    let out = !this.answered ? this.text('') : '';
    out += this.closeOpen();
    const usage = toAnthropicUsage(this.usage);
    out += eventFrame('message_delta', {
      delta: toStopInfo(this.finishReason, this.matchedStop, this.ctx.stopSequences),
      // Cumulative, and with input_tokens: message_start could not know them.
      usage,
    });
    return out + eventFrame('message_stop');
  }

  private text(text: string): string {
    let out = '';
    if (this.open?.kind !== 'text') {
      out += this.closeOpen();
      out += this.startBlock({ kind: 'text' }, { type: 'text', text: '' });
    }
    if (text === '') return out;
    return out + eventFrame('content_block_delta', { index: this.open!.index, delta: { type: 'text_delta', text } });
  }

  private thinking(text: string): string {
    let out = '';
    if (this.open?.kind !== 'thinking') {
      out += this.closeOpen();
      out += this.startBlock({ kind: 'thinking' }, { type: 'thinking', thinking: '', signature: '' });
    }
    return out + eventFrame('content_block_delta', { index: this.open!.index, delta: { type: 'thinking_delta', thinking: text } });
  }

  /** LiteLLM sends an Anthropic upstream's signature as a `thinking_blocks` entry; it closes the thinking block it belongs to. */
  private signatures(blocks: unknown): string {
    if (!Array.isArray(blocks) || this.open?.kind !== 'thinking') return '';
    let out = '';
    for (const block of blocks) {
      if (isRecord(block) && typeof block.signature === 'string' && block.signature !== '') {
        out += eventFrame('content_block_delta', { index: this.open.index, delta: { type: 'signature_delta', signature: block.signature } });
      }
    }
    return out;
  }

  private toolCall(call: unknown): string {
    if (!isRecord(call)) return '';
    const toolIndex = typeof call.index === 'number' ? call.index : this.toolBlocks.size;
    const fn = isRecord(call.function) ? call.function : {};
    let out = '';
    if (!this.toolBlocks.has(toolIndex)) {
      out += this.closeOpen();
      const id = typeof call.id === 'string' && call.id !== '' ? call.id : `toolu_${this.ctx.requestId.replaceAll('-', '')}_${toolIndex}`;
      out += this.startBlock({ kind: 'tool', toolIndex }, { type: 'tool_use', id, name: String(fn.name ?? ''), input: {} });
      this.toolBlocks.set(toolIndex, this.open!.index);
    }
    const args = fn.arguments;
    const open = this.open;
    if (typeof args !== 'string' || args === '' || open?.kind !== 'tool' || open.toolIndex !== toolIndex) return out;
    return out + eventFrame('content_block_delta', { index: open.index, delta: { type: 'input_json_delta', partial_json: args } });
  }

  private startBlock(block: BlockKind, contentBlock: Record<string, unknown>): string {
    const index = this.nextIndex++;
    this.open = { index, ...block };
    if (block.kind !== 'thinking') this.answered = true;
    return eventFrame('content_block_start', { index, content_block: contentBlock });
  }

  private closeOpen(): string {
    if (!this.open) return '';
    const { index } = this.open;
    this.open = undefined;
    return eventFrame('content_block_stop', { index });
  }
}
