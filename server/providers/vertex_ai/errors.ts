/**
 * Vertex AI error answers → GatewayError. Google's platform answers in its own shape
 * (`{"error":{"code","message","status","details"}}`: auth, quota, unknown model, Gemini's own refusals — the
 * gemini provider's mapping), while a Claude model on Vertex answers its request errors in Anthropic's shape,
 * mapped by the Anthropic adapter.
 * https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 · https://cloud.google.com/apis/design/errors
 */
import type { GatewayError } from '../../core/errors.ts';
import { mapAnthropicError } from '../anthropic/errors.ts';
import { mapGoogleError } from '../gemini/transform/errors.ts';

type ResponseHeaders = Record<string, string | string[] | undefined>;

export const VERTEX_LABEL = 'Vertex AI';

function isAnthropicError(bodyText: string): boolean {
  try {
    const parsed: unknown = JSON.parse(bodyText);
    return typeof parsed === 'object' && parsed !== null && (parsed as { type?: unknown }).type === 'error';
  } catch {
    return false;
  }
}

export function mapVertexError(status: number, bodyText: string, headers: ResponseHeaders): GatewayError {
  return isAnthropicError(bodyText) ? mapAnthropicError(status, bodyText, headers) : mapGoogleError(VERTEX_LABEL, status, bodyText, headers);
}
