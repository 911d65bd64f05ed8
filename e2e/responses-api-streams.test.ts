/**
 * Streamed Responses API calls through the gateway, read with the official `openai` SDK: typed events in the
 * API's order with sequence numbers from 0, each validated against OpenAI's ResponseStreamEvent schema, for an
 * openai/ deployment (relayed) and an anthropic/ one (translated from chat chunks); function calls, chains,
 * spend rows, in-band failures, event names on the wire, masking.
 */
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { MockProviders } from './mock-providers/index.ts';
import type { Admin } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { expectValid } from './support/openapi.ts';
import { RESPONSES_MODELS as MODELS, TEXT_END, TEXT_EVENTS, completedOf, drain, textOf, weather, withResponsesGateway } from './support/responses.ts';

let mock: MockProviders;
let gw: TestGateway;
let client: OpenAI;
let api: Admin;
withResponsesGateway((started) => {
  ({ mock, gw, client, api } = started);
});

describe.each(MODELS)('%s (%s), streamed', (model) => {
  it('streams typed events in order, and stores the completed response under the id it announced', async () => {
    const events = await drain(await client.responses.create({ model, input: 'stream me please', stream: true }));
    const types = events.map((e) => e.type);
    const deltas = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : []));
    expect(types).toEqual([...TEXT_EVENTS, ...deltas.map(() => 'response.output_text.delta'), ...TEXT_END]);
    expect(deltas.join('')).toBe('echo: stream me please');
    const response = completedOf(events);
    const created = events[0];
    if (created?.type !== 'response.created') throw new Error('no response.created');
    expect(response.id).toBe(created.response.id);
    expect(response.id).toMatch(/^resp_/);
    expect(response.usage?.output_tokens).toBeGreaterThan(0);
    expect((await client.responses.retrieve(response.id)).output_text).toBe('echo: stream me please');
  });

  it('streams a function call as argument deltas, and chains the tool output after it', async () => {
    const events = await drain(await client.responses.create({ model, input: 'weather in Rome', tools: [weather], stream: true }));
    const args = events.flatMap((e) => (e.type === 'response.function_call_arguments.delta' ? [e.delta] : [])).join('');
    expect(args).toBe('{"echo":"weather in Rome"}');
    const first = completedOf(events);
    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('no function call');
    const next = await drain(
      await client.responses.create({
        model,
        tools: [weather],
        stream: true,
        previous_response_id: first.id,
        input: [{ type: 'function_call_output', call_id: call.call_id, output: 'rainy' }],
      }),
    );
    expect(textOf(completedOf(next))).toBe('echo: rainy');
  });

  it("assembles in the SDK's stream helper into the response it completed with", async () => {
    const runner = client.responses.stream({ model, input: 'assemble me', tools: [weather], tool_choice: 'none' });
    const deltas: string[] = [];
    runner.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await runner.finalResponse();
    expect(final.output_text).toBe('echo: assemble me');
    expect(deltas.join('')).toBe('echo: assemble me');
    const stored = await client.responses.retrieve(final.id);
    expect(stored.output_text).toBe(final.output_text);
    expect(stored.output.map((item) => item.id)).toEqual(final.output.map((item) => item.id));
  });

  it('writes a priced spend row for a stream', async () => {
    const { data: stream, response } = await client.responses.create({ model, input: 'stream what it costs', stream: true }).withResponse();
    const events = await drain(stream);
    const usage = completedOf(events).usage;
    const { rows } = await api.spendLogs({ request_id: response.headers.get('x-litellm-call-id')! });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ call_type: 'aresponses', status: 'success', prompt_tokens: usage?.input_tokens, completion_tokens: usage?.output_tokens });
    expect(rows[0]!.spend).toBeGreaterThan(0);
  });

  it('tells a stream that breaks upstream in-band: error, then response.failed; nothing is stored', async () => {
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of await client.responses.create({ model: `broken-${model}`, input: 'one two three four five', stream: true })) events.push(event);
    for (const event of events) expectValid('ResponseStreamEvent', event);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.slice(-2).map((e) => e.type)).toEqual(['error', 'response.failed']);
    const failed = events.at(-1);
    if (failed?.type !== 'response.failed') throw new Error('no response.failed');
    expect(failed.response.status).toBe('failed');
    expect(failed.response.error?.code).toBe('server_error');
    await expect(client.responses.retrieve(failed.response.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe('streams', () => {
  it('names every event as its type, on the wire', async () => {
    const res = await fetch(`${gw.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-1234', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', input: 'raw events', stream: true }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const blocks = (await res.text()).split('\n\n').filter(Boolean);
    expect(blocks.length).toBeGreaterThan(5);
    for (const block of blocks) {
      const [eventLine, dataLine] = block.split('\n');
      expect(eventLine).toMatch(/^event: /);
      expect((JSON.parse(dataLine!.slice('data: '.length)) as { type: string }).type).toBe(eventLine!.slice('event: '.length));
    }
  });

  it('masks an upstream error event that quotes the deployment key', async () => {
    const res = await fetch(`${gw.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-1234', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'leaky', input: 'one two three four', stream: true }),
    });
    const text = await res.text();
    expect(text).toContain('event: response.failed');
    expect(text).not.toContain('sk-openai-up-secret-1234');
  });

  it('cancels the upstream request when the client goes away mid-stream', async () => {
    const controller = new AbortController();
    const res = await fetch(`${gw.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-1234', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow-stream', input: 'one two three four five six seven eight', stream: true }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('event: response.created');
    controller.abort();
    const upstream = await mock.waitFor((r) => r.aborted, 5000);
    expect(upstream.path).toBe('/v1/responses');
  });
});
