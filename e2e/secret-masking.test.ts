/**
 * Upstream errors that quote a secret (issue 11): the mock providers' `echo-key` markers answer with the
 * request's own credential inside the error message, the way careless upstreams do. Through a real gateway,
 * the client never sees it — JSON or stream, chat, embeddings, /v1/messages natively relayed or translated —
 * and neither does the console log (the logger at debug, writing JSON to a captured stream).
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../server/config/index.ts';
import { createGateway, type Gateway } from '../server/gateway.ts';
import { createLogger } from '../server/observe/logger.ts';
import { startMockProviders, type MockProviders } from './mock-providers/index.ts';

/** Key-shaped: recognisable by its `sk-` shape too. */
const OPENAI_KEY = 'sk-proj-upstreamSecret0123456789';
/** No provider key shape, no digits: only knowing the configured value can catch it. */
const ANTHROPIC_KEY = 'plain-anthropic-credential-nobody-guesses';
const MASTER_KEY = 'sk-master-gatewaySecret987654';
const SECRETS = [OPENAI_KEY, ANTHROPIC_KEY, MASTER_KEY];

let mock: MockProviders;
let gateway: Gateway;
let url: string;
const consoleLines: string[] = [];
const consoleOut = new Writable({
  write(chunk: Buffer, _encoding, done) {
    consoleLines.push(chunk.toString());
    done();
  },
});
const { logger, ring } = createLogger({ level: 'debug', destination: consoleOut, pretty: false });

beforeAll(async () => {
  mock = await startMockProviders();
  const openai = `api_base: "${mock.url}/v1", api_key: os.environ/OPENAI_KEY`;
  const anthropic = `api_base: "${mock.url}", api_key: os.environ/ANTHROPIC_KEY`;
  const yaml = `
model_list:
  - model_name: leaky-chat
    litellm_params: { model: openai/gpt-4o-echo-key, ${openai} }
  - model_name: leaky-401
    litellm_params: { model: openai/gpt-4o-echo-key-401, ${openai} }
  - model_name: leaky-embeddings
    litellm_params: { model: openai/text-embedding-3-small-echo-key, ${openai} }
    model_info: { mode: embedding }
  - model_name: leaky-claude
    litellm_params: { model: anthropic/claude-sonnet-4-5-echo-key, ${anthropic} }
  - model_name: leaky-mid-stream
    litellm_params: { model: openai/gpt-4o-echo-key-mid-stream, ${openai} }
  - model_name: leaky-claude-mid-stream
    litellm_params: { model: anthropic/claude-sonnet-4-5-echo-key-mid-stream, ${anthropic} }
  - model_name: leaky-claude-401
    litellm_params: { model: anthropic/claude-sonnet-4-5-echo-key-401, ${anthropic} }
router_settings: { num_retries: 0 }
general_settings: { master_key: os.environ/MASTER_KEY }
`;
  const loaded = parseConfig(yaml, 'config.yaml', { env: { OPENAI_KEY, ANTHROPIC_KEY, MASTER_KEY } });
  gateway = await createGateway({ config: loaded.resolved, env: loaded.env, port: 0, logger, ring });
  url = await gateway.listen();
});
afterAll(async () => {
  await gateway?.close();
  await mock?.close();
});

async function post(path: string, body: Record<string, unknown>): Promise<{ status: number; text: string }> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

/** The upstream did quote the key it was sent: without masking, the client would see it. */
function expectUpstreamQuoted(model: string, key: string): void {
  const sent = mock.requests.filter((r) => r.model === model);
  expect(sent.length).toBeGreaterThan(0);
  expect(JSON.stringify(sent.map((r) => r.headers))).toContain(key);
}

const hi = [{ role: 'user', content: 'hi' }];

