import { describe, expect, it } from 'vitest';
import { testCallContext } from '../../test-support/fixtures.ts';
import type { SseFrame } from '../types.ts';
import { translateCohereEmbed } from './embed.ts';
import { mapCohereError } from './errors.ts';
import { translateCohereChat } from './response.ts';
import { createCohereStreamTranslator } from './stream.ts';

const ctx = (body: Record<string, unknown> = {}) => testCallContext(body, { deployment: { provider: 'cohere', upstreamModel: 'command-r' } });
const usage = { billed_units: { input_tokens: 5, output_tokens: 3 }, tokens: { input_tokens: 70, output_tokens: 3 } };

describe('Cohere chat answers', () => {
  it('text, billed units as usage, finish reason', () => {
    const out = translateCohereChat(
      { id: 'c1', finish_reason: 'MAX_TOKENS', message: { role: 'assistant', content: [{ type: 'text', text: 'hello' }] }, usage },
      ctx(),
    );
    expect(out).toMatchObject({
      id: 'c1',
      object: 'chat.completion',
      model: 'command-r',
      choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'length' }],
      usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
    });
  });

  it("a reasoning model's thinking content is reasoning_content, streamed too", () => {
    const out = translateCohereChat(
      {
        id: 'c3',
        finish_reason: 'COMPLETE',
        message: {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm' },
            { type: 'text', text: 'yes' },
          ],
        },
        usage,
      },
      ctx(),
    );
    expect(out).toMatchObject({ choices: [{ message: { content: 'yes', reasoning_content: 'hmm' } }] });
    const t = createCohereStreamTranslator(ctx());
    const chunks = t.push({ data: JSON.stringify({ type: 'content-delta', index: 0, delta: { message: { content: { thinking: 'hmm' } } } }) });
    expect(chunks[0]?.choices).toMatchObject([{ delta: { reasoning_content: 'hmm' } }]);
  });

  it('tool calls keep their ids and finish with tool_calls', () => {
    const out = translateCohereChat(
      {
        id: 'c2',
        finish_reason: 'TOOL_CALL',
        message: {
          role: 'assistant',
          tool_plan: 'look up',
          tool_calls: [{ id: 'get_weather_x1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        usage,
      },
      ctx(),
    ) as { choices: { message: Record<string, unknown>; finish_reason: string }[] };
    expect(out.choices[0]?.finish_reason).toBe('tool_calls');
    expect(out.choices[0]?.message.content).toBeNull();
    expect(out.choices[0]?.message.tool_calls).toEqual([
      { id: 'get_weather_x1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
  });

  it('embeddings as floats or base64 float32, usage from billed units', () => {
    const upstream = { id: 'e', embeddings: { float: [[0.5, -1]] }, meta: { billed_units: { input_tokens: 4 } } };
    expect(translateCohereEmbed(upstream, ctx({ input: 'a' }))).toMatchObject({ data: [{ index: 0, embedding: [0.5, -1] }], usage: { prompt_tokens: 4 } });
    const b64 = translateCohereEmbed(upstream, ctx({ input: 'a', encoding_format: 'base64' })) as { data: { embedding: string }[] };
    const bytes = Buffer.from(b64.data[0]?.embedding ?? '', 'base64');
    expect([bytes.readFloatLE(0), bytes.readFloatLE(4)]).toEqual([0.5, -1]);
  });
});

const frame = (data: Record<string, unknown>): SseFrame => ({ event: String(data.type), data: JSON.stringify(data) });

describe('Cohere chat stream', () => {
  it('text deltas, then the finish chunk and one usage chunk', () => {
    const t = createCohereStreamTranslator(ctx());
    const chunks = [
      frame({ type: 'message-start', id: 'm1', delta: { message: { role: 'assistant', content: [] } } }),
      frame({ type: 'content-start', index: 0, delta: { message: { content: { type: 'text', text: '' } } } }),
      frame({ type: 'content-delta', index: 0, delta: { message: { content: { text: 'hel' } } } }),
      frame({ type: 'content-delta', index: 0, delta: { message: { content: { text: 'lo' } } } }),
      frame({ type: 'content-end', index: 0 }),
      frame({ type: 'message-end', delta: { finish_reason: 'COMPLETE', usage } }),
    ].flatMap((f) => t.push(f));
    expect(t.end()).toEqual([]);
    const deltas = chunks.map((c) => (c.choices as { delta: Record<string, unknown>; finish_reason: string | null }[])[0]);
    expect(deltas.map((d) => d?.delta.content)).toEqual(['', 'hel', 'lo', undefined, undefined]);
    expect(deltas[3]?.finish_reason).toBe('stop');
    expect(chunks[4]).toMatchObject({ id: 'm1', choices: [], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } });
  });

  it('tool calls stream with their ids and arguments pieces, finishing with tool_calls', () => {
    const t = createCohereStreamTranslator(ctx());
    const chunks = [
      frame({ type: 'message-start', id: 'm2', delta: { message: { role: 'assistant' } } }),
      frame({ type: 'tool-plan-delta', delta: { message: { tool_plan: 'I will' } } }),
      frame({
        type: 'tool-call-start',
        index: 0,
        delta: { message: { tool_calls: { id: 'call_9', type: 'function', function: { name: 'f', arguments: '' } } } },
      }),
      frame({ type: 'tool-call-delta', index: 0, delta: { message: { tool_calls: { function: { arguments: '{"a":' } } } } }),
      frame({ type: 'tool-call-delta', index: 0, delta: { message: { tool_calls: { function: { arguments: '1}' } } } } }),
      frame({ type: 'tool-call-end', index: 0 }),
      frame({ type: 'message-end', delta: { finish_reason: 'TOOL_CALL', usage } }),
    ].flatMap((f) => t.push(f));
    const calls = chunks.flatMap((c) => (c.choices as { delta: { tool_calls?: unknown[] } }[]).flatMap((ch) => ch.delta.tool_calls ?? []));
    expect(calls).toEqual([
      { index: 0, id: 'call_9', type: 'function', function: { name: 'f', arguments: '' } },
      { index: 0, function: { arguments: '{"a":' } },
      { index: 0, function: { arguments: '1}' } },
    ]);
    expect(chunks.at(-2)?.choices).toMatchObject([{ finish_reason: 'tool_calls' }]);
  });

  it('a stream cut before message-end is an upstream error', () => {
    const t = createCohereStreamTranslator(ctx());
    t.push(frame({ type: 'message-start', id: 'm3' }));
    expect(() => t.end()).toThrow(/ended early/);
  });
});

describe('Cohere errors', () => {
  const body = (message: string) => JSON.stringify({ id: 'x', message });
  it('maps statuses, context overflow, safety, and always gives a 429 a Retry-After', () => {
    expect(mapCohereError(401, body('invalid api token'), {}).status).toBe(401);
    expect(mapCohereError(404, body("model 'nope' not found"), {}).status).toBe(404);
    expect(mapCohereError(500, body('internal server error'), {}).status).toBe(502);
    expect(mapCohereError(429, body('trial key limit'), {}).headers['retry-after']).toBe('1');
    expect(mapCohereError(429, body('trial key limit'), { 'retry-after': '7' }).headers['retry-after']).toBe('7');
    const overflow = mapCohereError(400, body('too many tokens: total number of tokens in the prompt cannot exceed 4081 - received 4992'), {});
    expect(overflow.code).toBe('context_length_exceeded');
    expect(mapCohereError(400, body('blocked output: this request was blocked by the safety system'), {}).code).toBe('content_policy_violation');
    expect(mapCohereError(500, '<html>oops</html>', {}).message).toContain('oops');
  });
});
