/**
 * OpenAI `chat.completion.chunk`s → the Responses API's typed stream events, numbered by `sequence_number`
 * from 0.
 *
 * start(): response.created, response.in_progress. push(chunk), as content arrives:
 * - reasoning (`reasoning_content`, or `reasoning` as some servers name it) → a reasoning item with one
 *   summary_text part: output_item.added, reasoning_summary_part.added, reasoning_summary_text.delta…;
 *   Anthropic's `thinking_blocks` end up in its encrypted_content (reasoning-replay.ts)
 * - text → a message item: output_item.added, content_part.added, output_text.delta…; a refusal is a refusal
 *   part (refusal.delta…) in the same message.
 * - each tool call (by its chat index) → a function_call item: output_item.added, function_call_arguments.delta…;
 *   a custom tool's call → a custom_tool_call item whose input is told when it closes (custom_tool_call_input.*)
 * finish(usage): closes every open item in output order (…text.done, content_part.done, output_item.done;
 * function_call_arguments.done, output_item.done), then response.completed — or response.incomplete when
 * the chat stream ended for length or content_filter — with the whole Response, usage included.
 * fail(error): an `error` event then response.failed (status failed, `error` {code, message}): the openai
 * SDK's plain stream yields both and its stream helper rejects with the message, the AI SDK reads `error`,
 * Codex reads response.failed.
 *
 * Like the API, items follow one another: starting an item of another kind closes the open ones. Function
 * calls stay open together until something else starts, so a server that interleaves the argument deltas of
 * parallel calls still streams them all.
 */
import type { OpenAIChunk, Usage } from '../../types.ts';
import { ThinkingBlocks } from './reasoning-replay.ts';
import { catalogFor, endingOf, reasoningItem, toolCallItem } from './response-from-chat.ts';
import { type ResponseContext, responseObject } from './response-object.ts';
import { type CatalogTool, customInputOf, type ToolCatalog } from './tool-catalog.ts';
import { contentPart, type PartType, type ResponseEvent, type StreamFailure } from './stream-events.ts';
import { responsesUsageFrom } from './usage.ts';
import { type Item, type ResponseObject, isRecord, newId } from './wire.ts';

export { type ResponseEvent, type StreamFailure, sseFrame } from './stream-events.ts';

type OpenItem =
  | { kind: 'reasoning'; index: number; id: string; text: string; summaryOpen: boolean; blocks: ThinkingBlocks }
  | { kind: 'message'; index: number; id: string; parts: { type: PartType; text: string }[]; partOpen: boolean }
  | { kind: 'call'; index: number; id: string; callId: string; name: string; args: string; tool: CatalogTool | undefined };

export class ResponseEventsFromChat {
  private sequence = 0;
  /** Output items by output_index; an open item's entry is replaced when it closes. */
  private readonly output: Item[] = [];
  private open: OpenItem[] = [];
  /** Chat tool-call index → its function_call item (closed ones too, so late deltas are not a new call). */
  private readonly calls = new Map<number, OpenItem & { kind: 'call' }>();
  private finishReason: unknown = null;
  private chunkUsage: Record<string, unknown> | undefined;
  private final: ResponseObject | undefined;

  private readonly catalog: ToolCatalog;

  constructor(private readonly ctx: ResponseContext) {
    this.catalog = catalogFor(ctx);
  }

  start(): ResponseEvent[] {
    return [
      this.event('response.created', { response: responseObject(this.ctx, { status: 'in_progress', output: [] }) }),
      this.event('response.in_progress', { response: responseObject(this.ctx, { status: 'in_progress', output: [] }) }),
    ];
  }

