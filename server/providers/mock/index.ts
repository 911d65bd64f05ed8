/**
 * `mock/…`: a built-in provider that answers in-process, so the gateway works offline on first run and a
 * request may carry LiteLLM's `mock_response`. It echoes the last user message ("Echo: …") unless
 * litellm_params.mock_response sets a fixed answer; litellm_params.mock_latency (ms) delays it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProviderDescriptor } from '../descriptor.ts';
import { OPENAI_REQUEST_PARAMS } from '../openai/params.ts';
import type { CallContext, LocalResult, OpenAIChunk } from '../types.ts';
import { float32Base64, lastUserText, mockEmbedding, mockTokenCount, streamPieces, textOf } from './content.ts';

const unixNow = () => Math.floor(Date.now() / 1000);

function answerText(ctx: CallContext): string {
  if (ctx.mockResponse !== undefined) return ctx.mockResponse;
  const fixed = ctx.deployment.params.mock_response;
  if (typeof fixed === 'string') return fixed;
  const asked = ctx.endpoint === 'completions' ? promptText(ctx.body.prompt) : lastUserText(ctx.body.messages);
  return `Echo: ${asked}`;
}

function promptText(prompt: unknown): string {
  if (Array.isArray(prompt)) return prompt.map((p) => (typeof p === 'string' ? p : '')).join('\n');
  return typeof prompt === 'string' ? prompt : '';
}

function usageFor(promptText: string, answer: string) {
  const prompt_tokens = mockTokenCount(promptText);
  const completion_tokens = mockTokenCount(answer);
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

/** A forced tool choice (required or a named function) answers with a call to that tool. */
function forcedToolCall(body: Record<string, unknown>): { name: string } | undefined {
  const tools = Array.isArray(body.tools) ? (body.tools as { function?: { name?: string } }[]) : [];
  const choice = body.tool_choice as { function?: { name?: string } } | string | undefined;
  if (typeof choice === 'object' && choice?.function?.name) return { name: choice.function.name };
  if (choice === 'required' && tools[0]?.function?.name) return { name: tools[0].function.name };
  return undefined;
}

function chatResult(ctx: CallContext, answer: string): LocalResult {
  const id = `chatcmpl-mock-${ctx.requestId}`;
  const model = ctx.deployment.upstreamModel;
  const created = unixNow();
  const promptText = (Array.isArray(ctx.body.messages) ? ctx.body.messages : []).map((m) => textOf((m as { content?: unknown }).content)).join('\n');
  const usage = usageFor(promptText, answer);
  const tool = forcedToolCall(ctx.body);
  const toolCall = tool && { id: `call_mock_${ctx.requestId}`, type: 'function', function: { name: tool.name, arguments: '{}' } };
  const finish_reason = tool ? 'tool_calls' : 'stop';
  if (!ctx.stream) {
    const message = { role: 'assistant', content: tool ? null : answer, refusal: null, ...(toolCall ? { tool_calls: [toolCall] } : {}) };
    return {
      kind: 'json',
      body: { id, object: 'chat.completion', created, model, choices: [{ index: 0, message, logprobs: null, finish_reason }], usage },
    };
  }
  const chunk = (delta: Record<string, unknown>, finish: string | null): OpenAIChunk => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  async function* chunks(): AsyncIterable<OpenAIChunk> {
    yield chunk({ role: 'assistant', content: '' }, null);
    if (toolCall) yield chunk({ tool_calls: [{ index: 0, ...toolCall }] }, null);
    else for (const piece of streamPieces(answer)) yield chunk({ content: piece }, null);
    yield chunk({}, finish_reason);
    yield { id, object: 'chat.completion.chunk', created, model, choices: [], usage };
  }
  return { kind: 'stream', chunks: chunks() };
}

function completionResult(ctx: CallContext, answer: string): LocalResult {
  const id = `cmpl-mock-${ctx.requestId}`;
  const model = ctx.deployment.upstreamModel;
  const created = unixNow();
  const usage = usageFor(promptText(ctx.body.prompt), answer);
  const body = (text: string, finish: string | null) => ({
    id,
    object: 'text_completion',
    created,
    model,
    choices: [{ text, index: 0, logprobs: null, finish_reason: finish }],
  });
  if (!ctx.stream) return { kind: 'json', body: { ...body(answer, 'stop'), usage } };
  async function* chunks(): AsyncIterable<OpenAIChunk> {
    for (const piece of streamPieces(answer)) yield body(piece, null);
    yield body('', 'stop');
    yield { id, object: 'text_completion', created, model, choices: [], usage };
  }
  return { kind: 'stream', chunks: chunks() };
}

function embeddingResult(ctx: CallContext): LocalResult {
  const input = ctx.body.input;
  const inputs = Array.isArray(input) ? input : [input];
  const dimensions = typeof ctx.body.dimensions === 'number' ? ctx.body.dimensions : 8;
  const base64 = ctx.body.encoding_format === 'base64';
  const texts = inputs.map((i) => (typeof i === 'string' ? i : JSON.stringify(i)));
  const data = texts.map((text, index) => {
    const vector = mockEmbedding(text, dimensions);
    return { object: 'embedding', index, embedding: base64 ? float32Base64(vector) : vector };
  });
  const prompt_tokens = texts.reduce((n, t) => n + mockTokenCount(t), 0);
  return {
    kind: 'json',
    body: { object: 'list', data, model: ctx.deployment.upstreamModel, usage: { prompt_tokens, total_tokens: prompt_tokens } },
  };
}

async function respond(ctx: CallContext, signal: AbortSignal): Promise<LocalResult> {
  const latency = Number(ctx.deployment.params.mock_latency ?? 0);
  if (latency > 0) await sleep(latency, undefined, { signal });
  if (ctx.endpoint === 'embeddings') return embeddingResult(ctx);
  const answer = answerText(ctx);
  return ctx.endpoint === 'completions' ? completionResult(ctx, answer) : chatResult(ctx, answer);
}

const inProcess = {
  buildRequest(): never {
    throw new Error('the mock provider answers in-process');
  },
};

export const mockProvider: ProviderDescriptor = {
  id: 'mock',
  label: 'Mock (offline)',
  prefixes: ['mock'],
  defaults: { apiBaseEnv: [], apiKeyEnv: [], apiVersionEnv: [] },
  resolveConnection: () => ({ apiBase: 'mock://local' }),
  auth: { kind: 'none' },
  // mock_response is gateway-wide (any request may carry it); mock_latency is the mock's alone.
  settings: ['mock_latency'],
  // It answers as OpenAI would, so it takes OpenAI's parameters (a max_tokens default counts for budgets).
  requestParams: { accepted: OPENAI_REQUEST_PARAMS },
  serves: ['chat', 'completions', 'embeddings'],
  framing: 'sse',
  endpoints: { chat: inProcess, completions: inProcess, embeddings: inProcess },
  local: { respond },
  litellmProviders: [],
  form: {
    modelPlaceholder: 'echo',
    apiBase: 'hidden',
    apiKey: 'hidden',
    apiVersion: 'hidden',
    extraPlaceholder: '{"mock_response": "Hello!", "mock_latency": 250}',
  },
};
