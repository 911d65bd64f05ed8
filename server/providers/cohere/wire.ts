/**
 * The slice of Cohere's v2 API wire format the adapters read (https://docs.cohere.com/reference/chat), plus the
 * mappings the response and stream translators share: finish reason and usage.
 */
import type { Usage } from '../types.ts';

export const PROVIDER_NAME = 'Cohere';
export const DEFAULT_API_BASE = 'https://api.cohere.com';

/** Cohere's usage: `billed_units` is what the account pays for, `tokens` what the model saw (template included). */
export interface CohereUsage {
  billed_units?: { input_tokens?: number; output_tokens?: number; search_units?: number } | null;
  tokens?: { input_tokens?: number; output_tokens?: number } | null;
}

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** Cohere finish_reason → OpenAI's; null while the answer is still running. */
export function toFinishReason(reason: unknown, calledTools: boolean): OpenAIFinishReason | null {
  if (calledTools) return 'tool_calls';
  switch (reason) {
    case null:
    case undefined:
      return null;
    case 'MAX_TOKENS':
    case 'TIMEOUT':
      return 'length';
    case 'TOOL_CALL':
      return 'tool_calls';
    case 'ERROR_TOXIC':
      return 'content_filter';
    // COMPLETE, STOP_SEQUENCE, ERROR and reasons added later: the model stopped.
    default:
      return 'stop';
  }
}

const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

/**
 * The billed units are the spend (Cohere charges them); the raw token counts stand in when a deployment behind a
 * proxy reports only those.
 */
export function toOpenAIUsage(usage: CohereUsage): Usage {
  const billed = isRecord(usage.billed_units) ? usage.billed_units : undefined;
  const tokens = isRecord(usage.tokens) ? usage.tokens : undefined;
  const source = billed && (billed.input_tokens !== undefined || billed.output_tokens !== undefined) ? billed : (tokens ?? {});
  const prompt = count(source.input_tokens);
  const completion = count(source.output_tokens);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `${apiBase}/v2/<endpoint>`: LiteLLM's Cohere api_base is the host root; one ending in /v1 or /v2 is taken as the root too. */
export function cohereUrl(apiBase: string | undefined, path: string): string {
  const base = (apiBase && apiBase.trim() !== '' ? apiBase.trim() : DEFAULT_API_BASE).replace(/\/+$/, '').replace(/\/v[12]$/, '');
  return `${base}${path}`;
}
