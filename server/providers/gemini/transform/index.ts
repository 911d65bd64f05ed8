/**
 * Gemini's wire transforms, free of any URL or credential: AI Studio (providers/gemini/) and Vertex AI's Gemini
 * models build their URLs and auth around these. Each takes a `label` naming the provider in its errors.
 */
export { toGenerateContentBody } from './request.ts';
export { GEMINI_REQUEST_PARAMS } from './params.ts';
export { translateGenerateContent } from './response.ts';
export { createGeminiStreamTranslator } from './stream.ts';
export { toOpenAIUsage } from './usage.ts';
export { mapGoogleError, parseGoogleError, contentPolicyError, DEFAULT_RETRY_AFTER_S } from './errors.ts';
export { toBatchEmbedBody, translateBatchEmbed } from './embeddings.ts';
export { toolCallId, parseToolCallId } from './tool-ids.ts';
export type { GeminiContent, GeminiPart, GeminiResponse, GeminiUsageMetadata } from './wire.ts';
