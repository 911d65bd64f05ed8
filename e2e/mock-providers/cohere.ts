/**
 * Cohere v2 (https://docs.cohere.com/reference/chat, /chat-stream, /embed, /rerank, /errors): POST /v2/chat
 * (a `message` with text content or tool_calls, `finish_reason`, `usage: {billed_units, tokens}`; streamed as typed
 * SSE events message-start, content-start, content-delta…, content-end, tool-plan-delta, tool-call-start /
 * -delta / -end, message-end), POST /v2/embed (`embeddings.float`, `meta.billed_units.input_tokens`) and
 * POST /v2/rerank (results sorted by relevance, `meta.billed_units.search_units`). Errors are `{"id","message"}`.
 *
 * Same "model" as the others: chat echoes the last user text, or calls the first tool with `{"echo": …}` when tools
 * are given (tool_choice not NONE), and echoes a tool result right after one. `tokens.input_tokens` counts the prompt
 * words plus TEMPLATE_TOKENS (Cohere's prompt template); `billed_units` counts the words alone, as Cohere bills.
 * Rerank scores a document by the share of query words it contains (ties by position); 1 search unit per 100 documents.
 */
import type { Markers } from './failures.ts';
import { RETRY_AFTER_SECONDS, parseMarkers } from './failures.ts';
import type { Exchange, MockReply } from './http.ts';
import { sendJson, sendReply, sseFrame, waitForClose, waitUnlessClosed } from './http.ts';
import { mockEmbedding } from './openai-embeddings.ts';
import type { JsonObject } from './text.ts';
import { contentText, countTokens, echoAnswer, isObject, mockId, splitIntoPieces, truncateToTokens } from './text.ts';

/** The prompt-template tokens Cohere counts in `tokens.input_tokens` but does not bill. */
export const COHERE_TEMPLATE_TOKENS = 10;

export const COHERE_CONTEXT_MESSAGE = 'too many tokens: total number of tokens in the prompt cannot exceed 4081 - received 4992. Try using a shorter prompt.';
export const COHERE_BLOCKED_MESSAGE = 'blocked output: please adjust your prompt and try again, as this request was blocked by the safety system';

const PATHS = new Set(['/v2/chat', '/v2/embed', '/v2/rerank']);

export function isCoherePath(method: string, path: string): boolean {
  return method === 'POST' && PATHS.has(path);
}

const error = (message: string) => ({ id: mockId(''), message });

function scripted(markers: Markers): { status: number; body: unknown; headers?: Record<string, string> } | undefined {
  if (markers.errorStatus === 429) {
    return {
      status: 429,
      headers: { 'retry-after': String(markers.retryAfterSeconds ?? RETRY_AFTER_SECONDS) },
      body: error('You are using a Trial key, which is limited to 10 API calls / minute.'),
    };
  }
  if (markers.errorStatus === 500) return { status: 500, body: error('internal server error, this has been reported to our developers') };
  if (markers.errorStatus === 401) return { status: 401, body: error('invalid api token') };
  if (markers.contextOverflow) return { status: 400, body: error(COHERE_CONTEXT_MESSAGE) };
  if (markers.contentPolicy) return { status: 400, body: error(COHERE_BLOCKED_MESSAGE) };
  return undefined;
}

/** Serves one Cohere request; the server recorded it already. */
export async function serveCohere(ex: Exchange): Promise<void> {
  if (!/^Bearer\s+\S/i.test(ex.req.headers.authorization ?? '')) return sendJson(ex, 401, error('no api key supplied'));
  const body: JsonObject = isObject(ex.record.body) ? ex.record.body : {};
  const model = typeof body.model === 'string' ? body.model : '';
  ex.record.model = model;
  if (model === '') return sendJson(ex, 400, error('invalid request: model must be specified'));
  const markers = parseMarkers(model);
  if (markers.slowMs !== undefined && !(await waitUnlessClosed(ex.res, markers.slowMs))) return;
  if (markers.hang) return waitForClose(ex.res);
  const failure = scripted(markers);
  if (failure) return sendJson(ex, failure.status, failure.body, failure.headers);
  const reply = ex.record.path === '/v2/chat' ? chatReply(body, markers) : ex.record.path === '/v2/embed' ? embedReply(body) : rerankReply(body);
  return sendReply(ex, reply, { streamBreak: markers.streamBreak, ...(markers.chunkGapMs === undefined ? {} : { chunkGapMs: markers.chunkGapMs }) });
}

interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** What the model says: a tool call, or the echo of the last user text (or of the tool result just given). */
function chatAnswer(body: JsonObject): { text?: string; call?: ToolCall } {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isObject) : [];
  const last = messages.at(-1);
  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  if (last?.role === 'tool' && body.tool_choice !== 'REQUIRED') return { text: echoAnswer(contentText(last.content)) };
  const userText = contentText([...messages].reverse().find((m) => m.role === 'user')?.content);
  const fn = tools[0]?.function;
  if (isObject(fn) && typeof fn.name === 'string' && body.tool_choice !== 'NONE') {
    return { call: { id: mockId(`${fn.name}_`), type: 'function', function: { name: fn.name, arguments: JSON.stringify({ echo: userText }) } } };
  }
  return { text: echoAnswer(userText) };
}

