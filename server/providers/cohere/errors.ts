/**
 * Cohere error answers (HTTP status + `{"message": …}`, sometimes with an `id`) → GatewayError with the status an
 * OpenAI SDK maps to the right exception (https://docs.cohere.com/reference/errors).
 */
import { GatewayError, contextLengthExceeded } from '../../core/errors.ts';
import { retryAfterSeconds } from '../openai/errors.ts';
import { PROVIDER_NAME, isRecord } from './wire.ts';

type ResponseHeaders = Record<string, string | string[] | undefined>;

/** "too many tokens: total number of tokens in the prompt cannot exceed 4081 - received 4992 …" and kin. */
const CONTEXT_OVERFLOW = /too many tokens|context (?:window|length)|exceeds? the (?:model'?s? )?(?:maximum|context)|prompt is too long/i;
/** The safety system's words ("blocked output", "the request was blocked", "unsafe content"). */
const SAFETY = /blocked|safety|unsafe|toxic|content polic/i;

/** Cohere rarely sends Retry-After; clients are still told when to come back. */
export const DEFAULT_RETRY_AFTER_S = '1';

const MAX_RAW_BODY_CHARS = 300;

export function mapCohereError(status: number, bodyText: string, headers: ResponseHeaders): GatewayError {
  const detail = readMessage(bodyText);
  const message = `${PROVIDER_NAME}: ${detail ?? describeRawBody(status, bodyText)}`;
  if ((status === 400 || status === 422) && detail) {
    if (CONTEXT_OVERFLOW.test(detail)) return contextLengthExceeded(message);
    if (SAFETY.test(detail)) return new GatewayError(400, message, { code: 'content_policy_violation' });
  }
  switch (status) {
    case 400:
    case 422:
      return new GatewayError(400, message, { type: 'invalid_request_error' });
    case 401:
    case 498:
      // 498: Cohere's "invalid token".
      return new GatewayError(401, message, { type: 'authentication_error', code: 'invalid_api_key' });
    case 402:
    case 403:
      return new GatewayError(403, message, { type: 'permission_error' });
    case 404:
      return new GatewayError(404, message, { type: 'not_found_error', code: 'model_not_found' });
    case 429:
      return new GatewayError(429, message, {
        type: 'rate_limit_error',
        code: 'rate_limit_exceeded',
        headers: { 'retry-after': retryAfterSeconds(headers) ?? DEFAULT_RETRY_AFTER_S },
      });
    case 499:
      return new GatewayError(408, message, { type: 'timeout_error' });
    case 503:
      return new GatewayError(503, message, { type: 'service_unavailable' });
    case 504:
      return new GatewayError(504, message, { type: 'timeout_error' });
  }
  if (status >= 400 && status < 500) return new GatewayError(400, message, { type: 'invalid_request_error' });
  return new GatewayError(502, message, { type: 'upstream_error', code: `upstream_${status}` });
}

function readMessage(bodyText: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (isRecord(parsed) && typeof parsed.message === 'string' && parsed.message !== '') return parsed.message;
  } catch {
    // Not JSON (a proxy's page): described from the raw text.
  }
  return undefined;
}

function describeRawBody(status: number, bodyText: string): string {
  const text = bodyText.trim();
  if (text === '') return `upstream returned HTTP ${status} with an empty body`;
  return `upstream returned HTTP ${status}: ${text.length > MAX_RAW_BODY_CHARS ? `${text.slice(0, MAX_RAW_BODY_CHARS)}…` : text}`;
}
