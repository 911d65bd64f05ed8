import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.ts';
import type { AwsEventStreamFrame, JsonValue, OpenAIChunk, SseFrame, StreamTranslator, Usage } from '../providers/types.ts';
import { cutAt, everyCut, utf8 } from './framing/test-chunks.ts';
import { primed } from './primed-stream.ts';
import { translatedFrames, type StreamPolicy } from './sse.ts';

const USAGE: Usage = { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 };

function policy(includeUsage: boolean): StreamPolicy & { seen: Usage[] } {
  const seen: Usage[] = [];
  return { includeUsage, seen, onUsage: (u) => seen.push(u) };
}

async function collect(frames: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const frame of frames) out.push(frame);
  return out;
}

const contentChunk = (text: string): OpenAIChunk => ({ id: 't', choices: [{ index: 0, delta: { content: text } }] });

/** The content of each chunk the client got ('usage' for the usage chunk). */
function contents(frames: string[]): string[] {
  const chunks = frames
    .join('')
    .split('\n\n')
    .filter(Boolean)
    .map((f) => JSON.parse(f.replace(/^data: /, '')) as OpenAIChunk);
  return chunks.map((c) => (c.choices as { delta?: { content?: string } }[])[0]?.delta?.content ?? 'usage');
}

describe('translatedFrames over SSE', () => {
  /** Upper-cases `text` events; emits a usage chunk at the end, like a real translator. */
  function translator(): StreamTranslator<SseFrame> & { events: SseFrame[] } {
    const events: SseFrame[] = [];
    return {
      events,
      push(event) {
        events.push(event);
        if (event.event === 'error') throw new GatewayError(529, 'overloaded', { code: 'overloaded' });
        return event.event === 'text' ? [contentChunk(event.data.toUpperCase())] : [];
      },
      end: () => [{ id: 't', choices: [], usage: USAGE }],
    };
  }

  const upstream = utf8('event: text\r\ndata: ab\r\n\r\nevent: ping\ndata: {}\n\nevent: text\ndata: cd\n\n');

  it('passes named events to the translator, one byte per read, and appends its final chunks', async () => {
    const t = translator();
    const p = policy(true);
    const frames = await collect(translatedFrames(cutAt(upstream, everyCut(upstream).at(-1)!.cuts), t, p));
    expect(t.events).toEqual([
      { event: 'text', data: 'ab' },
      { event: 'ping', data: '{}' },
      { event: 'text', data: 'cd' },
    ]);
    expect(contents(frames)).toEqual(['AB', 'CD', 'usage']);
    expect(p.seen).toEqual([USAGE]);
  });

  it('withholds the final usage chunk from a client that did not ask', async () => {
    const p = policy(false);
    const frames = await collect(translatedFrames(cutAt(utf8('event: text\ndata: x\n\n'), []), translator(), p));
    expect(frames.join('')).not.toContain('usage');
    expect(p.seen).toEqual([USAGE]);
  });

  it('lets an in-band upstream error surface', async () => {
    const errorStream = utf8('event: text\ndata: x\n\nevent: error\ndata: {}\n\n');
    await expect(collect(translatedFrames(cutAt(errorStream, [5]), translator(), policy(false)))).rejects.toThrow('overloaded');
  });

  it('sends what a read translated before its failing event first, so only a first-event failure fails the first frame', async () => {
    const errorStream = utf8('event: text\ndata: x\n\nevent: error\ndata: {}\n\n');
    const frames = await primed(translatedFrames(cutAt(errorStream, []), translator(), policy(false)));
    expect(contents([(await frames.next()).value as string])).toEqual(['X']);
    await expect(frames.next()).rejects.toThrow('overloaded');
    await expect(primed(translatedFrames(cutAt(utf8('event: error\ndata: {}\n\n'), []), translator(), policy(false)))).rejects.toThrow('overloaded');
  });
});

describe("translatedFrames in the provider's framing", () => {
  it('gives an NDJSON translator the parsed value of each line', async () => {
    const values: JsonValue[] = [];
    const t: StreamTranslator<JsonValue> = {
      push(value) {
        values.push(value);
        const content = (value as { message?: { content?: string } }).message?.content;
        return content ? [contentChunk(content)] : [];
      },
      end: () => [],
    };
    const upstream = utf8('{"message":{"content":"Hé"}}\n{"message":{"content":"llo"}}\n{"done":true}\n');
    const frames = await collect(translatedFrames(cutAt(upstream, [25]), t, policy(false), 'ndjson'));
    expect(values).toEqual([{ message: { content: 'Hé' } }, { message: { content: 'llo' } }, { done: true }]);
    expect(contents(frames)).toEqual(['Hé', 'llo']);
  });

  it('gives an AWS event-stream translator each message, and surfaces an exception message after the text before it', async () => {
    const codec = new EventStreamCodec(toUtf8, fromUtf8);
    const message = (kind: 'event' | 'exception', type: string, payload: unknown) =>
      codec.encode({
        headers: { ':message-type': { type: 'string', value: kind }, [kind === 'event' ? ':event-type' : ':exception-type']: { type: 'string', value: type } },
        body: fromUtf8(JSON.stringify(payload)),
      });
    const t: StreamTranslator<AwsEventStreamFrame> = {
      push: ({ headers, payload }) =>
        headers[':event-type'] === 'contentBlockDelta' ? [contentChunk((JSON.parse(toUtf8(payload)) as { delta: { text: string } }).delta.text)] : [],
      end: () => [],
    };
    const upstream = new Uint8Array(
      Buffer.concat([
        message('event', 'messageStart', { role: 'assistant' }),
        message('event', 'contentBlockDelta', { delta: { text: 'Hi' } }),
        message('exception', 'validationException', { message: 'Bad input' }),
      ]),
    );
    const out: string[] = [];
    const failure = await (async () => {
      for await (const frame of translatedFrames(cutAt(upstream, [30]), t, policy(false), 'aws-eventstream')) out.push(frame);
    })().catch((err: unknown) => err);
    expect(contents(out)).toEqual(['Hi']);
    expect(failure).toMatchObject({ status: 400, code: 'validationException', message: 'The upstream stream failed with validationException: Bad input' });
  });
});