function chatReply(body: JsonObject, markers: Markers): MockReply {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isObject) : [];
  const promptWords = Math.max(
    1,
    messages.reduce((n, m) => n + countTokens(contentText(m.content)), 0),
  );
  const answer = chatAnswer(body);
  const cut = answer.text === undefined ? { text: '', truncated: false } : truncateToTokens(answer.text, body.max_tokens);
  const outputTokens = answer.call ? countTokens(answer.call.function.arguments) : countTokens(cut.text);
  const finish = answer.call ? 'TOOL_CALL' : cut.truncated ? 'MAX_TOKENS' : 'COMPLETE';
  const usage = {
    billed_units: { input_tokens: promptWords, output_tokens: outputTokens },
    tokens: { input_tokens: promptWords + COHERE_TEMPLATE_TOKENS, output_tokens: outputTokens },
  };
  const id = mockId('');
  if (body.stream === true) return chatStream(id, answer.call, cut.text, finish, markers.noUsage ? undefined : usage);
  const message = answer.call
    ? { role: 'assistant', tool_plan: 'I will call the tool.', tool_calls: [answer.call] }
    : { role: 'assistant', content: [{ type: 'text', text: cut.text }] };
  return { kind: 'json', status: 200, body: { id, finish_reason: finish, message, ...(markers.noUsage ? {} : { usage }) } };
}

function chatStream(id: string, call: ToolCall | undefined, text: string, finish: string, usage: unknown): MockReply {
  const event = (data: JsonObject) => sseFrame(data, String(data.type));
  const frames = [event({ type: 'message-start', id, delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } })];
  if (call) {
    frames.push(event({ type: 'tool-plan-delta', delta: { message: { tool_plan: 'I will call the tool.' } } }));
    frames.push(
      event({ type: 'tool-call-start', index: 0, delta: { message: { tool_calls: { ...call, function: { name: call.function.name, arguments: '' } } } } }),
    );
  } else frames.push(event({ type: 'content-start', index: 0, delta: { message: { content: { type: 'text', text: '' } } } }));
  const contentStart = frames.length;
  const pieces = call ? splitIntoPieces(call.function.arguments) : splitIntoPieces(text);
  for (const piece of pieces) {
    frames.push(
      call
        ? event({ type: 'tool-call-delta', index: 0, delta: { message: { tool_calls: { function: { arguments: piece } } } } })
        : event({ type: 'content-delta', index: 0, delta: { message: { content: { text: piece } } } }),
    );
  }
  frames.push(event(call ? { type: 'tool-call-end', index: 0 } : { type: 'content-end', index: 0 }));
  frames.push(event({ type: 'message-end', delta: { finish_reason: finish, ...(usage === undefined ? {} : { usage }) } }));
  return { kind: 'stream', frames, contentStart };
}

function embedReply(body: JsonObject): MockReply {
  const texts = Array.isArray(body.texts) ? body.texts.map(String) : [];
  if (texts.length === 0) return { kind: 'json', status: 400, body: error('invalid request: texts must not be empty') };
  if (!Array.isArray(body.embedding_types) || !body.embedding_types.includes('float')) {
    return { kind: 'json', status: 400, body: error('invalid request: embedding_types must include float for this mock') };
  }
  const dims = typeof body.output_dimension === 'number' ? body.output_dimension : undefined;
  return {
    kind: 'json',
    status: 200,
    body: {
      id: mockId(''),
      embeddings: { float: texts.map((text) => mockEmbedding(text, dims)) },
      texts,
      meta: { api_version: { version: '2' }, billed_units: { input_tokens: texts.reduce((n, t) => n + countTokens(t), 0) } },
      response_type: 'embeddings_by_type',
    },
  };
}

/** The share of the query's words a document contains. */
function relevance(query: string, doc: string): number {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 0;
  const text = doc.toLowerCase();
  return words.filter((w) => text.includes(w)).length / words.length;
}

function rerankReply(body: JsonObject): MockReply {
  const docs = body.documents;
  // Rerank v2 takes documents as strings only.
  if (!Array.isArray(docs) || docs.length === 0 || !docs.every((d) => typeof d === 'string')) {
    return { kind: 'json', status: 400, body: error('invalid request: documents must be a non-empty list of strings') };
  }
  const query = typeof body.query === 'string' ? body.query : '';
  const ranked = docs
    .map((doc, index) => ({ index, relevance_score: relevance(query, doc) }))
    .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index);
  const topN = typeof body.top_n === 'number' ? body.top_n : ranked.length;
  return {
    kind: 'json',
    status: 200,
    body: {
      id: mockId(''),
      results: ranked.slice(0, topN),
      meta: { api_version: { version: '2' }, billed_units: { search_units: Math.ceil(docs.length / 100) } },
    },
  };
}
