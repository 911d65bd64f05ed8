/**
 * The provider contract: what every provider's e2e file checks the same way through the official openai SDK,
 * whatever the wire format behind it. Each function sends the call, asserts the common part and returns what it
 * got, so the file goes on to assert what is its provider's own (the body the mock received, headers, paths).
 * The mocks answer deterministically: `echo: <last user text>`, and a tool call whose arguments are
 * `{"echo": <question>}` (e2e/mock-providers/text.ts).
 *
 * - `WEATHER_TOOL`: the function tool the files use (`get_weather(city)`).
 * - `IMAGE_QUESTION`: one user message, the text `what is this` then a PNG data-URL image part
 *   (`messages[0].content[1]`); `IMAGE_DATA_URL` is that image.
 * - `expectChat(client, request, { content, finishReason?, usage? })` → `{ data, requestId }`: a non-streamed
 *   chat; the answer is schema-valid (CreateChatCompletionResponse), the first choice is an assistant message
 *   with exactly `content`; `finishReason` and `usage` (matched as a subset) when given.
 * - `expectStream(client, request, { text, usage?, finishReason?, inPieces? })` → `{ chunks, requestId }`: sends
 *   `request` with `stream: true`; every chunk is schema-valid (CreateChatCompletionStreamResponse), the deltas
 *   join to `text`, in more than one piece unless `inPieces: false`; with `usage` the last chunk is the usage
 *   chunk (`choices: []`, usage matched as a subset) — pass `stream_options: { include_usage: true }` yourself.
 * - `expectToolRoundTrip(client, { model, question, result, tool?, firstExtra?, callId? })` →
 *   `{ first, call, second }`: asks `question` with the tool, expects finish_reason tool_calls and one call to it
 *   with the echoed arguments (its id matching `callId`, default: any non-empty id), sends the call back with a
 *   tool message `result`, and expects the answer `echo: <result>`.
 * - `expectStreamedToolCall(client, { model, question, tool?, callId? })` → chunks: the same call streamed;
 *   schema-valid chunks, the first tool-call delta carries the id and the name, the argument pieces join to the
 *   echoed arguments, finish_reason tool_calls.
 * - `spendRowOf(api, requestId)` → the call's one spend row (fails unless there is exactly one).
 * - `expectPricedSpendRow(api, requestId, spend, match?)` → the row: `spend` to 12 decimals (a number), or
 *   `'positive'`; `match` (e.g. `{ prompt_tokens: 4, metadata: { usage_source: 'provider' } }`) as a subset.
 * - `expectRateLimited(gwUrl, model, { retryAfter?, code? })` → the error: a plain HTTP chat answered 429, an
 *   OpenAI-shaped schema-valid error, `Retry-After` exactly `retryAfter` when given, else a positive number.
 * - `expectChatErrors(client, [[model, { status, code? }], …])`: each model's chat is refused so; use
 *   `UPSTREAM_FAILED` (502), `CONTEXT_OVERFLOW`, `CONTENT_POLICY`.
 * - `expectParamRefused(client, request, param, provider?)`: the chat is a 400 naming `param` (and, when given, saying
 *   `<provider> does not support`).
 */
import type OpenAI from 'openai';
import { expect } from 'vitest';
import { type Admin, type SpendLogJson, chat, expectOpenAIError, type OpenAIErrorJson } from './admin.ts';
import { expectValid } from './openapi.ts';

type ChatRequest = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
type StreamRequest = Omit<OpenAI.Chat.ChatCompletionCreateParamsStreaming, 'stream'>;
type Usage = Partial<OpenAI.CompletionUsage>;

export const WEATHER_TOOL: OpenAI.Chat.ChatCompletionFunctionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

export const IMAGE_DATA_URL = 'data:image/png;base64,iVBORw0KGgo=';

export const IMAGE_QUESTION: OpenAI.Chat.ChatCompletionMessageParam[] = [
  {
    role: 'user',
    content: [
      { type: 'text', text: 'what is this' },
      { type: 'image_url', image_url: { url: IMAGE_DATA_URL } },
    ],
  },
];

const CALL_ID = 'x-litellm-call-id';

export async function expectChat(
  client: OpenAI,
  request: ChatRequest,
  expected: { content: string; finishReason?: string; usage?: Usage },
): Promise<{ data: OpenAI.Chat.ChatCompletion; requestId: string | null }> {
  const { data, response } = await client.chat.completions.create(request).withResponse();
  expectValid('CreateChatCompletionResponse', data);
  expect(data.choices[0]?.message).toMatchObject({ role: 'assistant', content: expected.content });
  if (expected.finishReason !== undefined) expect(data.choices[0]?.finish_reason).toBe(expected.finishReason);
  if (expected.usage) expect(data.usage).toMatchObject(expected.usage);
  return { data, requestId: response.headers.get(CALL_ID) };
}

