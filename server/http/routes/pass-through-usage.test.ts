import { describe, expect, it } from 'vitest';
import { UsageReader } from './pass-through-usage.ts';

const feed = (reader: UsageReader, text: string, cut: number[]) => {
  let at = 0;
  for (const end of [...cut, text.length]) {
    reader.push(Buffer.from(text.slice(at, end)));
    at = end;
  }
  return reader.finish();
};

describe('UsageReader', () => {
  it('reads an OpenAI JSON answer split across chunks', () => {
    const body = JSON.stringify({ id: 'x', usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18, prompt_tokens_details: { cached_tokens: 3 } } });
    expect(feed(new UsageReader('application/json; charset=utf-8'), body, [5, 40])).toEqual({
      prompt_tokens: 11,
      completion_tokens: 7,
      total_tokens: 18,
      prompt_tokens_details: { cached_tokens: 3 },
    });
  });

  it("reads the include_usage chunk of an SSE stream whatever the reads' boundaries, CRLF lines too", () => {
    const stream =
      'data: {"choices":[{"delta":{"content":"hi"}}]}\r\n\r\n' +
      'data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}\r\n\r\n' +
      'data: [DONE]\r\n\r\n';
    expect(feed(new UsageReader('text/event-stream'), stream, [10, 70, 75])).toEqual({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
  });

  it("adds Anthropic's stream usage up: input tokens at message_start, output tokens at message_delta", () => {
    const stream =
      'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":25,"output_tokens":1}}}\n\n' +
      'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":15}}\n\n';
    expect(feed(new UsageReader('text/event-stream'), stream, [])).toEqual({
      prompt_tokens: 25,
      completion_tokens: 15,
      total_tokens: 40,
      prompt_tokens_details: { cached_tokens: 0 },
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it("counts an Anthropic answer's cache reads and writes as prompt tokens, as the gateway's Anthropic adapters do (so cache reads are priced)", () => {
    const body = JSON.stringify({
      type: 'message',
      usage: { input_tokens: 10, cache_read_input_tokens: 1000, cache_creation_input_tokens: 50, output_tokens: 5 },
    });
    const anthropicUsage = {
      prompt_tokens: 1060,
      completion_tokens: 5,
      total_tokens: 1065,
      prompt_tokens_details: { cached_tokens: 1000 },
      cache_creation_input_tokens: 50,
      cache_read_input_tokens: 1000,
    };
    expect(feed(new UsageReader('application/json'), body, [7])).toEqual(anthropicUsage);
    const stream =
      'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":10,"cache_read_input_tokens":1000,"cache_creation_input_tokens":50,"output_tokens":1}}}\n\n' +
      'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":5}}\n\n';
    expect(feed(new UsageReader('text/event-stream'), stream, [30])).toEqual(anthropicUsage);
  });

  it('finds nothing in an answer without usage, in a non-JSON answer, or in broken JSON', () => {
    expect(feed(new UsageReader('application/json'), '{"data":[]}', [])).toBeUndefined();
    expect(feed(new UsageReader('text/plain'), '{"usage":{"prompt_tokens":1}}', [])).toBeUndefined();
    expect(feed(new UsageReader('application/json'), '{"usage":{"prompt_tokens":1', [])).toBeUndefined();
  });
});
