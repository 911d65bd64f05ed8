/**
 * Replicate's error answers → GatewayError. HTTP errors are problem details (`{"title", "detail", "status"}`,
 * https://replicate.com/docs/reference/http); a 429 says `Request was throttled. Expected available in N
 * seconds.` with Retry-After. A prediction that ran and `failed` carries its model's `error` text.
 */
import { GatewayError, contextLengthExceeded } from '../../core/errors.ts';
import { retryAfterSeconds } from '../openai/errors.ts';
import { PROVIDER_LABEL } from './input.ts';

type Headers = Record<string, string | string[] | undefined>;

const CONTEXT_OVERFLOW = /context (?:length|window)|maximum context|too many tokens|prompt is too long|exceeds? the (?:model'?s? )?(?:maximum|context)/i;
const CONTENT_POLICY = /nsfw|safety|content policy|flagged/i;

function detailOf(bodyText: string): { detail?: string; title?: string } {
  try {
    const json = JSON.parse(bodyText) as Record<string, unknown>;
    return {
      ...(typeof json.detail === 'string' ? { detail: json.detail } : {}),
      ...(typeof json.title === 'string' ? { title: json.title } : {}),
    };
  } catch {
    return {};
  }
}

/** "Expected available in 3 seconds." → 3, when the header is missing. */
function retryAfterFrom(detail: string | undefined): string | undefined {
  const seconds = /available in (\d+(?:\.\d+)?) seconds?/i.exec(detail ?? '')?.[1];
  return seconds === undefined ? undefined : String(Math.max(1, Math.ceil(Number(seconds))));
}

export function mapReplicateError(status: number, bodyText: string, headers: Headers): GatewayError {
  const { detail, title } = detailOf(bodyText);
  const text = detail ?? title ?? (bodyText.trim().slice(0, 300) || `HTTP ${status} with an empty body`);
  const message = `${PROVIDER_LABEL}: ${text}`;
  if ((status === 400 || status === 422) && CONTEXT_OVERFLOW.test(text)) return contextLengthExceeded(message);
  switch (status) {
    case 400:
    case 422:
      return new GatewayError(400, message, { type: 'invalid_request_error' });
    case 401:
      return new GatewayError(401, message, { type: 'authentication_error' });
    case 402:
    case 403:
      return new GatewayError(403, message, { type: 'permission_error' });
    case 404:
      return new GatewayError(404, message, { type: 'not_found_error', code: 'model_not_found' });
    case 429:
      return new GatewayError(429, message, {
        type: 'rate_limit_error',
        code: 'rate_limit_exceeded',
        headers: { 'retry-after': retryAfterSeconds(headers) ?? retryAfterFrom(detail) ?? '1' },
      });
    case 503:
      return new GatewayError(503, message, { type: 'service_unavailable', headers: { 'retry-after': retryAfterSeconds(headers) ?? '1' } });
    case 504:
      return new GatewayError(504, message, { type: 'timeout_error' });
  }
  if (status >= 400 && status < 500) return new GatewayError(400, message, { type: 'invalid_request_error' });
  return new GatewayError(502, message, { type: 'upstream_error', code: `upstream_${status}` });
}

/** A prediction that ended `failed` or `canceled` (or a stream's `error` event). */
export function predictionFailure(error: unknown, status = 'failed'): GatewayError {
  const text = typeof error === 'string' ? error : error ? JSON.stringify(error) : `prediction ${status}`;
  const message = `${PROVIDER_LABEL}: ${text}`;
  if (CONTEXT_OVERFLOW.test(text)) return contextLengthExceeded(message);
  if (CONTENT_POLICY.test(text)) return new GatewayError(400, message, { type: 'invalid_request_error', code: 'content_policy_violation' });
  return new GatewayError(502, message, { type: 'upstream_error', code: `prediction_${status}` });
}
