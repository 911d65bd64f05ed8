import { describe, expect, it } from 'vitest';
import { acceptsContentType, frameBatches } from './index.ts';
import { readAll, utf8, cutAt } from './test-chunks.ts';

describe('acceptsContentType', () => {
  it.each([
    ['sse', 'text/event-stream'],
    ['sse', 'text/event-stream; charset=utf-8'],
    ['sse', 'Text/Event-Stream'],
    ['ndjson', 'application/x-ndjson'],
    ['ndjson', 'application/jsonl; charset=utf-8'],
    ['ndjson', 'application/json'],
    ['aws-eventstream', 'application/vnd.amazon.eventstream'],
  ] as const)('%s accepts %s', (framing, contentType) => {
    expect(acceptsContentType(framing, contentType)).toBe(true);
  });

  it.each([
    ['sse', 'application/json'],
    ['sse', ''],
    ['ndjson', 'text/event-stream'],
    ['ndjson', 'text/html; charset=utf-8'],
    ['aws-eventstream', 'application/json'],
    ['aws-eventstream', 'application/octet-stream'],
  ] as const)('%s refuses %s', (framing, contentType) => {
    expect(acceptsContentType(framing, contentType)).toBe(false);
  });
});

describe('frameBatches', () => {
  it("reads the body with the framing's reader", async () => {
    expect((await readAll(frameBatches('sse', cutAt(utf8('data: {"a":1}\n\n'), [])))).frames).toEqual([{ data: '{"a":1}' }]);
    expect((await readAll(frameBatches('ndjson', cutAt(utf8('{"a":1}\n'), [])))).frames).toEqual([{ a: 1 }]);
    const notEventStream = await readAll(frameBatches('aws-eventstream', cutAt(utf8('{"a":1}\n'), [])));
    expect(notEventStream.error).toMatchObject({ code: 'upstream_invalid_response' });
  });
});
