/**
 * A cached answer replayed as a stream: a stored `chat.completion` becomes `chat.completion.chunk`s, a stored
 * `text_completion` becomes text_completion chunks, in the order OpenAI sends them — per choice a role chunk,
 * the text in one chunk, the tool calls in one chunk (each with its index), a finish chunk — then one usage
 * chunk (`choices: []`), which reaches only clients that asked for `stream_options.include_usage`.
 */
import type { Endpoint, OpenAIChunk } from '../providers/types.ts';

export type StreamEndpoint = Exclude<Endpoint, 'embeddings'>;

type Json = Record<string, unknown>;

/** Message fields streamed as text and concatenated back (LiteLLM's reasoning_content included). */
export const TEXT_FIELDS = ['content', 'refusal', 'reasoning_content'] as const;
/** Message fields with a delta form of their own; any other field rides on the role chunk as is. */
const DELTA_FIELDS = new Set<string>(['role', ...TEXT_FIELDS, 'tool_calls', 'function_call']);

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function choicesOf(body: Json): Json[] {
  return Array.isArray(body.choices) ? body.choices.filter(isRecord) : [];
}

/** id, created, model and the optional fields every chunk repeats. */
function chunkHeader(body: Json, object: string): Json {
  return {
    id: body.id,
    object,
    created: body.created,
    model: body.model,
    ...(typeof body.system_fingerprint === 'string' ? { system_fingerprint: body.system_fingerprint } : {}),
    ...(typeof body.service_tier === 'string' && object === 'chat.completion.chunk' ? { service_tier: body.service_tier } : {}),
  };
}

function usageChunk(header: Json, body: Json): OpenAIChunk[] {
  return isRecord(body.usage) ? [{ ...header, choices: [], usage: body.usage }] : [];
}

function toolCallDeltas(calls: unknown): Json[] {
  if (!Array.isArray(calls)) return [];
  return calls.filter(isRecord).map((call, index) => {
    const fn = isRecord(call.function) ? call.function : {};
    return {
      ...call,
      index,
      ...(call.function !== undefined ? { function: { name: fn.name, arguments: typeof fn.arguments === 'string' ? fn.arguments : '' } } : {}),
    };
  });
}

function chatChoiceChunks(header: Json, choice: Json): OpenAIChunk[] {
  const index = typeof choice.index === 'number' ? choice.index : 0;
  const message = isRecord(choice.message) ? choice.message : {};
  const logprobs = isRecord(choice.logprobs) ? choice.logprobs : null;
  const deltas: Json[] = [];
  const extras = Object.fromEntries(Object.entries(message).filter(([field, value]) => !DELTA_FIELDS.has(field) && value !== null && value !== undefined));
  deltas.push({ role: typeof message.role === 'string' ? message.role : 'assistant', content: typeof message.content === 'string' ? '' : null, ...extras });
  for (const field of TEXT_FIELDS) {
    const text = message[field];
    if (typeof text === 'string' && text !== '') deltas.push({ [field]: text });
  }
  const calls = toolCallDeltas(message.tool_calls);
  if (calls.length > 0) deltas.push({ tool_calls: calls });
  if (isRecord(message.function_call)) deltas.push({ function_call: message.function_call });
  // Log probabilities ride on the first chunk after the role chunk (the finish chunk when there is none).
  const chunks = deltas.map(
    (delta, i): OpenAIChunk => ({
      ...header,
      choices: [{ index, delta, logprobs: i === 1 ? logprobs : null, finish_reason: null }],
    }),
  );
  chunks.push({ ...header, choices: [{ index, delta: {}, logprobs: deltas.length === 1 ? logprobs : null, finish_reason: choice.finish_reason ?? 'stop' }] });
  return chunks;
}

function completionChoiceChunks(header: Json, choice: Json): OpenAIChunk[] {
  const index = typeof choice.index === 'number' ? choice.index : 0;
  const text = typeof choice.text === 'string' ? choice.text : '';
  const logprobs = isRecord(choice.logprobs) ? choice.logprobs : null;
  const chunks: OpenAIChunk[] = [];
  if (text !== '') chunks.push({ ...header, choices: [{ text, index, logprobs, finish_reason: null }] });
  chunks.push({ ...header, choices: [{ text: '', index, logprobs: text === '' ? logprobs : null, finish_reason: choice.finish_reason ?? 'stop' }] });
  return chunks;
}

/** The chunks that replay `body` (a complete answer of `endpoint`), usage chunk last. */
export function answerAsChunks(endpoint: StreamEndpoint, body: Json): OpenAIChunk[] {
  if (endpoint === 'chat') {
    const header = chunkHeader(body, 'chat.completion.chunk');
    return [...choicesOf(body).flatMap((choice) => chatChoiceChunks(header, choice)), ...usageChunk(header, body)];
  }
  const header = chunkHeader(body, 'text_completion');
  return [...choicesOf(body).flatMap((choice) => completionChoiceChunks(header, choice)), ...usageChunk(header, body)];
}

/**
 * The SSE frames (`data: …\n\n`, without `[DONE]`, which writeFrames adds) of a replay. The usage chunk is
 * left out unless the client asked for it, as the relay does for live streams.
 */
export async function* replayFrames(endpoint: StreamEndpoint, body: Json, includeUsage: boolean): AsyncGenerator<string> {
  let out = '';
  for (const chunk of answerAsChunks(endpoint, body)) {
    const usageOnly = Array.isArray(chunk.choices) && chunk.choices.length === 0;
    if (usageOnly && !includeUsage) continue;
    out += `data: ${JSON.stringify(chunk)}\n\n`;
  }
  // One write: the whole answer is already here.
  if (out) yield out;
}
