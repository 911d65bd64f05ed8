/**
 * Server-sent events to the client. OpenAI-shaped upstream streams are re-framed event by event but
 * their JSON is never parsed or re-serialised, except the one chunk that carries usage; other upstreams
 * are read with their provider's framing (framing/) and translated.
 */
import type { ServerResponse } from 'node:http';
import type { OpenAIChunk, StreamFrame, StreamFraming, StreamTranslator, Usage } from '../providers/types.ts';
import { GatewayError } from '../core/errors.ts';
import { writeEvents, type WriteEventsResult } from './event-writer.ts';
import { frameBatches } from './framing/index.ts';
import { sseFrameBatches } from './framing/sse.ts';

export interface StreamPolicy {
  /** The client asked for `stream_options.include_usage`; otherwise the usage chunk is withheld. */
  includeUsage: boolean;
  onUsage(usage: Usage): void;
  /** Keeps the generated text until usage arrives, to estimate usage if it never does. */
  transcript?: StreamTranscript;
}

/**
 * What a stream said, kept only until the provider reports usage. Pass-through events are kept as
 * their raw text and parsed only if the stream ends without usage, so the usual case costs one
 * array push per event.
 */
export class StreamTranscript {
  private raw: string[] = [];
  private chunks: OpenAIChunk[] = [];
  private usageReported = false;

  keepRaw(data: string): void {
    if (!this.usageReported) this.raw.push(data);
  }

  keepChunk(chunk: OpenAIChunk): void {
    if (!this.usageReported) this.chunks.push(chunk);
  }

  usageSeen(): void {
    this.usageReported = true;
    this.raw = [];
    this.chunks = [];
  }

  /** The generated text (content, legacy text, tool-call arguments) of everything kept. */
  text(): string {
    const parsed = this.raw.flatMap((data) => {
      try {
        return [JSON.parse(data) as OpenAIChunk];
      } catch {
        return [];
      }
    });
    let out = '';
    for (const chunk of [...parsed, ...this.chunks]) {
      for (const choice of (chunk.choices as { delta?: Record<string, unknown>; text?: unknown }[] | undefined) ?? []) {
        const delta = choice.delta ?? {};
        if (typeof delta.content === 'string') out += delta.content;
        if (typeof choice.text === 'string') out += choice.text;
        for (const call of (delta.tool_calls as { function?: { arguments?: unknown } }[] | undefined) ?? []) {
          if (typeof call.function?.arguments === 'string') out += call.function.arguments;
        }
      }
    }
    return out;
  }
}

const USAGE_OBJECT = /"usage"\s*:\s*\{/;

/** One pass-through event: forwarded as is unless it carries usage. Returns undefined to drop it. */
export function filterPassThroughEvent(data: string, policy: StreamPolicy): string | undefined {
  // An upstream's in-band failure (`data: {"error":…}`) is the gateway's to tell, masked, as chunk-stream.ts does.
  if (data.startsWith('{"error"'))
    throw new GatewayError(502, `The upstream failed mid-stream: ${upstreamErrorMessage(data)}`, { code: 'upstream_stream_error' });
  if (!USAGE_OBJECT.test(data)) {
    policy.transcript?.keepRaw(data);
    return data;
  }
  let chunk: OpenAIChunk;
  try {
    chunk = JSON.parse(data) as OpenAIChunk;
  } catch {
    return data;
  }
  return filterChunk(chunk, policy, data);
}

function upstreamErrorMessage(data: string): string {
  try {
    const failure = (JSON.parse(data) as { error?: { message?: unknown } }).error;
    return String(failure?.message ?? JSON.stringify(failure));
  } catch {
    return data.slice(0, 300);
  }
}

/** A chunk object: usage is recorded; the usage-only chunk reaches only clients that asked for it. */
export function filterChunk(chunk: OpenAIChunk, policy: StreamPolicy, raw?: string): string | undefined {
  const usage = chunk.usage as Usage | null | undefined;
  if (!usage || typeof usage !== 'object') policy.transcript?.keepChunk(chunk);
  else {
    policy.onUsage(usage);
    policy.transcript?.usageSeen();
    if (!policy.includeUsage) {
      if (Array.isArray(chunk.choices) && chunk.choices.length === 0) return undefined;
      const { usage: _hidden, ...rest } = chunk;
      return JSON.stringify(rest);
    }
  }
  return raw ?? JSON.stringify(chunk);
}

/**
 * Frames (already `data: …\n\n` text) for an OpenAI-shaped upstream stream. When an event of a read fails, the
 * events before it in the same read are sent first: so a failure is "in the first event" (an HTTP error, see
 * primed-stream.ts) only when it is, however the upstream's writes were split into reads.
 */
export async function* passThroughFrames(body: AsyncIterable<Uint8Array>, policy: StreamPolicy): AsyncGenerator<string> {
  for await (const events of sseFrameBatches(body)) {
    let out = '';
    try {
      for (const { data } of events) {
        if (data === '[DONE]') continue;
        const kept = filterPassThroughEvent(data, policy);
        if (kept !== undefined) out += dataFrame(kept);
      }
    } catch (err) {
      if (out) yield out;
      throw err;
    }
    if (out) yield out;
  }
}

/** One SSE event; an event whose data spans lines keeps a `data:` prefix on each. */
function dataFrame(data: string): string {
  return data.includes('\n') ? `data: ${data.replace(/\n/g, '\ndata: ')}\n\n` : `data: ${data}\n\n`;
}

/** Frames for a non-OpenAI upstream stream, read with its provider's framing and translated frame by frame. */
export async function* translatedFrames(
  body: AsyncIterable<Uint8Array>,
  translator: StreamTranslator<StreamFrame>,
  policy: StreamPolicy,
  framing: StreamFraming = 'sse',
): AsyncGenerator<string> {
  for await (const frames of frameBatches(framing, body)) {
    let out = '';
    try {
      for (const frame of frames) out += chunkFrames(translator.push(frame), policy);
    } catch (err) {
      // As in passThroughFrames: what the read said before its failing frame is sent first.
      if (out) yield out;
      throw err;
    }
    if (out) yield out;
  }
  const last = chunkFrames(translator.end(), policy);
  if (last) yield last;
}

/** Frames for chunks produced in-process (the mock provider). */
export async function* chunkObjectFrames(chunks: AsyncIterable<OpenAIChunk>, policy: StreamPolicy): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    const frame = chunkFrames([chunk], policy);
    if (frame) yield frame;
  }
}

function chunkFrames(chunks: OpenAIChunk[], policy: StreamPolicy): string {
  let out = '';
  for (const chunk of chunks) {
    const kept = filterChunk(chunk, policy);
    if (kept !== undefined) out += `data: ${kept}\n\n`;
  }
  return out;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/**
 * Writes frames to the client, then `data: [DONE]`. A failure after the stream started becomes one
 * in-band `data: {"error":…}` event before the connection closes: the status line is already sent.
 */
export function writeFrames(
  res: ServerResponse,
  frames: AsyncIterable<string>,
  toError: (err: unknown) => Error,
  beforeEnd?: (result: WriteEventsResult) => void,
): Promise<WriteEventsResult> {
  return writeEvents(res, frames, { toError, errorFrame: openaiErrorFrame, endFrame: 'data: [DONE]\n\n', ...(beforeEnd ? { beforeEnd } : {}) });
}

function openaiErrorFrame(error: Error): string {
  const body = error instanceof GatewayError ? error.toBody() : { error: { message: error.message, type: 'api_error', param: null, code: null } };
  return `data: ${JSON.stringify(body)}\n\n`;
}