describe('the client never sees a secret an upstream error quotes', () => {
  it.each([false, true])('chat (stream: %s): the 500 tells what failed, with the key masked', async (stream) => {
    const { status, text } = await post('/v1/chat/completions', { model: 'leaky-chat', messages: hi, stream });
    expect(status).toBe(502);
    expectNoSecret(text);
    expect(JSON.parse(text).error.message).toContain('while serving Bearer sk-…6789');
    expectUpstreamQuoted('gpt-4o-echo-key', OPENAI_KEY);
  });

  it('chat: the 401 "Incorrect API key provided" keeps its status, with the key masked', async () => {
    const { status, text } = await post('/v1/chat/completions', { model: 'leaky-401', messages: hi });
    expect(status).toBe(401);
    expectNoSecret(text);
    expect(JSON.parse(text).error.message).toContain('Incorrect API key provided: sk-…6789');
  });

  it('embeddings', async () => {
    const { status, text } = await post('/v1/embeddings', { model: 'leaky-embeddings', input: 'hi' });
    expect(status).toBe(502);
    expectNoSecret(text);
    expectUpstreamQuoted('text-embedding-3-small-echo-key', OPENAI_KEY);
  });

  it.each([false, true])('/v1/messages natively relayed to Anthropic (stream: %s): the relayed body is masked', async (stream) => {
    const { status, text } = await post('/v1/messages', { model: 'leaky-claude', max_tokens: 10, messages: hi, stream });
    expect(status).toBe(500);
    expectNoSecret(text);
    expect(JSON.parse(text)).toMatchObject({
      type: 'error',
      error: { type: 'api_error', message: expect.stringContaining('while serving x-api-key pla…sses') },
    });
    expectUpstreamQuoted('claude-sonnet-4-5-echo-key', ANTHROPIC_KEY);
  });

  it('/v1/messages: a relayed 401 is masked too', async () => {
    const { status, text } = await post('/v1/messages', { model: 'leaky-claude-401', max_tokens: 10, messages: hi });
    expect(status).toBe(401);
    expectNoSecret(text);
  });

  it('/v1/messages translated to an OpenAI deployment', async () => {
    const { status, text } = await post('/v1/messages', { model: 'leaky-chat', max_tokens: 10, messages: hi });
    expect(status).toBe(502);
    expectNoSecret(text);
    expect(JSON.parse(text).error.message).toContain('sk-…6789');
  });

  it('/v1/chat/completions to an Anthropic deployment (translated)', async () => {
    const { status, text } = await post('/v1/chat/completions', { model: 'leaky-claude', messages: hi });
    expect(status).toBe(502);
    expectNoSecret(text);
  });
});

describe('an in-band stream error that quotes a secret is masked', () => {
  it('chat: the `data: {"error":…}` event after the first chunks', async () => {
    const { status, text } = await post('/v1/chat/completions', {
      model: 'leaky-mid-stream',
      messages: [{ role: 'user', content: 'one two three' }],
      stream: true,
    });
    expect(status).toBe(200);
    expect(text).toContain('while serving Bearer sk-…6789');
    expectNoSecret(text);
  });

  it('/v1/chat/completions translated from an Anthropic stream: the `event: error`', async () => {
    const { status, text } = await post('/v1/chat/completions', {
      model: 'leaky-claude-mid-stream',
      messages: [{ role: 'user', content: 'one two three' }],
      stream: true,
    });
    expect(status).toBe(200);
    expect(text).toContain('pla…sses');
    expectNoSecret(text);
  });
});

describe('an in-band error of a natively relayed Anthropic stream is masked', () => {
  it("/v1/messages: the upstream's `event: error` reaches the client as an Anthropic error event, masked", async () => {
    const { status, text } = await post('/v1/messages', {
      model: 'leaky-claude-mid-stream',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'one two three' }],
      stream: true,
    });
    expect(status).toBe(200);
    expect(text).toContain('event: error');
    expect(text).toContain('pla…sses');
    expectNoSecret(text);
  });
});

// Spend rows keep an error's type and code, never its message; this holds them to it.
describe('the spend log never keeps a secret an upstream error quotes', () => {
  it('/spend/logs of the failed requests', async () => {
    await post('/v1/chat/completions', { model: 'leaky-chat', messages: hi });
    await post('/v1/chat/completions', { model: 'leaky-mid-stream', messages: [{ role: 'user', content: 'one two three' }], stream: true });
    const res = await fetch(`${url}/spend/logs`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
    const text = await res.text();
    expect(res.status).toBe(200);
    const failed = (JSON.parse(text) as { model_group: string; status: string }[]).filter((row) => row.status === 'failure').map((row) => row.model_group);
    expect(failed).toEqual(expect.arrayContaining(['leaky-chat', 'leaky-mid-stream']));
    expectNoSecret(text);
  });
});

describe('the console log never shows a secret an upstream error quotes', () => {
  it('the debug lines of the failed requests carry the masked message only', async () => {
    const before = consoleLines.length;
    await post('/v1/chat/completions', { model: 'leaky-chat', messages: hi });
    await post('/v1/messages', { model: 'leaky-claude', max_tokens: 10, messages: hi });
    const written = consoleLines.slice(before).map((line) => JSON.parse(line) as { msg: string; status?: number; error?: string });
    const failures = written.filter((line) => line.msg === 'request' && line.status !== undefined && line.status >= 500);
    expect(failures).toHaveLength(2);
    expect(failures[0]?.error).toContain('while serving Bearer sk-…6789');
    expect(failures[1]?.error).toContain('pla…sses');
    expectNoSecret(consoleLines.join(''));
    expectNoSecret(ring.tail().join('\n'));
  });
});
