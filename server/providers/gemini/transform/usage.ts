/**
 * Gemini usageMetadata → OpenAI usage. promptTokenCount already counts the cached tokens (priced at the cache-read
 * rate through prompt_tokens_details.cached_tokens); thoughts are billed as output, so they join completion_tokens
 * and are named in completion_tokens_details.reasoning_tokens, as OpenAI does for its reasoning models.
 */
import type { Usage } from '../../types.ts';
import type { GeminiUsageMetadata } from './wire.ts';

const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

export function toOpenAIUsage(usage: GeminiUsageMetadata): Usage {
  const prompt = count(usage.promptTokenCount) + count(usage.toolUsePromptTokenCount);
  const thoughts = count(usage.thoughtsTokenCount);
  const completion = count(usage.candidatesTokenCount) + thoughts;
  const cached = count(usage.cachedContentTokenCount);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached },
    completion_tokens_details: { reasoning_tokens: thoughts },
  };
}
