/**
 * Streams through a real gateway from upstreams that do not speak server-sent events: newline-delimited
 * JSON (Ollama's native chat) and AWS event-stream (Bedrock ConverseStream, the real bedrock/ provider with a
 * Bedrock API key), from the framed mocks. No production provider speaks Ollama's native NDJSON yet, so the
 * registry is mocked to add a test-only provider (framed-gateway-adapters.ts) next to the real ones.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BEDROCK_TEST_API_KEY } from './mock-providers/bedrock-sigv4.ts';
import { FRAMED_TEST_PROVIDER_IDS } from './mock-providers/framed-gateway-adapters.ts';
import { EXCEPTION_MESSAGE, MALFORMED_LINE, startFramedMockProviders, type FramedMockProviders } from './mock-providers/framed-server.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';
import { expectValid } from './support/openapi.ts';
import { parseSse } from './support/sse.ts';

vi.mock('../server/providers/registry.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../server/providers/registry.ts')>();
  const { framedTestProviders } = await import('./mock-providers/framed-gateway-adapters.ts');
  // OpenAI's descriptor keeps a given api_base as it is: the test providers take everything but their wire format from it.
  const testProviders = framedTestProviders(real.getProvider('openai')!);
  return { ...real, getProvider: (prefix: string) => testProviders.get(prefix) ?? real.getProvider(prefix) };
});

const { ndjson: NDJSON } = FRAMED_TEST_PROVIDER_IDS;
/** model_name → litellm_params.model; the upstream model name carries the mock's markers. */
const MODELS: Record<string, string> = {
  ollama: `${NDJSON}/llama3`,
  'ollama-split': `${NDJSON}/llama3-split`,
  'ollama-malformed': `${NDJSON}/llama3-malformed-line`,
  'ollama-html': `${NDJSON}/llama3-wrong-content-type`,
  bedrock: 'bedrock/anthropic.claude-3-haiku',
  'bedrock-split': 'bedrock/anthropic.claude-3-haiku-split',
  'bedrock-exception': 'bedrock/anthropic.claude-3-haiku-exception',
  'bedrock-bad-crc': 'bedrock/anthropic.claude-3-haiku-bad-crc',
};

let mock: FramedMockProviders;
let gw: TestGateway;

beforeAll(async () => {
  mock = await startFramedMockProviders();
  const entries = Object.entries(MODELS).map(
    ([name, model]) =>
      `  - model_name: ${name}\n    litellm_params: { model: ${model}, api_base: "${mock.url}", api_key: ${model.startsWith('bedrock/') ? BEDROCK_TEST_API_KEY : 'sk-upstream'} }`,
  );
  gw = await startTestGateway(`model_list:\n${entries.join('\n')}\nlitellm_settings:\n  num_retries: 0\ngeneral_settings:\n  master_key: sk-1234\n`);
});
afterAll(async () => {
  await gw?.close();
  await mock?.close();
});

const PROMPT = 'Grüße ✓ 🦊 from the gateway';
const ANSWER = `echo: ${PROMPT}`;

async function streamChat(model: string): Promise<{ status: number; events: { data: string }[]; text: string }> {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-1234' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: PROMPT }], stream: true, stream_options: { include_usage: true } }),
  });
  const text = await res.text();
  return { status: res.status, events: res.status === 200 ? parseSse(text) : [], text };
}

type Chunk = { choices: { delta: { content?: string } }[]; usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } };

/** The chunks of a complete stream (which ends with [DONE]), each valid against OpenAI's schema. */
function chunksOf(events: { data: string }[]): Chunk[] {
  expect(events.at(-1)?.data).toBe('[DONE]');
  const chunks = events.slice(0, -1).map((event) => JSON.parse(event.data) as Chunk);
  for (const chunk of chunks) expectValid('CreateChatCompletionStreamResponse', chunk);
  return chunks;
}

const contentOf = (chunks: Chunk[]) => chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');

/** The in-band error that ends a stream which failed after it started (no [DONE]). */
function inBandError(events: { data: string }[]): { message: string; type: string; code: string | null } {
  expect(events.at(-1)?.data).not.toBe('[DONE]');
  return (JSON.parse(events.at(-1)!.data) as { error: { message: string; type: string; code: string | null } }).error;
}

