/**
 * OpenAI and the OpenAI-compatible family: every endpoint is a pass-through (no translateResponse, no
 * stream translator), so answers are streamed to the client without re-serialising each chunk.
 */
import type { ProviderAdapter } from '../types.ts';
import { openaiModelsProbe, openaiRequest } from './request.ts';

const passThrough = { buildRequest: openaiRequest };

export function openaiCompatibleProvider(id: string): ProviderAdapter {
  return {
    id,
    endpoints: { chat: passThrough, completions: passThrough, embeddings: passThrough },
    healthProbe: openaiModelsProbe,
  };
}
