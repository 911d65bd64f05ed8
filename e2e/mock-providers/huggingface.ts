/**
 * Hugging Face Text Generation Inference and Text Embeddings Inference, one "endpoint" per path prefix:
 * `/huggingface/<endpoint>/…` is an Inference Endpoint whose URL (the deployment's api_base) names it, so the
 * failure markers of failures.ts go in `<endpoint>`. Written from TGI's API reference
 * (https://huggingface.github.io/text-generation-inference/ — /generate, /generate_stream, /v1/chat/completions,
 * /health; errors `{"error", "error_type"}` with 422 validation, 424 generation, 429 overloaded) and TEI's
 * (https://huggingface.github.io/text-embeddings-inference/ — /embed), and the serverless API's model-loading 503
 * (`{"error": "Model … is currently loading", "estimated_time": 20.0}`).
 * The "model" answers `echo: <the whole prompt>`; tokens are whitespace-separated words (text.ts).
 */
import { type Markers, parseMarkers } from './failures.ts';
import { type Exchange, type MockReply, sendJson, sendReply, sseFrame } from './http.ts';
import { mockEmbedding } from './openai-embeddings.ts';
import { openaiChatReply } from './openai-chat.ts';
import { countTokens, echoAnswer, isObject, type JsonObject, splitIntoPieces, truncateToTokens } from './text.ts';

export const HUGGINGFACE_PATH = /^\/huggingface\/([^/]+)\/(generate|generate_stream|v1\/chat\/completions|embed|health)$/;

/** Seconds the serverless API says a `loading` model needs. */
export const HF_LOADING_SECONDS = 20;

const tgiError = (error: string, errorType: string) => ({ error, error_type: errorType });

function scriptedTgiError(markers: Markers, endpoint: string): { status: number; body: unknown } | undefined {
  if (markers.errorStatus === 429) return { status: 429, body: tgiError('Model is overloaded', 'overloaded') };
  if (markers.errorStatus === 500) return { status: 500, body: tgiError('Request failed during generation: Server error: CUDA out of memory', 'generation') };
  if (markers.errorStatus === 401) return { status: 401, body: { error: 'Invalid credentials in Authorization header' } };
  if (/(^|[^a-z0-9])loading($|[^a-z0-9])/i.test(endpoint)) {
    return { status: 503, body: { error: `Model ${endpoint} is currently loading`, estimated_time: HF_LOADING_SECONDS } };
  }
  if (markers.contextOverflow) {
    return {
      status: 422,
      body: tgiError(
        'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4000 `inputs` tokens and 200 `max_new_tokens`',
        'validation',
      ),
    };
  }
  return undefined;
}

/** A prompt token's deterministic logprob: shorter words are likelier. */
export const prefillLogprob = (word: string) => -Math.round(word.length * 25) / 100;

/** TGI's answer to `POST /generate`. */
export function tgiGenerateAnswer(body: JsonObject): JsonObject {
  const inputs = typeof body.inputs === 'string' ? body.inputs : '';
  const parameters = isObject(body.parameters) ? body.parameters : {};
  const { text, truncated } = truncateToTokens(echoAnswer(inputs), parameters.max_new_tokens);
  const details: JsonObject = { finish_reason: truncated ? 'length' : 'eos_token', generated_tokens: countTokens(text), seed: null };
  if (parameters.decoder_input_details === true) {
    // TGI's PrefillToken: every prompt token scored given the ones before it; the first has no context (logprob null).
    details.prefill = (inputs.match(/\S+/g) ?? []).map((word, id) => ({ id, text: word, logprob: id === 0 ? null : prefillLogprob(word) }));
  }
  return { generated_text: text, ...(parameters.details === true ? { details } : {}) };
}

/** TGI's `/generate_stream` events: one per token, the last (the special end token) with the text and details. */
export function tgiStreamEvents(body: JsonObject): string[] {
  const inputs = typeof body.inputs === 'string' ? body.inputs : '';
  const parameters = isObject(body.parameters) ? body.parameters : {};
  const { text, truncated } = truncateToTokens(echoAnswer(inputs), parameters.max_new_tokens);
  const pieces = splitIntoPieces(text);
  const frames = pieces.map((piece, i) =>
    sseFrame({ index: i + 1, token: { id: 100 + i, text: piece, logprob: -0.1, special: false }, generated_text: null, details: null }),
  );
  const details = { finish_reason: truncated ? 'length' : 'eos_token', generated_tokens: countTokens(text), seed: null };
  frames.push(sseFrame({ index: pieces.length + 1, token: { id: 2, text: '</s>', logprob: 0, special: true }, generated_text: text, details }));
  return frames;
}

function embedReply(body: JsonObject): MockReply {
  const inputs = typeof body.inputs === 'string' ? [body.inputs] : Array.isArray(body.inputs) ? body.inputs : undefined;
  if (!inputs?.every((i) => typeof i === 'string')) {
    return { kind: 'json', status: 422, body: tgiError('Input validation error: `inputs` must be a string or a list of strings', 'validation') };
  }
  return { kind: 'json', status: 200, body: inputs.map((text) => mockEmbedding(text)) };
}

/**
 * An endpoint named with the token `local` (`local-tgi`) is TGI on the user's own machine (`docker run … text-generation-inference`),
 * which takes calls without a token; Inference Endpoints and the serverless API want one.
 */
function isLocalServer(endpoint: string): boolean {
  return /(^|[^a-z0-9])local($|[^a-z0-9])/i.test(endpoint);
}

/** Answers a request under /huggingface/; false when the path is not one of its routes. */
export async function handleHuggingFace(ex: Exchange, method: string, path: string, body: unknown): Promise<boolean> {
  const match = HUGGINGFACE_PATH.exec(path);
  if (!match) return false;
  const endpoint = decodeURIComponent(match[1] ?? '');
  const route = match[2] ?? '';
  ex.record.model = endpoint;
  if (route === 'health') {
    sendJson(ex, method === 'GET' ? 200 : 405, method === 'GET' ? {} : { error: 'Method Not Allowed' });
    return true;
  }
  if (!isLocalServer(endpoint) && !/^Bearer\s+\S/i.test(ex.req.headers.authorization ?? '')) {
    sendJson(ex, 401, { error: 'Authorization header is correct, but the token seems invalid' });
    return true;
  }
  if (!isObject(body)) {
    sendJson(ex, 422, tgiError('Failed to deserialize the JSON body into the target type', 'validation'));
    return true;
  }
  const markers = parseMarkers(endpoint);
  const scripted = scriptedTgiError(markers, endpoint);
  if (scripted) {
    sendJson(ex, scripted.status, scripted.body);
    return true;
  }
  const stream = { streamBreak: markers.streamBreak, ...(markers.chunkGapMs === undefined ? {} : { chunkGapMs: markers.chunkGapMs }) };
  let reply: MockReply;
  if (route === 'generate') reply = { kind: 'json', status: 200, body: tgiGenerateAnswer(body) };
  else if (route === 'generate_stream') reply = { kind: 'stream', frames: tgiStreamEvents(body), contentStart: 0 };
  else if (route === 'embed') reply = embedReply(body);
  else reply = openaiChatReply(body, typeof body.model === 'string' ? body.model : 'tgi');
  await sendReply(ex, reply, stream);
  return true;
}
