/**
 * What a pass-through call used, read from the answer as it streams by without changing a byte: the `usage`
 * of a JSON answer (OpenAI `prompt_tokens`/`completion_tokens`; Anthropic and Responses `input_tokens`/
 * `output_tokens`), or the last `usage` in an SSE stream (OpenAI's `stream_options.include_usage` chunk,
 * Anthropic's message_start/message_delta, Responses' response.completed). Anthropic's and Responses' usage go
 * through the gateway's own converters for those shapes, so a pass-through call is counted (cache reads and
 * writes inside prompt_tokens) and priced exactly as the same answer through the gateway's own routes.
 */
import type { Usage } from '../../core/call.ts';
import { StreamUsageCollector } from '../../providers/anthropic/inbound/native.ts';
import { toOpenAIUsage } from '../../providers/anthropic/wire.ts';
import { usageFromResponses } from '../../providers/openai/responses/usage.ts';

/** JSON answers larger than this are relayed but not read for usage (memory stays bounded). */
const MAX_JSON_BYTES = 8 * 1024 * 1024;

export class UsageReader {
  private readonly sse: boolean;
  private readonly json: boolean;
  private chunks: Buffer[] = [];
  private size = 0;
  private partialLine = '';
  private decoder = new TextDecoder();
  private found: Usage | undefined;
  /** Anthropic streams split usage: input tokens at message_start, output tokens at message_delta. */
  private readonly anthropic = new StreamUsageCollector();

  constructor(contentType: string | undefined) {
    const type = (contentType ?? '').toLowerCase();
    this.sse = type.includes('text/event-stream');
    this.json = !this.sse && type.includes('json');
  }

  get streaming(): boolean {
    return this.sse;
  }

  push(chunk: Buffer): void {
    if (this.sse) {
      const text = this.partialLine + this.decoder.decode(chunk, { stream: true });
      const lines = text.split('\n');
      this.partialLine = lines.pop() ?? '';
      for (const line of lines) this.readLine(line);
    } else if (this.json && this.size + chunk.length <= MAX_JSON_BYTES) {
      this.chunks.push(chunk);
      this.size += chunk.length;
    } else if (this.json) {
      this.chunks = [];
      this.size = Number.POSITIVE_INFINITY;
    }
  }

  /** The usage found, once the answer ended. */
  finish(): Usage | undefined {
    if (this.sse) {
      this.readLine(this.partialLine);
      this.partialLine = '';
      return this.anthropic.result() ?? this.found;
    }
    if (!this.json || this.chunks.length === 0) return undefined;
    try {
      return usageOfAnswer(JSON.parse(Buffer.concat(this.chunks).toString('utf8')));
    } catch {
      return undefined;
    }
  }

  private readLine(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.startsWith('data:') || !line.includes('"usage"')) return;
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line.slice(5).trim()) as Record<string, unknown>;
    } catch {
      return;
    }
    const data = line.slice(5).trim();
    if (event.type === 'message_start' || event.type === 'message_delta') {
      this.anthropic.observe(event.type, data);
      return;
    }
    const usage = isRecord(event.response) ? usageOfAnswer(event.response) : usageOf(event.usage);
    if (usage) this.found = usage;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The usage of a whole answer: an Anthropic message, a Responses response, or an OpenAI-shaped answer. */
function usageOfAnswer(answer: unknown): Usage | undefined {
  if (!isRecord(answer) || !isRecord(answer.usage)) return undefined;
  if (answer.type === 'message') return toOpenAIUsage(answer.usage);
  if (answer.object === 'response') return usageFromResponses(answer.usage);
  return usageOf(answer.usage);
}

/** An OpenAI-shaped answer's usage (input_/output_tokens taken too); undefined when it has no token counts. */
function usageOf(value: unknown): Usage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const u = value as Record<string, unknown>;
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
  const prompt = count(u.prompt_tokens) ?? count(u.input_tokens);
  const completion = count(u.completion_tokens) ?? count(u.output_tokens);
  if (prompt === undefined && completion === undefined) return undefined;
  const promptTokens = prompt ?? 0;
  const completionTokens = completion ?? 0;
  const usage: Usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: count(u.total_tokens) ?? promptTokens + completionTokens,
  };
  const details = u.prompt_tokens_details ?? u.input_tokens_details;
  if (typeof details === 'object' && details !== null) usage.prompt_tokens_details = details as Usage['prompt_tokens_details'] & object;
  const cacheRead = count(u.cache_read_input_tokens);
  const cacheWrite = count(u.cache_creation_input_tokens);
  if (cacheRead !== undefined) usage.cache_read_input_tokens = cacheRead;
  if (cacheWrite !== undefined) usage.cache_creation_input_tokens = cacheWrite;
  return usage;
}
