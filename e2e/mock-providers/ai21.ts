/**
 * AI21 Studio Jamba chat (POST /studio/v1/chat/completions, https://docs.ai21.com/reference/jamba-1-6-api-ref):
 * OpenAI-like, but its answer has no `object` / `created`, carries `meta`, and a stream's last content chunk carries
 * the finish reason and `usage` (earlier ones `"usage": null`), then `data: [DONE]`. `n` up to 16. Errors are
 * FastAPI's `{"detail": …}`: 401 "Forbidden: Bad or missing API token.", 422 for invalid parameters.
 *
 * Same "model" as the others: the echo of the last user text, or a call to the first tool with `{"echo": …}` (not
 * right after a tool result, and not with tool_choice "none"); tokens are whitespace-separated words.
 */
import type { Markers } from './failures.ts';
import { RETRY_AFTER_SECONDS, parseMarkers } from './failures.ts';
import type { Exchange, MockReply } from './http.ts';
import { sendJson, sendReply, sseFrame, waitForClose, waitUnlessClosed } from './http.ts';
import type { JsonObject } from './text.ts';
import { contentText, countTokens, echoAnswer, isObject, lastUserText, mockId, promptTokens, splitIntoPieces, truncateToTokens } from './text.ts';

export const AI21_PATH = '/studio/v1/chat/completions';
export const AI21_CONTEXT_MESSAGE = "This model's maximum context length is 256000 tokens. Please reduce the length of the prompt.";
export const AI21_BLOCKED_MESSAGE = 'Request blocked by the safety filter.';

export function isAi21Path(method: string, path: string): boolean {
  return method === 'POST' && path === AI21_PATH;
}

const detail = (message: string) => ({ detail: message });

function scripted(markers: Markers): { status: number; body: unknown; headers?: Record<string, string> } | undefined {
  if (markers.errorStatus === 429)
    return { status: 429, headers: { 'retry-after': String(markers.retryAfterSeconds ?? RETRY_AFTER_SECONDS) }, body: detail('Too many requests') };
  if (markers.errorStatus === 500) return { status: 500, body: detail('Internal Server Error') };
  if (markers.errorStatus === 401) return { status: 401, body: detail('Forbidden: Bad or missing API token.') };
  if (markers.contextOverflow) return { status: 400, body: detail(AI21_CONTEXT_MESSAGE) };
  if (markers.contentPolicy) return { status: 400, body: detail(AI21_BLOCKED_MESSAGE) };
  return undefined;
}

export async function serveAi21(ex: Exchange): Promise<void> {
  if (!/^Bearer\s+\S/i.test(ex.req.headers.authorization ?? '')) return sendJson(ex, 401, detail('Forbidden: Bad or missing API token.'));
  const body: JsonObject = isObject(ex.record.body) ? ex.record.body : {};
  const model = typeof body.model === 'string' ? body.model : '';
  ex.record.model = model;
  if (model === '' || !Array.isArray(body.messages)) return sendJson(ex, 422, detail('model and messages are required'));
  // Parameters Jamba does not know are refused, as FastAPI validation does.
  for (const unknown of ['stream_options', 'presence_penalty', 'frequency_penalty', 'max_completion_tokens', 'user']) {
    if (unknown in body) return sendJson(ex, 422, detail(`Unknown parameter: ${unknown}`));
  }
  const markers = parseMarkers(model);
  if (markers.slowMs !== undefined && !(await waitUnlessClosed(ex.res, markers.slowMs))) return;
  if (markers.hang) return waitForClose(ex.res);
  const failure = scripted(markers);
  if (failure) return sendJson(ex, failure.status, failure.body, failure.headers);
  return sendReply(ex, chatReply(body, model, markers), {
    streamBreak: markers.streamBreak,
    ...(markers.chunkGapMs === undefined ? {} : { chunkGapMs: markers.chunkGapMs }),
  });
}

function chatReply(body: JsonObject, model: string, markers: Markers): MockReply {
  const messages = (body.messages as unknown[]).filter(isObject);
  const last = messages.at(-1);
  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  const fn = tools[0]?.function;
  const callTool = isObject(fn) && typeof fn.name === 'string' && body.tool_choice !== 'none' && last?.role !== 'tool';
  const call = callTool
    ? { id: mockId('call_'), type: 'function', function: { name: String(fn.name), arguments: JSON.stringify({ echo: lastUserText(messages) }) } }
    : undefined;
  const text = last?.role === 'tool' ? echoAnswer(contentText(last.content)) : echoAnswer(lastUserText(messages));
  const cut = call ? { text: '', truncated: false } : truncateToTokens(text, body.max_tokens);
  const completion = call ? countTokens(call.function.arguments) : countTokens(cut.text);
  const prompt = promptTokens(messages);
  const usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  const finish = call ? 'tool_calls' : cut.truncated ? 'length' : 'stop';
  const n = typeof body.n === 'number' ? body.n : 1;
  const id = mockId('chat-');
  if (body.stream === true) {
    const chunk = (delta: JsonObject, finishReason: string | null, withUsage = false) =>
      sseFrame({ id, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], usage: withUsage && !markers.noUsage ? usage : null });
    const frames = [chunk({ role: 'assistant', content: '' }, null)];
    const contentStart = frames.length;
    if (call) frames.push(chunk({ tool_calls: [{ index: 0, ...call }] }, null));
    else for (const piece of splitIntoPieces(cut.text)) frames.push(chunk({ content: piece }, null));
    frames.push(chunk({}, finish, true), 'data: [DONE]\n\n');
    return { kind: 'stream', frames, contentStart };
  }
  const message = call ? { role: 'assistant', content: null, tool_calls: [call] } : { role: 'assistant', content: cut.text, tool_calls: null };
  const choices = Array.from({ length: n }, (_, index) => ({ index, message, logprobs: null, finish_reason: finish }));
  return { kind: 'json', status: 200, body: { id, model, choices, ...(markers.noUsage ? {} : { usage }), meta: { requestDurationMillis: 12 } } };
}
