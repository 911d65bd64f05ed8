import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.ts';
import type { OpenAIChunk, Usage } from '../providers/types.ts';
import { primed } from './primed-stream.ts';
import { filterChunk, filterPassThroughEvent, passThroughFrames, writeFrames, type StreamPolicy } from './sse.ts';

const USAGE: Usage = { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 };

function policy(includeUsage: boolean): StreamPolicy & { seen: Usage[] } {
  const seen: Usage[] = [];
  return { includeUsage, seen, onUsage: (u) => seen.push(u) };
}

/** The given text as a byte stream, cut at the given character offsets (byte offsets, to split UTF-8 too). */
async function* bytes(text: string, cuts: number[]): AsyncGenerator<Uint8Array> {
  const all = new TextEncoder().encode(text);
  let start = 0;
  for (const cut of [...cuts, all.length]) {
    yield all.slice(start, cut);
    start = cut;
  }
}

/** Every split position: the stream arrives one byte at a time. */
const everyByte = (text: string) => Array.from({ length: new TextEncoder().encode(text).length - 1 }, (_, i) => i + 1);

async function collect(frames: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const frame of frames) out.push(frame);
  return out;
}

const contentChunk = (text: string) =>
  JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });
const usageChunk = JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [], usage: USAGE });

describe('filterPassThroughEvent', () => {
  it('passes a chunk without usage through byte-identical', () => {
    const p = policy(false);
    const raw = '{"id":"c1",  "choices":[{"index":0,"delta":{"content":"hi"}}],"usage":null}';
    expect(filterPassThroughEvent(raw, p)).toBe(raw);
    expect(p.seen).toEqual([]);
  });

  it('records usage and drops the usage-only chunk when the client did not ask for it', () => {
    const p = policy(false);
    expect(filterPassThroughEvent(usageChunk, p)).toBeUndefined();
    expect(p.seen).toEqual([USAGE]);
  });

  it('records usage and keeps the usage chunk verbatim when the client asked', () => {
    const p = policy(true);
    expect(filterPassThroughEvent(usageChunk, p)).toBe(usageChunk);
    expect(p.seen).toEqual([USAGE]);
  });

  it('strips usage from a chunk that also carries choices when the client did not ask', () => {
    const p = policy(false);
    const raw = JSON.stringify({ id: 'c1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: USAGE });
    const kept = filterPassThroughEvent(raw, p);
    expect(JSON.parse(kept!)).toEqual({ id: 'c1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    expect(p.seen).toEqual([USAGE]);
  });

  it('passes data that is not JSON through untouched', () => {
    const raw = '"usage": {not json';
    expect(filterPassThroughEvent(raw, policy(false))).toBe(raw);
  });
});

describe('filterChunk', () => {
  it('serialises a chunk object without usage', () => {
    const chunk: OpenAIChunk = { id: 'x', choices: [{ index: 0, delta: { content: 'a' } }] };
    const p = policy(false);
    expect(filterChunk(chunk, p)).toBe(JSON.stringify(chunk));
    expect(p.seen).toEqual([]);
  });

  it('drops the usage-only chunk unless asked, recording usage either way', () => {
    const chunk: OpenAIChunk = { id: 'x', choices: [], usage: USAGE };
    const hidden = policy(false);
    expect(filterChunk(chunk, hidden)).toBeUndefined();
    expect(hidden.seen).toEqual([USAGE]);
    const shown = policy(true);
    expect(filterChunk(chunk, shown)).toBe(JSON.stringify(chunk));
    expect(shown.seen).toEqual([USAGE]);
  });

  it('prefers the raw text when it is given', () => {
    expect(filterChunk({ id: 'x', choices: [] }, policy(true), '{"id":"x","choices":[]}  ')).toBe('{"id":"x","choices":[]}  ');
  });
});

describe('passThroughFrames', () => {
  const upstream = [
    `data: ${contentChunk('Hél')}\r\n\r\n`,
    `: keep-alive comment\r\n\r\n`,
    `data: ${contentChunk('lo ✓')}\n\n`,
    `data: ${usageChunk}\n\n`,
    'data: [DONE]\n\n',
  ].join('');

  it('re-frames events split mid-event, mid-CRLF and mid-character', async () => {
    const p = policy(false);
    const frames = await collect(passThroughFrames(bytes(upstream, everyByte(upstream)), p));
    expect(frames.join('')).toBe(`data: ${contentChunk('Hél')}\n\ndata: ${contentChunk('lo ✓')}\n\n`);
    expect(p.seen).toEqual([USAGE]);
  });

  it('keeps the usage chunk for a client that asked, and never forwards [DONE]', async () => {
    const p = policy(true);
    const frames = await collect(passThroughFrames(bytes(upstream, [7, 50, 51, 120]), p));
    const text = frames.join('');
    expect(text).toBe(`data: ${contentChunk('Hél')}\n\ndata: ${contentChunk('lo ✓')}\n\ndata: ${usageChunk}\n\n`);
    expect(text).not.toContain('[DONE]');
  });

  it('batches the events of one network read into one frame', async () => {
    const frames = await collect(passThroughFrames(bytes(upstream, []), policy(true)));
    expect(frames).toHaveLength(1);
  });

  it('flushes a last event that lacks its blank line', async () => {
    const text = `data: ${contentChunk('a')}\n\ndata: ${contentChunk('b')}`;
    const frames = await collect(passThroughFrames(bytes(text, [10]), policy(false)));
    expect(frames.join('')).toBe(`data: ${contentChunk('a')}\n\ndata: ${contentChunk('b')}\n\n`);
  });

  it('sends the events of a read before its failing one, then fails: only a first-event failure is an HTTP error', async () => {
    const failing = `data: ${contentChunk('a')}\n\ndata: {"error":{"message":"overloaded"}}\n\n`;
    // One read holds both events; primed() reads the first frame before the client is answered.
    const frames = await primed(passThroughFrames(bytes(failing, []), policy(false)));
    expect(await frames.next()).toEqual({ done: false, value: `data: ${contentChunk('a')}\n\n` });
    await expect(frames.next()).rejects.toMatchObject({ status: 502, code: 'upstream_stream_error' });
    // An error that is the stream's first event fails the first read.
    await expect(primed(passThroughFrames(bytes('data: {"error":{"message":"overloaded"}}\n\n', []), policy(false)))).rejects.toMatchObject({
      code: 'upstream_stream_error',
    });
  });

  it('still meters a usage chunk that ends the stream with a single newline', async () => {
    const p = policy(false);
    await collect(passThroughFrames(bytes(`data: ${contentChunk('a')}\n\ndata: ${usageChunk}\r`, [3]), p));
    expect(p.seen).toEqual([USAGE]);
  });
});

/** The parts of a ServerResponse that writeFrames uses. */
class FakeResponse extends EventEmitter {
  written: string[] = [];
  ended = false;
  destroyed = false;
  /** How many writes report a full buffer (each then waits for 'drain'). */
  backpressure = 0;

  write(chunk: string): boolean {
    this.written.push(chunk);
    if (this.backpressure > 0) {
      this.backpressure--;
      setImmediate(() => this.emit('drain'));
      return false;
    }
    return true;
  }

  end(): this {
    this.ended = true;
    return this;
  }

  get text(): string {
    return this.written.join('');
  }
}

const asResponse = (fake: FakeResponse) => fake as unknown as ServerResponse;

async function* from(frames: string[], failWith?: unknown): AsyncGenerator<string> {
  for (const frame of frames) yield frame;
  if (failWith !== undefined) throw failWith;
}

const identity = (err: unknown) => err as Error;

describe('writeFrames', () => {
  it('writes every frame, then data: [DONE], then ends', async () => {
    const res = new FakeResponse();
    const result = await writeFrames(asResponse(res), from(['data: 1\n\n', 'data: 2\n\n']), identity);
    expect(result.error).toBeUndefined();
    expect(result.firstFrameAt).toBeGreaterThan(0);
    expect(res.written).toEqual(['data: 1\n\n', 'data: 2\n\n', 'data: [DONE]\n\n']);
    expect(res.ended).toBe(true);
  });

  it('waits for drain under backpressure and still writes everything', async () => {
    const res = new FakeResponse();
    res.backpressure = 2;
    await writeFrames(asResponse(res), from(['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n']), identity);
    expect(res.text).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\ndata: [DONE]\n\n');
  });

  it('turns a GatewayError thrown mid-stream into one in-band OpenAI error event, without [DONE]', async () => {
    const res = new FakeResponse();
    const failure = new GatewayError(504, 'The upstream went silent.', { code: 'upstream_timeout' });
    const result = await writeFrames(asResponse(res), from(['data: 1\n\n'], failure), identity);
    expect(result.error).toBe(failure);
    expect(res.written).toHaveLength(2);
    expect(res.written[1]).toBe(`data: ${JSON.stringify(failure.toBody())}\n\n`);
    expect(JSON.parse(res.written[1]!.slice(6))).toEqual({
      error: { message: 'The upstream went silent.', type: 'timeout_error', param: null, code: 'upstream_timeout' },
    });
    expect(res.text).not.toContain('[DONE]');
    expect(res.ended).toBe(true);
  });

  it('maps other errors through toError and renders them as api_error', async () => {
    const res = new FakeResponse();
    const result = await writeFrames(asResponse(res), from([], new Error('socket hang up')), (err) => new Error(`mapped: ${(err as Error).message}`));
    expect(result.error?.message).toBe('mapped: socket hang up');
    expect(JSON.parse(res.text.slice(6))).toEqual({ error: { message: 'mapped: socket hang up', type: 'api_error', param: null, code: null } });
  });

  it('stops writing once the client is gone', async () => {
    const res = new FakeResponse();
    async function* frames() {
      yield 'data: 1\n\n';
      res.destroyed = true;
      yield 'data: 2\n\n';
    }
    await writeFrames(asResponse(res), frames(), identity);
    expect(res.written).toEqual(['data: 1\n\n']);
    expect(res.ended).toBe(true);
  });
});
