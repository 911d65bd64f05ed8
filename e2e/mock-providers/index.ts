/**
 * Fake upstream providers for every test and the bench: `startMockProviders()` plus the builders and
 * deterministic helpers tests use to predict (or construct) exactly what the mock answers.
 */
export { startMockProviders } from './server.ts';
export type { MockProviders, MockProvidersOptions } from './server.ts';
export type { MockReply, RecordedRequest } from './http.ts';
export {
  RETRY_AFTER_SECONDS,
  NOT_JSON_BODY,
  OPENAI_CONTENT_POLICY_MESSAGE,
  ANTHROPIC_CONTENT_POLICY_MESSAGE,
  anthropicError,
  azureError,
  openaiError,
  parseMarkers,
} from './failures.ts';
export type { Markers, Protocol } from './failures.ts';
export { openaiChatChunks, openaiChatCompletion, openaiChatReply, openaiUsage } from './openai-chat.ts';
export type { ChatAnswer, OpenAIUsage, ToolCall } from './openai-chat.ts';
export {
  openaiResponse,
  openaiResponseEvents,
  openaiResponsesReply,
  responsesAnswer,
  responsesInputItems,
  responsesStreamError,
  responsesUsage,
} from './openai-responses.ts';
export type { ResponsesAnswer, ResponsesUsage } from './openai-responses.ts';
export { openaiCompletionReply, openaiTextCompletion } from './openai-completions.ts';
export { DEFAULT_EMBEDDING_DIMENSIONS, MOCK_MODELS, float32Base64, mockEmbedding, openaiEmbeddingReply } from './openai-embeddings.ts';
export { MOCK_CACHE_READ_TOKENS, anthropicMessage, anthropicMessagesReply, anthropicStreamEvents } from './anthropic.ts';
export type { AnthropicAnswer, AnthropicBlock, AnthropicUsage } from './anthropic.ts';
export { AI21_BLOCKED_MESSAGE, AI21_CONTEXT_MESSAGE, AI21_PATH } from './ai21.ts';
export { COHERE_BLOCKED_MESSAGE, COHERE_CONTEXT_MESSAGE, COHERE_TEMPLATE_TOKENS } from './cohere.ts';
export { geminiAnswer, geminiBlockedPrompt, geminiError, geminiMethodReply, geminiPromptTokens, geminiResponse, geminiStreamFrames } from './gemini.ts';
export type { GeminiAnswer } from './gemini.ts';
export { GEMINI_INVALID_KEY } from './gemini-studio.ts';
export { VERTEX_TOKEN_PATH, testServiceAccount, trustAuthorizedUser, trustServiceAccount, vertexTokenGrants } from './vertex-token.ts';
export type { TestServiceAccount } from './vertex-token.ts';
export { contentText, countTokens, echoAnswer, lastUserText, promptTokens, splitIntoPieces } from './text.ts';
