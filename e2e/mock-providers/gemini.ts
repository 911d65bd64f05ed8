/**
 * Gemini's answers, shared by Google AI Studio (gemini-studio.ts) and Vertex AI (vertex.ts): generateContent's
 * GenerateContentResponse, streamGenerateContent's `alt=sse` events (each a whole response holding the next slice,
 * usageMetadata cumulative — the running totals, not increments), countTokens, and the safety block of a prompt.
 * References: https://ai.google.dev/api/generate-content (request, response, FinishReason, UsageMetadata,
 * PromptFeedback), https://ai.google.dev/api/caching#Content, https://ai.google.dev/api/tokens.
 * The "model" echoes the last user text (or the last function response), counts whitespace-separated tokens, calls
 * the first declared function when tools are given (not right after a function response unless mode is ANY), and
 * thinks first when thinkingConfig.includeThoughts asks for thoughts — the same semantics as the other mocks.
 */
import type { MockReply } from './http.ts';
import { sseFrame } from './http.ts';
import type { JsonObject } from './text.ts';
import { countTokens, echoAnswer, isObject, mockId, splitIntoPieces, truncateToTokens } from './text.ts';

/** Google's error body: {"error":{"code","message","status","details"?}} (google.rpc.Status). */
export function geminiError(code: number, status: string, message: string, details?: unknown[]) {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

/** The top-level fields of a GenerateContentRequest; Google refuses any other (a leaked OpenAI parameter). */
const REQUEST_FIELDS = new Set([
  'contents',
  'tools',
  'toolConfig',
  'safetySettings',
  'systemInstruction',
  'generationConfig',
  'cachedContent',
  'labels',
  'model',
]);
const GENERATION_CONFIG_FIELDS = new Set([
  'stopSequences',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  'responseModalities',
  'candidateCount',
  'maxOutputTokens',
  'temperature',
  'topP',
  'topK',
  'seed',
  'presencePenalty',
  'frequencyPenalty',
  'responseLogprobs',
  'logprobs',
  'enableEnhancedCivicAnswers',
  'speechConfig',
  'thinkingConfig',
  'mediaResolution',
]);

/** How many tokens any `cachedContent` the request names holds: they join the prompt and are reported as cached. */
export const GEMINI_CACHED_CONTENT_TOKENS = 100;

/**
 * The thoughtSignature a thinking model attaches to its function call part; Gemini 3 refuses a later turn whose
 * function call comes back without it, and so does the mock whenever thoughts are asked for.
 */
export const GEMINI_THOUGHT_SIGNATURE = Buffer.from('mock-thought-signature').toString('base64');

const invalid = (message: string): MockReply => ({ kind: 'json', status: 400, body: geminiError(400, 'INVALID_ARGUMENT', message) });

function unknownField(body: JsonObject): MockReply | undefined {
  const config = isObject(body.generationConfig) ? body.generationConfig : {};
  const unknown = Object.keys(body).find((key) => !REQUEST_FIELDS.has(key)) ?? Object.keys(config).find((key) => !GENERATION_CONFIG_FIELDS.has(key));
  return unknown === undefined ? undefined : invalid(`Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.`);
}

const partsOf = (content: unknown): JsonObject[] => (isObject(content) && Array.isArray(content.parts) ? content.parts.filter(isObject) : []);

/** The words of a part the mock counts: text, and a function call's or response's JSON. */
function partText(part: JsonObject): string {
  if (typeof part.text === 'string') return part.text;
  if (isObject(part.functionResponse)) return JSON.stringify(part.functionResponse.response ?? {});
  if (isObject(part.functionCall)) return JSON.stringify(part.functionCall.args ?? {});
  return '';
}

/** Every prompt token: system instruction and all contents. */
export function geminiPromptTokens(body: JsonObject): number {
  const contents = Array.isArray(body.contents) ? body.contents : [];
  const texts = [body.systemInstruction, ...contents].flatMap(partsOf).map(partText);
  return Math.max(1, countTokens(texts.join(' ')));
}

interface Turn {
  text: string;
  afterFunctionResponse: boolean;
}

/** What the last user turn said: its text, or the `content` of the function response it carries. */
function lastTurn(contents: unknown[]): Turn {
  const last = contents[contents.length - 1];
  const parts = partsOf(last);
  const response = parts.map((p) => p.functionResponse).find(isObject);
  if (response) {
    const value = isObject(response.response) ? response.response : {};
    return { text: typeof value.content === 'string' ? value.content : JSON.stringify(value), afterFunctionResponse: true };
  }
  return { text: parts.flatMap((p) => (typeof p.text === 'string' ? [p.text] : [])).join(' '), afterFunctionResponse: false };
}

function chooseFunction(body: JsonObject, turn: Turn): string | undefined {
  const declarations = (Array.isArray(body.tools) ? body.tools : []).flatMap((tool) =>
    isObject(tool) && Array.isArray(tool.functionDeclarations) ? tool.functionDeclarations : [],
  );
  const names = declarations.flatMap((d) => (isObject(d) && typeof d.name === 'string' ? [d.name] : []));
  const config = isObject(body.toolConfig) && isObject(body.toolConfig.functionCallingConfig) ? body.toolConfig.functionCallingConfig : {};
  if (names.length === 0 || config.mode === 'NONE') return undefined;
  if (config.mode === 'ANY') {
    const allowed = Array.isArray(config.allowedFunctionNames) ? config.allowedFunctionNames.filter((n) => typeof n === 'string') : [];
    return allowed[0] ?? names[0];
  }
  return turn.afterFunctionResponse ? undefined : names[0];
}

export interface GeminiAnswer {
  modelVersion: string;
  responseId: string;
  thought?: string;
  text?: string;
  functionCall?: { name: string; args: JsonObject };
  finishReason: 'STOP' | 'MAX_TOKENS';
  promptTokenCount: number;
  /** Of promptTokenCount, the tokens read from the named context cache. */
  cachedTokenCount: number;
  withUsage: boolean;
}

/** What the mock model says to a GenerateContentRequest, or the 400 Google answers a malformed one with. */
export function geminiAnswer(body: JsonObject, model: string, options: { noUsage?: boolean } = {}): GeminiAnswer | MockReply {
  const bad = unknownField(body);
  if (bad) return bad;
  const contents = Array.isArray(body.contents) ? body.contents : [];
  if (contents.length === 0) return invalid('* GenerateContentRequest.contents: contents is not specified');
  const turn = lastTurn(contents);
  const config = isObject(body.generationConfig) ? body.generationConfig : {};
  const thinking = isObject(config.thinkingConfig) ? config.thinkingConfig : {};
  if (thinking.includeThoughts === true) {
    const unsigned = contents.flatMap(partsOf).find((p) => isObject(p.functionCall) && p.thoughtSignature !== GEMINI_THOUGHT_SIGNATURE);
    if (unsigned)
      return invalid(
        `Function call is missing a thought_signature in functionCall parts. Function call \`${String((unsigned.functionCall as JsonObject).name)}\`.`,
      );
  }
  const cached = typeof body.cachedContent === 'string' ? GEMINI_CACHED_CONTENT_TOKENS : 0;
  const answer: GeminiAnswer = {
    modelVersion: model,
    responseId: mockId('gemini-'),
    finishReason: 'STOP',
    promptTokenCount: geminiPromptTokens(body) + cached,
    cachedTokenCount: cached,
    withUsage: options.noUsage !== true,
  };
  if (thinking.includeThoughts === true) answer.thought = `thinking about: ${turn.text}`;
  const fn = chooseFunction(body, turn);
  if (fn !== undefined) answer.functionCall = { name: fn, args: { echo: turn.text } };
  else {
    const { text, truncated } = truncateToTokens(echoAnswer(turn.text), config.maxOutputTokens);
    answer.text = text;
    if (truncated) answer.finishReason = 'MAX_TOKENS';
  }
  return answer;
}

export const isReply = (value: GeminiAnswer | MockReply): value is MockReply => 'kind' in value;

function usageMetadata(answer: GeminiAnswer, candidatesTokenCount: number, thoughtsTokenCount: number): JsonObject {
  return {
    promptTokenCount: answer.promptTokenCount,
    candidatesTokenCount,
    ...(answer.cachedTokenCount > 0 ? { cachedContentTokenCount: answer.cachedTokenCount } : {}),
    ...(thoughtsTokenCount > 0 ? { thoughtsTokenCount } : {}),
    totalTokenCount: answer.promptTokenCount + candidatesTokenCount + thoughtsTokenCount,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: answer.promptTokenCount }],
  };
}

