import { describe, expect, it } from 'vitest';
import { StreamUsageCollector } from '../providers/anthropic/inbound/native.ts';
import { observedBytes } from './anthropic-native.ts';

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
