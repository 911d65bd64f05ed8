/**
 * The `no-usage` marker: the same answer with every trace of usage removed, as some OpenAI-compatible
 * servers and proxies send it — no `usage` field in JSON bodies, and in streams no usage chunk (even when
 * `stream_options.include_usage` asked for one), no `usage` on chunks, no usage in Anthropic's
 * message_start / message_delta events. Lets tests prove a gateway estimates what it was not told.
 */
import type { MockReply } from './http.ts';
import { sseFrame } from './http.ts';
import { isObject } from './text.ts';

function withoutUsageField(body: unknown): unknown {
  if (!isObject(body)) return body;
  const { usage: _usage, ...rest } = body;
  return rest;
}

/** One SSE frame without usage, or undefined when the frame carried nothing but usage. */
function frameWithoutUsage(frame: string): string | undefined {
  const event = /^event: (.*)$/m.exec(frame)?.[1];
  const data = /^data: (.*)$/m.exec(frame)?.[1];
  if (data === undefined || data === '[DONE]') return frame;
  let payload: unknown;
  try {
    payload = JSON.parse(data) as unknown;
  } catch {
    return frame;
  }
  if (!isObject(payload)) return frame;
  // OpenAI's usage-only chunk (`choices: []`), streamed last when include_usage was asked.
  if (Array.isArray(payload.choices) && payload.choices.length === 0 && 'usage' in payload) return undefined;
  let out: Record<string, unknown> = withoutUsageField(payload) as Record<string, unknown>;
  // Anthropic's message_start carries the usage inside `message`.
  if (payload.type === 'message_start' && isObject(payload.message)) out = { ...out, message: withoutUsageField(payload.message) };
  return sseFrame(out, event);
}

/** `reply` with its usage removed (errors are left as they are). */
export function withoutUsage(reply: MockReply): MockReply {
  if (reply.kind === 'json') return reply.status < 400 ? { ...reply, body: withoutUsageField(reply.body) } : reply;
  const frames: string[] = [];
  let contentStart = reply.contentStart;
  reply.frames.forEach((frame, index) => {
    const kept = frameWithoutUsage(frame);
    if (kept !== undefined) frames.push(kept);
    else if (index < reply.contentStart) contentStart--;
  });
  return { kind: 'stream', frames, contentStart };
}