function response(answer: GeminiAnswer, parts: JsonObject[], finishReason: string | undefined, usage: JsonObject): JsonObject {
  const candidate: JsonObject = { content: { parts, role: 'model' }, index: 0 };
  if (finishReason !== undefined) candidate.finishReason = finishReason;
  return {
    candidates: [candidate],
    ...(answer.withUsage ? { usageMetadata: usage } : {}),
    modelVersion: answer.modelVersion,
    responseId: answer.responseId,
  };
}

/** A function call part, signed when the model thought first. */
const functionCallPart = (answer: GeminiAnswer): JsonObject => ({
  functionCall: answer.functionCall,
  ...(answer.thought !== undefined ? { thoughtSignature: GEMINI_THOUGHT_SIGNATURE } : {}),
});

const functionCallTokens = (call: NonNullable<GeminiAnswer['functionCall']>) => countTokens(call.name) + countTokens(JSON.stringify(call.args));

/** A whole generateContent answer. */
export function geminiResponse(answer: GeminiAnswer): JsonObject {
  const parts: JsonObject[] = [];
  if (answer.thought !== undefined) parts.push({ text: answer.thought, thought: true });
  if (answer.functionCall) parts.push(functionCallPart(answer));
  if (answer.text !== undefined) parts.push({ text: answer.text });
  const output = answer.functionCall ? functionCallTokens(answer.functionCall) : countTokens(answer.text ?? '');
  return response(answer, parts, answer.finishReason, usageMetadata(answer, output, countTokens(answer.thought ?? '')));
}

