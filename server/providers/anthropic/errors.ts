/**
 * Anthropic error answers (HTTP status + {"type":"error","error":{"type","message"}}) → GatewayError with
 * the status an OpenAI SDK maps to the right exception.
 */
import { GatewayError, contextLengthExceeded } from '../../core/errors.ts';
import { PROVIDER_NAME, isRecord } from './wire.ts';
import type { AnthropicErrorDetail } from './wire.ts';

type ResponseHeaders = Record<string, string | string[] | undefined>;

/** How Anthropic words a context overflow ("prompt is too long: 210000 tokens > 200000 maximum", …). */
const CONTEXT_OVERFLOW = /prompt is too long|exceeds? (?:the )?(?:model'?s? )?context|context (?:window|length)|too many (?:input )?tokens/i;

const MAX_RAW_BODY_CHARS = 500;

export function mapAnthropicError(status: number, bodyText: string, headers: ResponseHeaders): GatewayError {
  const detail = parseErrorBody(bodyText);
  const message = `${PROVIDER_NAME}: ${detail.message ?? describeRawBody(status, bodyText)}`;
  const code = detail.type ?? null;
  const retryAfter = headerValue(headers, 'retry-after');
  const retryHeaders: Record<string, string> = retryAfter ? { 'retry-after': retryAfter } : {};

  if ((status === 400 || status === 413) && detail.message && CONTEXT_OVERFLOW.test(detail.message)) {
    return contextLengthExceeded(message);
  }
  switch (status) {
    case 400:
      return new GatewayError(400, message, { type: 'invalid_request_error', code });
    case 401:
      return new GatewayError(401, message, { type: 'authentication_error', code });
    case 402:
      // billing_error: the key's account cannot pay. Not retryable here, but another deployment may work.
      return new GatewayError(403, message, { type: 'permission_error', code: code ?? 'billing_error' });
    case 403:
      return new GatewayError(403, message, { type: 'permission_error', code });
    case 404:
      return new GatewayError(404, message, { type: 'not_found_error', code });
    case 408:
      return new GatewayError(408, message, { type: 'timeout_error', code });
    case 413:
      return new GatewayError(413, message, { type: 'invalid_request_error', code: code ?? 'request_too_large' });
    case 429:
      return new GatewayError(429, message, { type: 'rate_limit_error', code, headers: retryHeaders });
    case 503:
    case 529:
      // 529 is Anthropic's "overloaded": clients know it as 503 Service Unavailable.
      return new GatewayError(503, message, { type: 'service_unavailable', code, headers: retryHeaders });
    case 504:
      return new GatewayError(504, message, { type: 'timeout_error', code });
  }
  // Any other 4xx is a problem with the request; any other 5xx is upstream's failure, not the gateway's.
  if (status >= 400 && status < 500) return new GatewayError(400, message, { type: 'invalid_request_error', code });
  return new GatewayError(502, message, { type: 'upstream_error', code });
}

/** An `error` event inside a 200 stream: same body shape, no HTTP status. */
export function streamErrorToGatewayError(error: unknown): GatewayError {
  const detail: AnthropicErrorDetail = isRecord(error) ? (error as AnthropicErrorDetail) : {};
  const message = `${PROVIDER_NAME}: ${detail.message ?? 'stream error'}`;
  const code = typeof detail.type === 'string' ? detail.type : null;
  if (code === 'overloaded_error') return new GatewayError(503, message, { type: 'service_unavailable', code });
  if (code === 'rate_limit_error') return new GatewayError(429, message, { type: 'rate_limit_error', code });
  return new GatewayError(502, message, { type: 'upstream_error', code });
}

function parseErrorBody(bodyText: string): AnthropicErrorDetail {
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (isRecord(parsed) && isRecord(parsed.error)) {
      const { type, message } = parsed.error;
      return {
        ...(typeof type === 'string' ? { type } : {}),
        ...(typeof message === 'string' && message !== '' ? { message } : {}),
      };
    }
  } catch {
    // Not JSON (a proxy's HTML page, a truncated body): described from the raw text below.
  }
  return {};
}

function describeRawBody(status: number, bodyText: string): string {
  const text = bodyText.trim();
  if (text === '') return `upstream returned HTTP ${status} with an empty body`;
  const snippet = text.length > MAX_RAW_BODY_CHARS ? `${text.slice(0, MAX_RAW_BODY_CHARS)}…` : text;
  return `upstream returned HTTP ${status}: ${snippet}`;
}

function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== '') return first;
  }
  return undefined;
}
