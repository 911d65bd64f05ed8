/**
 * The OpenAI Responses API through the gateway, driven by the official `openai` SDK: an openai/ deployment
 * (native: relayed with the gateway's id) and an anthropic/ deployment (translated through chat), with function
 * tools, previous_response_id chains, the store, key ownership, spend rows, fallbacks, OpenAI-only tools and the
 * stored-response routes. Every body is checked against OpenAI's published OpenAPI schemas. Streams:
 * responses-api-streams.test.ts.
 */
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { MockProviders } from './mock-providers/index.ts';
import type { Admin } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { expectValid } from './support/openapi.ts';
import { RESPONSES_MODELS as MODELS, storeOf, upstreamBody as bodyOf, weather, withResponsesGateway } from './support/responses.ts';

let mock: MockProviders;
let gw: TestGateway;
let client: OpenAI;
let api: Admin;
withResponsesGateway((started) => {
  ({ mock, gw, client, api } = started);
});

const upstreamBody = (path: string) => bodyOf(mock, path);

describe.each(MODELS)('%s (%s)', (model, _path, upstreamPath) => {
  it('answers a response with the gateway id, and keeps it for retrieve and input_items', async () => {
    const res = await client.responses.create({ model, instructions: 'Be brief.', input: 'hello responses' });
    expectValid('Response', res);
    expect(res.id).toMatch(/^resp_[0-9a-f]{48}$/);
    expect(res.output_text).toBe('echo: hello responses');
    expect(res.status).toBe('completed');
    expect(storeOf(res)).toBe(true);
    expect(res.usage?.input_tokens).toBeGreaterThan(0);
    expect(res.usage?.output_tokens).toBeGreaterThan(0);
    if (upstreamPath === '/v1/responses') expect(upstreamBody(upstreamPath)).toMatchObject({ model: 'gpt-4o', store: false, input: 'hello responses' });

    const again = await client.responses.retrieve(res.id);
    expectValid('Response', again);
    expect(again).toMatchObject({ id: res.id, output: res.output });
    const items = await client.responses.inputItems.list(res.id);
    expectValid('ResponseItemList', {
      object: 'list',
      data: items.data,
      first_id: items.data[0]?.id ?? '',
      last_id: items.data.at(-1)?.id ?? '',
      has_more: false,
    });
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello responses' }] });
  });

  it('calls a function tool, then answers its output in a chained response', async () => {
    const first = await client.responses.create({ model, input: 'weather in Paris', tools: [weather] });
    expectValid('Response', first);
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', arguments: '{"echo":"weather in Paris"}' });
    if (call?.type !== 'function_call') throw new Error('no function call');
    mock.reset();
    const second = await client.responses.create({
      model,
      tools: [weather],
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny and warm' }],
    });
    expectValid('Response', second);
    expect(second.output_text).toBe('echo: sunny and warm');
    expect(second.previous_response_id).toBe(first.id);
    // The upstream got the whole conversation from the gateway: the first turn's question and call, then the output.
    const sent = JSON.stringify(upstreamBody(upstreamPath));
    expect(sent).toContain('weather in Paris');
    expect(sent).toContain(call.call_id);
    expect(sent).toContain('sunny and warm');
    expect(sent).not.toContain(first.id);
  });

  it('keeps nothing with store: false', async () => {
    const res = await client.responses.create({ model, input: 'forget me', store: false });
    expectValid('Response', res);
    expect(storeOf(res)).toBe(false);
    await expect(client.responses.retrieve(res.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.responses.create({ model, input: 'more', previous_response_id: res.id })).rejects.toMatchObject({
      status: 400,
      code: 'previous_response_not_found',
      param: 'previous_response_id',
    });
  });

  it('deletes a stored response', async () => {
    const res = await client.responses.create({ model, input: 'delete me' });
    const deleted = await client.responses.delete(res.id);
    expect(deleted).toEqual({ id: res.id, object: 'response', deleted: true });
    await expect(client.responses.retrieve(res.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.responses.delete(res.id)).rejects.toMatchObject({ status: 404 });
  });

  it('writes a priced spend row (call_type aresponses)', async () => {
    const { data, response } = await client.responses.create({ model, input: 'what does it cost' }).withResponse();
    const requestId = response.headers.get('x-litellm-call-id')!;
    expect(Number(response.headers.get('x-litellm-response-cost'))).toBeGreaterThan(0);
    const { rows } = await api.spendLogs({ request_id: requestId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ call_type: 'aresponses', status: 'success', model_group: model });
    expect(rows[0]!.prompt_tokens).toBe(data.usage?.input_tokens);
    expect(rows[0]!.completion_tokens).toBe(data.usage?.output_tokens);
    expect(rows[0]!.spend).toBeGreaterThan(0);
  });
});

describe('native deployments', () => {
  it('serves an Azure deployment on its v1 Responses API', async () => {
    const res = await client.responses.create({ model: 'azure-4o', input: 'hello azure' });
    expectValid('Response', res);
    expect(res.output_text).toBe('echo: hello azure');
    expect(mock.requests[0]).toMatchObject({ path: '/openai/v1/responses', protocol: 'azure', model: 'my-4o-deployment' });
    expect(mock.requests[0]!.headers['api-key']).toBe('az-up');
  });

  it('forwards a Codex-style request as it came: stream, store false, reasoning, include, unknown items', async () => {
    const body = {
      model: 'gpt-4o',
      stream: true,
      store: false,
      tool_choice: 'auto',
      parallel_tool_calls: false,
      reasoning: { effort: 'low', context: 'all_turns' },
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'thread-1',
      text: { verbosity: 'low' },
      client_metadata: { originator: 'codex_exec' },
      input: [
        { type: 'additional_tools', id: 'at_1', role: 'developer', tools: [{ type: 'namespace', name: 'functions', description: '', tools: [] }] },
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'You are Codex.' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'say hi' }] },
      ],
    };
    const res = await fetch(`${gw.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-1234', 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('event: response.completed');
    expect(upstreamBody('/v1/responses')).toEqual(body);
  });

  it('names a call of a tool that an earlier turn offered in additional_tools with its namespace, through chat', async () => {
    const execTool = { type: 'function', name: 'exec_cmd', description: 'Runs a command', parameters: { type: 'object', properties: {} } };
    const offered = {
      type: 'additional_tools',
      id: 'at_1',
      role: 'developer',
      tools: [{ type: 'namespace', name: 'shell', description: '', tools: [execTool] }],
    };
    const first = (await client.responses.create({
      model: 'claude-sonnet-4-5',
      input: [offered, { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'list files' }] }],
    } as never)) as unknown as OpenAI.Responses.Response;
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'exec_cmd', namespace: 'shell' });
    if (call?.type !== 'function_call') throw new Error('no function call');
    // The next turn offers no tools of its own and forces a call: the only tool is the one the history offered.
    const second = await client.responses.create({
      model: 'claude-sonnet-4-5',
      previous_response_id: first.id,
      tool_choice: 'required',
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'a.txt' }],
    });
    expect(second.output.find((item) => item.type === 'function_call')).toMatchObject({ name: 'exec_cmd', namespace: 'shell' });
  });

  it('refuses background mode: the gateway keeps responses itself', async () => {
    await expect(client.responses.create({ model: 'gpt-4o', input: 'later', background: true })).rejects.toMatchObject({ status: 400, param: 'background' });
    expect(mock.requests).toHaveLength(0);
  });

  it('passes hosted tools through to OpenAI; through chat they are left out, and forcing one is a 400 naming it', async () => {
    const res = await client.responses.create({ model: 'gpt-4o', input: 'search the web', tools: [{ type: 'web_search' }, weather] });
    expectValid('Response', res);
    expect(upstreamBody('/v1/responses').tools).toEqual([{ type: 'web_search' }, weather]);
    mock.reset();
    // Codex always sends web_search beside its function tools: a chat-served model answers with the function tools.
    const viaChat = await client.responses.create({ model: 'claude-sonnet-4-5', input: 'search the web', tools: [{ type: 'web_search' }, weather] });
    expectValid('Response', viaChat);
    expect((upstreamBody('/v1/messages').tools as { name: string }[]).map((tool) => tool.name)).toEqual(['get_weather']);
    mock.reset();
    await expect(
      client.responses.create({
        model: 'claude-sonnet-4-5',
        input: 'search the web',
        tools: [{ type: 'web_search' }],
        tool_choice: { type: 'web_search' } as unknown as OpenAI.Responses.ToolChoiceTypes,
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('web_search') });
    expect(mock.requests).toHaveLength(0);
  });
});

describe('fallbacks', () => {
  it('falls back from an erroring OpenAI deployment to Anthropic through chat, keeping one response id', async () => {
    const { data, response } = await client.responses.create({ model: 'flaky', input: 'fall back please' }).withResponse();
    expectValid('Response', data);
    expect(data.output_text).toBe('echo: fall back please');
    expect(mock.requests.map((r) => r.path)).toEqual(['/v1/responses', '/v1/messages']);
    expect(response.headers.get('x-litellm-model-id')).not.toBe('flaky-openai');
    const again = await client.responses.retrieve(data.id);
    expect(again.output_text).toBe('echo: fall back please');
  });

  it('falls back from an erroring Anthropic deployment to the native OpenAI one', async () => {
    const data = await client.responses.create({ model: 'flaky-claude', input: 'the other way' });
    expectValid('Response', data);
    expect(data.output_text).toBe('echo: the other way');
    expect(mock.requests.map((r) => r.path)).toEqual(['/v1/messages', '/v1/responses']);
  });
});

describe('ownership', () => {
  it('lets a virtual key read only its own responses; the master key reads all', async () => {
    const alice = gw.client((await api.generateKey()).key);
    const bob = gw.client((await api.generateKey()).key);
    const mine = await alice.responses.create({ model: 'gpt-4o', input: 'private note' });
    expect((await alice.responses.retrieve(mine.id)).id).toBe(mine.id);
    expect((await client.responses.retrieve(mine.id)).id).toBe(mine.id);
    await expect(bob.responses.retrieve(mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(bob.responses.inputItems.list(mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(bob.responses.delete(mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(bob.responses.create({ model: 'gpt-4o', input: 'continue', previous_response_id: mine.id })).rejects.toMatchObject({
      status: 400,
      code: 'previous_response_not_found',
    });
    expect((await alice.responses.retrieve(mine.id)).id).toBe(mine.id);
  });

  it('refuses a caller without a key', async () => {
    const anonymous = gw.client('sk-wrong');
    await expect(anonymous.responses.create({ model: 'gpt-4o', input: 'hi' })).rejects.toMatchObject({ status: 401 });
    await expect(anonymous.responses.retrieve('resp_x')).rejects.toMatchObject({ status: 401 });
    expect(mock.requests).toHaveLength(0);
  });
});

describe('routes', () => {
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${gw.url}${path}`, {
      method,
      headers: { authorization: 'Bearer sk-1234', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('answers without /v1 too', async () => {
    const created = (await (await call('POST', '/responses', { model: 'gpt-4o', input: 'bare path' })).json()) as { id: string };
    expect(created.id).toMatch(/^resp_/);
    const fetched = await call('GET', `/responses/${created.id}`);
    expect(fetched.status).toBe(200);
    expectValid('Response', await fetched.json());
    expect((await call('GET', `/responses/${created.id}/input_items`)).status).toBe(200);
    expect(await (await call('DELETE', `/responses/${created.id}`)).json()).toEqual({ id: created.id, object: 'response', deleted: true });
  });

  it("refuses a body without a model in OpenAI's words", async () => {
    const res = await call('POST', '/v1/responses', { input: 'no model' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'model', code: 'missing_required_parameter' } });
  });

  it('pages input_items with limit, order and after', async () => {
    const input = ['one', 'two', 'three', 'four', 'five'].map((text) => ({ role: 'user' as const, content: text }));
    const res = await client.responses.create({ model: 'gpt-4o', input });
    const newestFirst = await client.responses.inputItems.list(res.id, { limit: 2 });
    const texts = (items: OpenAI.Responses.ResponseItem[]) =>
      items.map((item) => (item.type === 'message' && item.content[0]?.type === 'input_text' ? item.content[0].text : '?'));
    expect(texts(newestFirst.data)).toEqual(['five', 'four']);
    expect(newestFirst.has_more).toBe(true);
    const all: OpenAI.Responses.ResponseItem[] = [];
    for await (const item of client.responses.inputItems.list(res.id, { limit: 2, order: 'asc' })) all.push(item);
    expect(texts(all)).toEqual(['one', 'two', 'three', 'four', 'five']);
    const page = (await (await call('GET', `/v1/responses/${res.id}/input_items?limit=2&order=asc&after=${all[1]!.id}`)).json()) as Record<string, unknown>;
    expectValid('ResponseItemList', page);
    expect(page).toMatchObject({ first_id: all[2]!.id, last_id: all[3]!.id, has_more: true });
    expect((await call('GET', `/v1/responses/${res.id}/input_items?limit=0`)).status).toBe(400);
    expect((await call('GET', `/v1/responses/${res.id}/input_items?order=sideways`)).status).toBe(400);
  });
});