export async function expectStream(
  client: OpenAI,
  request: StreamRequest,
  expected: { text: string; usage?: Usage; finishReason?: string; inPieces?: boolean },
): Promise<{ chunks: OpenAI.Chat.ChatCompletionChunk[]; requestId: string | null }> {
  const { data: stream, response } = await client.chat.completions.create({ ...request, stream: true }).withResponse();
  const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  for (const chunk of chunks) expectValid('CreateChatCompletionStreamResponse', chunk);
  const pieces = chunks.map((c) => c.choices[0]?.delta.content ?? '');
  expect(pieces.join('')).toBe(expected.text);
  if (expected.inPieces !== false) expect(pieces.filter((p) => p !== '').length).toBeGreaterThan(1);
  if (expected.finishReason !== undefined) expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe(expected.finishReason);
  if (expected.usage) expect(chunks.at(-1)).toMatchObject({ choices: [], usage: expected.usage });
  return { chunks, requestId: response.headers.get(CALL_ID) };
}

interface ToolCallCase {
  model: string;
  question: string;
  tool?: OpenAI.Chat.ChatCompletionFunctionTool;
  /** The tool call id's form; any non-empty id when not given. */
  callId?: RegExp;
}

export async function expectToolRoundTrip(
  client: OpenAI,
  c: ToolCallCase & { result: string; firstExtra?: Partial<ChatRequest> },
): Promise<{ first: OpenAI.Chat.ChatCompletion; call: OpenAI.Chat.ChatCompletionMessageFunctionToolCall; second: OpenAI.Chat.ChatCompletion }> {
  const tool = c.tool ?? WEATHER_TOOL;
  const question: OpenAI.Chat.ChatCompletionMessageParam = { role: 'user', content: c.question };
  const first = await client.chat.completions.create({ model: c.model, tools: [tool], messages: [question], ...c.firstExtra });
  expectValid('CreateChatCompletionResponse', first);
  expect(first.choices[0]?.finish_reason).toBe('tool_calls');
  const call = first.choices[0]?.message.tool_calls?.[0] as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
  expect(call).toMatchObject({ id: expect.stringMatching(c.callId ?? /./), type: 'function' });
  expect(call.function).toEqual({ name: tool.function.name, arguments: JSON.stringify({ echo: c.question }) });
  const second = await client.chat.completions.create({
    model: c.model,
    tools: [tool],
    messages: [question, first.choices[0]?.message as OpenAI.Chat.ChatCompletionMessageParam, { role: 'tool', tool_call_id: call.id, content: c.result }],
  });
  expect(second.choices[0]?.message.content).toBe(`echo: ${c.result}`);
  return { first, call, second };
}

export async function expectStreamedToolCall(client: OpenAI, c: ToolCallCase): Promise<OpenAI.Chat.ChatCompletionChunk[]> {
  const tool = c.tool ?? WEATHER_TOOL;
  const stream = await client.chat.completions.create({ model: c.model, stream: true, tools: [tool], messages: [{ role: 'user', content: c.question }] });
  const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  for (const chunk of chunks) expectValid('CreateChatCompletionStreamResponse', chunk);
  const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
  expect(calls[0]).toMatchObject({ index: 0, id: expect.stringMatching(c.callId ?? /./), function: { name: tool.function.name } });
  expect(calls.map((call) => call.function?.arguments ?? '').join('')).toBe(JSON.stringify({ echo: c.question }));
  expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('tool_calls');
  return chunks;
}

export async function spendRowOf(api: Admin, requestId: string | null): Promise<SpendLogJson> {
  expect(requestId, 'the answer has no x-litellm-call-id').toMatch(/./);
  const { rows } = await api.spendLogs({ request_id: requestId ?? '' });
  expect(rows).toHaveLength(1);
  return rows[0] as SpendLogJson;
}

export async function expectPricedSpendRow(
  api: Admin,
  requestId: string | null,
  spend: number | 'positive',
  match?: Record<string, unknown>,
): Promise<SpendLogJson> {
  const row = await spendRowOf(api, requestId);
  if (match) expect(row).toMatchObject(match);
  if (spend === 'positive') expect(row.spend).toBeGreaterThan(0);
  else expect(row.spend).toBeCloseTo(spend, 12);
  return row;
}

export async function expectRateLimited(
  gwUrl: string,
  model: string,
  expected: { retryAfter?: string; code?: string } = {},
): Promise<OpenAIErrorJson['error']> {
  const answer = await chat(gwUrl, 'sk-1234', { model, messages: [{ role: 'user', content: 'x' }] });
  const error = expectOpenAIError(answer, 429, expected.code);
  if (expected.retryAfter !== undefined) expect(answer.headers.get('retry-after')).toBe(expected.retryAfter);
  else expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  return error;
}

export interface ErrorExpectation {
  status: number;
  code?: string;
}

export const UPSTREAM_FAILED: ErrorExpectation = { status: 502 };
export const CONTEXT_OVERFLOW: ErrorExpectation = { status: 400, code: 'context_length_exceeded' };
export const CONTENT_POLICY: ErrorExpectation = { status: 400, code: 'content_policy_violation' };

export async function expectChatErrors(client: OpenAI, cases: readonly (readonly [model: string, expected: ErrorExpectation])[]): Promise<void> {
  for (const [model, expected] of cases) {
    await expect(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }), model).rejects.toMatchObject(expected);
  }
}

export async function expectParamRefused(client: OpenAI, request: ChatRequest, param: string, provider?: string): Promise<void> {
  const named = provider === undefined ? {} : { message: expect.stringContaining(`${provider} does not support`) };
  await expect(client.chat.completions.create(request)).rejects.toMatchObject({ status: 400, param, ...named });
}