/** streamGenerateContent?alt=sse: a thought event, then the answer word by word, the last event with finishReason. */
export function geminiStreamFrames(answer: GeminiAnswer): { frames: string[]; contentStart: number } {
  const thoughts = countTokens(answer.thought ?? '');
  const frames: string[] = [];
  if (answer.thought !== undefined)
    frames.push(sseFrame(response(answer, [{ text: answer.thought, thought: true }], undefined, usageMetadata(answer, 0, thoughts))));
  if (answer.functionCall) {
    const usage = usageMetadata(answer, functionCallTokens(answer.functionCall), thoughts);
    frames.push(sseFrame(response(answer, [functionCallPart(answer)], answer.finishReason, usage)));
    return { frames, contentStart: 0 };
  }
  const pieces = splitIntoPieces(answer.text ?? '');
  let soFar = '';
  pieces.forEach((piece, i) => {
    soFar += piece;
    const last = i === pieces.length - 1;
    frames.push(sseFrame(response(answer, [{ text: piece }], last ? answer.finishReason : undefined, usageMetadata(answer, countTokens(soFar), thoughts))));
  });
  return { frames, contentStart: 0 };
}

/** What Gemini answers a prompt its safety filters block: no candidates, promptFeedback.blockReason. */
export function geminiBlockedPrompt(body: JsonObject, model: string): JsonObject {
  const promptTokenCount = geminiPromptTokens(body);
  return {
    promptFeedback: {
      blockReason: 'SAFETY',
      safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }],
    },
    usageMetadata: { promptTokenCount, totalTokenCount: promptTokenCount },
    modelVersion: model,
  };
}

/** generateContent, streamGenerateContent or countTokens on a model, as both AI Studio and Vertex answer them. */
export function geminiMethodReply(method: string, body: JsonObject, model: string, options: { noUsage?: boolean; blocked?: boolean } = {}): MockReply {
  if (method === 'countTokens') {
    const request = isObject(body.generateContentRequest) ? body.generateContentRequest : body;
    return { kind: 'json', status: 200, body: { totalTokens: geminiPromptTokens(request) } };
  }
  const stream = method === 'streamGenerateContent';
  if (options.blocked) {
    const blocked = geminiBlockedPrompt(body, model);
    return stream ? { kind: 'stream', frames: [sseFrame(blocked)], contentStart: 0 } : { kind: 'json', status: 200, body: blocked };
  }
  const answer = geminiAnswer(body, model, options);
  if (isReply(answer)) return answer;
  return stream ? { kind: 'stream', ...geminiStreamFrames(answer) } : { kind: 'json', status: 200, body: geminiResponse(answer) };
}