// The mock counts whitespace-separated words as tokens: 6 in the prompt, 7 in the answer.
const USAGE = { prompt_tokens: 6, completion_tokens: 7, total_tokens: 13 };

describe.each([
  { framing: 'NDJSON (Ollama /api/chat)', model: 'ollama', upstreamPath: '/api/chat' },
  { framing: 'AWS event-stream (Bedrock ConverseStream)', model: 'bedrock', upstreamPath: '/model/anthropic.claude-3-haiku/converse-stream' },
])('an upstream streaming $framing', ({ model, upstreamPath }) => {
  it('reaches the client as OpenAI chunks with the whole answer and the usage', async () => {
    const { status, events } = await streamChat(model);
    expect(status).toBe(200);
    const chunks = chunksOf(events);
    expect(contentOf(chunks)).toBe(ANSWER);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: USAGE });
    expect(mock.requests.some((request) => request.path === upstreamPath)).toBe(true);
  });

  it('reaches the client whole when the upstream writes it five bytes at a time', async () => {
    const { status, events } = await streamChat(`${model}-split`);
    expect(status).toBe(200);
    expect(contentOf(chunksOf(events))).toBe(ANSWER);
  });
});

describe('a framing error mid-stream', () => {
  it('NDJSON: a line that is not JSON ends the stream with an upstream error after the text before it', async () => {
    const { status, events } = await streamChat('ollama-malformed');
    expect(status).toBe(200);
    expect(contentOf(events.slice(0, -1).map((event) => JSON.parse(event.data) as Chunk))).toBe('echo:');
    expect(inBandError(events)).toEqual({
      message: `The upstream's NDJSON stream has a line that is not JSON (line 2): ${MALFORMED_LINE}`,
      type: 'upstream_error',
      param: null,
      code: 'upstream_invalid_response',
    });
  });

  it('AWS event-stream: an exception message reaches the client with its type and message', async () => {
    const { status, events } = await streamChat('bedrock-exception');
    expect(status).toBe(200);
    expect(contentOf(events.slice(0, -1).map((event) => JSON.parse(event.data) as Chunk))).toBe('echo: Grüße');
    expect(inBandError(events)).toEqual({
      message: `The upstream stream failed with throttlingException: ${EXCEPTION_MESSAGE}`,
      type: 'rate_limit_error',
      param: null,
      code: 'throttlingException',
    });
  });

  it("AWS event-stream: a message whose CRC fails surfaces the codec's error as an upstream error", async () => {
    const { status, events } = await streamChat('bedrock-bad-crc');
    expect(status).toBe(200);
    const error = inBandError(events);
    expect(error).toMatchObject({ type: 'upstream_error', code: 'upstream_invalid_response' });
    expect(error.message).toMatch(/^The upstream sent an AWS event-stream message that does not decode: The message checksum/);
  });
});

it("answers 502 before streaming when the upstream's content type is not its framing's", async () => {
  const { status, text } = await streamChat('ollama-html');
  expect(status).toBe(502);
  expect(JSON.parse(text)).toMatchObject({
    error: {
      message:
        'The upstream was asked to stream (application/x-ndjson or application/jsonl or application/json) but answered text/html; charset=utf-8: <html>Maintenance</html>',
      code: 'upstream_invalid_response',
    },
  });
});

it('serves the Anthropic Messages API from an AWS event-stream upstream (translated through chat)', async () => {
  const res = await fetch(`${gw.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'sk-1234', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'bedrock-split', max_tokens: 64, stream: true, messages: [{ role: 'user', content: PROMPT }] }),
  });
  expect(res.status).toBe(200);
  const events = parseSse(await res.text()).map((event) => JSON.parse(event.data) as { type: string; delta?: { text?: string } });
  expect(events[0]?.type).toBe('message_start');
  expect(events.at(-1)?.type).toBe('message_stop');
  expect(events.map((event) => (event.type === 'content_block_delta' ? (event.delta?.text ?? '') : '')).join('')).toBe(ANSWER);
});