  push(chunk: OpenAIChunk): ResponseEvent[] {
    if (this.final) return [];
    if (isRecord(chunk.usage)) this.chunkUsage = chunk.usage;
    const choice: unknown = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (!isRecord(choice)) return [];
    const out: ResponseEvent[] = [];
    const delta = isRecord(choice.delta) ? choice.delta : {};
    const reasoning = typeof delta.reasoning_content === 'string' ? delta.reasoning_content : typeof delta.reasoning === 'string' ? delta.reasoning : '';
    if (reasoning !== '') this.reasoningDelta(reasoning, out);
    // Anthropic's thinking as blocks (signature last, redacted ones whole): kept for the item's encrypted_content.
    if (Array.isArray(delta.thinking_blocks) && delta.thinking_blocks.length > 0) this.reasoning(out).blocks.push(delta.thinking_blocks);
    if (typeof delta.content === 'string' && delta.content !== '') this.textDelta('output_text', delta.content, out);
    if (typeof delta.refusal === 'string' && delta.refusal !== '') this.textDelta('refusal', delta.refusal, out);
    if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) if (isRecord(call)) this.toolCallDelta(call, out);
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) this.finishReason = choice.finish_reason;
    return out;
  }

  /** The closing events. `usage`: the pipeline's (metered or estimated); absent, the chat stream's usage chunk. */
  finish(usage?: Usage): ResponseEvent[] {
    if (this.final) return [];
    const out: ResponseEvent[] = [];
    // Like the JSON answer, a response with no output at all still has one (empty) message.
    if (this.output.length === 0) this.part('output_text', out);
    const ending = endingOf(this.finishReason);
    this.closeAll(out, ending.status === 'incomplete' ? 'incomplete' : 'completed');
    const usageOut = usage ?? this.chunkUsage;
    this.final = responseObject(this.ctx, { ...ending, output: [...this.output], usage: usageOut ? responsesUsageFrom(usageOut) : undefined });
    out.push(this.event(ending.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: this.final }));
    return out;
  }

  /** The upstream failed mid-stream: the `error` event, then response.failed with the output so far (open items incomplete). */
  fail(failure: StreamFailure): ResponseEvent[] {
    if (this.final) return [];
    const code = failure.status === 429 ? 'rate_limit_exceeded' : 'server_error';
    const output = this.snapshot('incomplete');
    this.open = [];
    this.final = responseObject(this.ctx, { status: 'failed', output, error: { code, message: failure.message } });
    return [
      this.event('error', { code: failure.code ?? code, message: failure.message, param: failure.param ?? null }),
      this.event('response.failed', { response: this.final }),
    ];
  }

  /** The final Response (after finish or fail) for storing; before that, the response so far, in progress. */
  response(): ResponseObject {
    return this.final ?? responseObject(this.ctx, { status: 'in_progress', output: this.snapshot('in_progress') });
  }

  /** The output so far, open items shown with `status`. */
  private snapshot(status: string): Item[] {
    return this.output.map((item, index) => {
      const open = this.open.find((candidate) => candidate.index === index);
      return open ? this.itemOf(open, status) : item;
    });
  }

  private event(type: string, payload: Record<string, unknown>): ResponseEvent {
    return { type, ...payload, sequence_number: this.sequence++ };
  }

  private addItem(item: OpenItem, out: ResponseEvent[]): void {
    this.open.push(item);
    this.output.push(this.itemOf(item, 'in_progress'));
    out.push(this.event('response.output_item.added', { output_index: item.index, item: this.output[item.index] }));
  }

  /** The open reasoning item, opening one (and closing what is open) as needed. */
  private reasoning(out: ResponseEvent[]): OpenItem & { kind: 'reasoning' } {
    const open = this.open.find((candidate) => candidate.kind === 'reasoning');
    if (open) return open;
    this.closeAll(out, 'completed');
    const item = { kind: 'reasoning' as const, index: this.output.length, id: newId('rs'), text: '', summaryOpen: false, blocks: new ThinkingBlocks() };
    this.addItem(item, out);
    return item;
  }

  private reasoningDelta(text: string, out: ResponseEvent[]): void {
    const item = this.reasoning(out);
    if (!item.summaryOpen) {
      item.summaryOpen = true;
      const part = { type: 'summary_text', text: '' };
      out.push(this.event('response.reasoning_summary_part.added', { item_id: item.id, output_index: item.index, summary_index: 0, part }));
    }
    item.text += text;
    out.push(this.event('response.reasoning_summary_text.delta', { item_id: item.id, output_index: item.index, summary_index: 0, delta: text }));
  }

  private textDelta(type: PartType, text: string, out: ResponseEvent[]): void {
    const { item, contentIndex } = this.part(type, out);
    const part = item.parts[contentIndex]!;
    part.text += text;
    const where = { item_id: item.id, output_index: item.index, content_index: contentIndex, delta: text };
    out.push(type === 'output_text' ? this.event('response.output_text.delta', { ...where, logprobs: [] }) : this.event('response.refusal.delta', where));
  }

  /** The open part of `type` in the open message, opening the message and the part as needed. */
  private part(type: PartType, out: ResponseEvent[]): { item: OpenItem & { kind: 'message' }; contentIndex: number } {
    let item = this.open.find((candidate) => candidate.kind === 'message');
    if (!item) {
      this.closeAll(out, 'completed');
      item = { kind: 'message', index: this.output.length, id: newId('msg'), parts: [], partOpen: false };
      this.addItem(item, out);
    }
    const last = item.parts.at(-1);
    if (item.partOpen && last?.type === type) return { item, contentIndex: item.parts.length - 1 };
    this.closePart(item, out);
    item.parts.push({ type, text: '' });
    item.partOpen = true;
    const contentIndex = item.parts.length - 1;
    out.push(
      this.event('response.content_part.added', { item_id: item.id, output_index: item.index, content_index: contentIndex, part: contentPart(type, '') }),
    );
    return { item, contentIndex };
  }

  private toolCallDelta(call: Record<string, unknown>, out: ResponseEvent[]): void {
    const fn = isRecord(call.function) ? call.function : {};
    const chatIndex = typeof call.index === 'number' ? call.index : this.calls.size;
    let item = this.calls.get(chatIndex);
    if (!item) {
      this.closeAll(out, 'completed', 'call');
      const callId = typeof call.id === 'string' && call.id !== '' ? call.id : newId('call');
      const name = typeof fn.name === 'string' ? fn.name : '';
      const tool = this.catalog.byChatName(name);
      item = { kind: 'call', index: this.output.length, id: newId(tool?.kind === 'custom' ? 'ctc' : 'fc'), callId, name, args: '', tool };
      this.calls.set(chatIndex, item);
      this.addItem(item, out);
    }
    if (item.name === '' && typeof fn.name === 'string') item.name = fn.name;
    // A call already closed (text came after it) cannot take more arguments.
    if (typeof fn.arguments !== 'string' || fn.arguments === '' || !this.open.includes(item)) return;
    item.args += fn.arguments;
    // A custom tool's input is a string inside the arguments' JSON: it is told whole when the call closes.
    if (item.tool?.kind === 'custom') return;
    out.push(this.event('response.function_call_arguments.delta', { item_id: item.id, output_index: item.index, delta: fn.arguments }));
  }

  /** Closes the open items (all, or all but those of kind `keep`), in output order. */
  private closeAll(out: ResponseEvent[], status: string, keep?: OpenItem['kind']): void {
    const closing = this.open.filter((item) => item.kind !== keep);
    this.open = this.open.filter((item) => item.kind === keep);
    for (const item of closing) {
      const where = { item_id: item.id, output_index: item.index };
      if (item.kind === 'reasoning') {
        if (item.summaryOpen) {
          out.push(this.event('response.reasoning_summary_text.done', { ...where, summary_index: 0, text: item.text }));
          out.push(this.event('response.reasoning_summary_part.done', { ...where, summary_index: 0, part: { type: 'summary_text', text: item.text } }));
        }
      } else if (item.kind === 'message') {
        this.closePart(item, out);
      } else if (item.tool?.kind === 'custom') {
        const input = customInputOf(item.args);
        if (input !== '') out.push(this.event('response.custom_tool_call_input.delta', { ...where, delta: input }));
        out.push(this.event('response.custom_tool_call_input.done', { ...where, input }));
      } else {
        out.push(this.event('response.function_call_arguments.done', { ...where, name: item.tool?.name ?? item.name, arguments: item.args }));
      }
      this.output[item.index] = this.itemOf(item, status);
      out.push(this.event('response.output_item.done', { output_index: item.index, item: this.output[item.index] }));
    }
  }

  private closePart(item: OpenItem & { kind: 'message' }, out: ResponseEvent[]): void {
    const part = item.parts.at(-1);
    if (!item.partOpen || !part) return;
    item.partOpen = false;
    const where = { item_id: item.id, output_index: item.index, content_index: item.parts.length - 1 };
    if (part.type === 'output_text') out.push(this.event('response.output_text.done', { ...where, text: part.text, logprobs: [] }));
    else out.push(this.event('response.refusal.done', { ...where, refusal: part.text }));
    out.push(this.event('response.content_part.done', { ...where, part: contentPart(part.type, part.text) }));
  }

  /** An item as the API shows it: empty while in progress (its content arrives as events), whole when done. */
  private itemOf(item: OpenItem, status: string): Item {
    const inProgress = status === 'in_progress';
    switch (item.kind) {
      case 'reasoning':
        return inProgress ? { id: item.id, type: 'reasoning', summary: [] } : reasoningItem(item.id, item.text, item.blocks.encoded());
      case 'message':
        return {
          id: item.id,
          type: 'message',
          status,
          role: 'assistant',
          content: inProgress ? [] : item.parts.map((part) => contentPart(part.type, part.text)),
        };
      case 'call':
        return toolCallItem(item.id, item.callId, item.tool, item.name, inProgress ? '' : item.args, status);
    }
  }
}
