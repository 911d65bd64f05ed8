import { describe, expect, it } from 'vitest';
import { StreamUsageCollector } from '../providers/anthropic/inbound/native.ts';
import { GatewayError } from '../core/errors.ts';
import { observedBytes } from './anthropic-native.ts';
import { primed } from './primed-stream.ts';

const SECRET = 'plain-upstream-secret-0123456789';
const STREAM = [
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":3,"output_tokens":0}}}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"héllo"}}\n\n',
  `event: error\ndata: {"type":"error","error":{"type":"api_error","message":"failed while serving x-api-key ${SECRET}"}}\n\n`,
].join('');

/** The stream's bytes cut once at `at`, as two network reads. */
async function* cutAt(bytes: Uint8Array, at: number): AsyncGenerator<Uint8Array> {
  yield bytes.subarray(0, at);
  yield bytes.subarray(at);
}

async function relay(chunks: AsyncIterable<Uint8Array>): Promise<{ text: string; error: unknown }> {
  const out: Uint8Array[] = [];
  let error: unknown;
  try {
    for await (const piece of observedBytes(chunks, new StreamUsageCollector())) out.push(piece);
  } catch (err) {
    error = err;
  }
  return { text: Buffer.concat(out).toString('utf8'), error };
}

describe('the native Anthropic stream relay', () => {
  it('never relays any part of an upstream error event, wherever the network cuts the stream', async () => {
    const bytes = new TextEncoder().encode(STREAM);
    for (let at = 1; at < bytes.length; at++) {
      const { text, error } = await relay(cutAt(bytes, at));
      expect(error, `cut at ${at}`).toBeInstanceOf(Error);
      expect(text, `cut at ${at}`).not.toContain('event: error');
      expect(text, `cut at ${at}`).not.toContain(SECRET.slice(0, 6));
    }
  });

  it('relays the complete events read before an error event, then fails; an error as the first event fails the first read', async () => {
    const bytes = new TextEncoder().encode(STREAM);
    const before = STREAM.slice(0, STREAM.indexOf('event: error'));
    // All in one read: what came before the error still reaches the client, before the failure.
    const frames = await primed(observedBytes(cutAt(bytes, bytes.length), new StreamUsageCollector()));
    const first = await frames.next();
    expect(Buffer.from(first.value as Uint8Array).toString('utf8')).toBe(before);
    await expect(frames.next()).rejects.toBeInstanceOf(GatewayError);
    // The stream's first event is the error (Anthropic's overloaded_error after a 200): the first read fails.
    const overloaded = new TextEncoder().encode('event: error\r\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\r\n\r\n');
    await expect(primed(observedBytes(cutAt(overloaded, 7), new StreamUsageCollector()))).rejects.toBeInstanceOf(GatewayError);
  });

  it('relays the upstream bytes unchanged, event by event, when nothing fails', async () => {
    const ok = STREAM.slice(0, STREAM.indexOf('event: error'));
    const bytes = new TextEncoder().encode(ok);
    for (let at = 1; at < bytes.length; at++) {
      const { text, error } = await relay(cutAt(bytes, at));
      expect(error).toBeUndefined();
      expect(text).toBe(ok);
    }
  });
});
