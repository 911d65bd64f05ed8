import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CallLifetime } from '../../proxy/call-lifetime.ts';
import { testDeployment } from '../../test-support/fixtures.ts';
import { ResponseStreamState } from './responses-events.ts';
import { nativeResponseEvents, type ResponseIdentity } from './responses-native.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** An upstream that answers every request with these SSE bytes. */
async function upstreamSending(body: string): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/responses`;
}

const frame = (data: Record<string, unknown>) => `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;
const identity: ResponseIdentity = { id: 'resp_gateway', store: true, previousId: null };
const upstreamResponse = (status: string) => ({ id: 'resp_upstream', object: 'response', status, store: false, output: [] });
const delta = frame({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'hi', logprobs: [], sequence_number: 1 });

async function relay(body: string): Promise<{ text: string; error?: unknown; state: ResponseStreamState }> {
  const url = await upstreamSending(body);
  const state = new ResponseStreamState();
  const opened = await nativeResponseEvents({ method: 'POST', url, headers: {}, body: '{}' }, testDeployment(), new CallLifetime(), identity, state);
  let text = '';
  try {
    for await (const chunk of opened.frames) text += chunk;
  } catch (error) {
    return { text, error, state };
  }
  return { text, state };
}

describe('native Responses stream relay', () => {
  it("rewrites the lifecycle events' response to the gateway's identity and passes deltas as they came", async () => {
    const completed = { ...upstreamResponse('completed'), usage: { input_tokens: 3, output_tokens: 1, total_tokens: 4 } };
    const { text, error, state } = await relay(
      frame({ type: 'response.created', response: upstreamResponse('in_progress'), sequence_number: 0 }) +
        delta +
        frame({ type: 'response.completed', response: completed, sequence_number: 2 }),
    );
    expect(error).toBeUndefined();
    expect(text).toContain(delta);
    expect(text).not.toContain('resp_upstream');
    expect(state.final).toMatchObject({ id: 'resp_gateway', store: true, previous_response_id: null, status: 'completed' });
    expect(state.last).toBe(2);
  });

  it("throws the upstream's own error event instead of relaying it", async () => {
    const failure = frame({ type: 'error', code: 'server_error', message: 'boom with sk-secret', param: null, sequence_number: 2 });
    const { text, error } = await relay(frame({ type: 'response.created', response: upstreamResponse('in_progress'), sequence_number: 0 }) + delta + failure);
    expect(error).toMatchObject({ status: 502, code: 'upstream_stream_error' });
    expect(text).not.toContain('event: error');
  });

  it('relays the events read before the error event first, so the failure is told after them', async () => {
    const failure = frame({ type: 'error', code: 'server_error', message: 'boom', param: null, sequence_number: 2 });
    // One read holds all three events.
    const { text, error } = await relay(frame({ type: 'response.created', response: upstreamResponse('in_progress'), sequence_number: 0 }) + delta + failure);
    expect(error).toMatchObject({ status: 502, code: 'upstream_stream_error' });
    expect(text).toContain('event: response.created');
    expect(text).toContain(delta);
  });

  it("rejects before the stream is answered when the upstream's first event is its error (an HTTP error, retried and fallen back on)", async () => {
    const url = await upstreamSending(frame({ type: 'error', code: 'rate_limit_exceeded', message: 'slow down', param: null, sequence_number: 0 }));
    const opened = nativeResponseEvents(
      { method: 'POST', url, headers: {}, body: '{}' },
      testDeployment(),
      new CallLifetime(),
      identity,
      new ResponseStreamState(),
    );
    await expect(opened).rejects.toMatchObject({ status: 502, code: 'upstream_stream_error' });
  });

  it('fails a stream that ends before response.completed', async () => {
    const { error, state } = await relay(frame({ type: 'response.created', response: upstreamResponse('in_progress'), sequence_number: 0 }) + delta);
    expect(error).toMatchObject({ status: 502, message: expect.stringContaining('before response.completed') });
    expect(state.snapshot).toMatchObject({ id: 'resp_gateway' });
  });
});
