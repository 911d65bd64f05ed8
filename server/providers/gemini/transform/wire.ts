/**
 * The slice of Google's Gemini wire format (generateContent, streamGenerateContent, embedContent) these transforms
 * read and write. The same format is spoken by Google AI Studio and by Vertex AI's Gemini models; nothing here
 * knows a URL or a credential. Reference: https://ai.google.dev/api/generate-content
 */

/** One part of a Content: exactly one of its data fields is set. */
export interface GeminiPart {
  text?: string;
  /** A text part that is the model's reasoning (with includeThoughts). */
  thought?: boolean;
  /** Opaque proof of the model's reasoning; Gemini wants it back with the part it came with in later turns. */
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType?: string; fileUri: string };
  functionCall?: { id?: string; name: string; args?: Record<string, unknown> };
  functionResponse?: { id?: string; name: string; response: Record<string, unknown> };
  executableCode?: unknown;
  codeExecutionResult?: unknown;
}

export interface GeminiContent {
  role?: 'user' | 'model';
  parts: GeminiPart[];
}

export interface GeminiUsageMetadata {
  /** Every prompt token, cached ones included. */
  promptTokenCount?: number;
  /** The answer's tokens, thoughts excluded. */
  candidatesTokenCount?: number;
  /** Of the prompt, the tokens read from a context cache. */
  cachedContentTokenCount?: number;
  /** The model's reasoning tokens, billed as output. */
  thoughtsTokenCount?: number;
  /** Tokens of tool (function, search) results fed back to the model within the call. */
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
}

export interface GeminiCandidate {
  content?: { role?: string; parts?: GeminiPart[] };
  finishReason?: string;
  index?: number;
  safetyRatings?: unknown[];
}

/** A generateContent answer, or one event of streamGenerateContent (each event is a whole response object). */
export interface GeminiResponse {
  candidates?: GeminiCandidate[];
  promptFeedback?: { blockReason?: string; blockReasonMessage?: string; safetyRatings?: unknown[] };
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
}

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** The finishReasons that mean a safety or policy system stopped the answer. */
const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION']);

/** Gemini finishReason → OpenAI finish_reason; null while the candidate is still running. */
export function toFinishReason(finishReason: string | undefined, calledTools: boolean): OpenAIFinishReason | null {
  if (finishReason === undefined || finishReason === '' || finishReason === 'FINISH_REASON_UNSPECIFIED') return null;
  if (FILTERED.has(finishReason)) return 'content_filter';
  if (finishReason === 'MAX_TOKENS') return 'length';
  // Gemini says STOP when it called functions; OpenAI clients loop on tool_calls.
  if (calledTools) return 'tool_calls';
  // STOP, OTHER, LANGUAGE, MALFORMED_FUNCTION_CALL and reasons added later: the model stopped.
  return 'stop';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
