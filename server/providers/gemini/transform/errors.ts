/**
 * Google API errors (`{"error":{"code","message","status","details":[…]}}`, google.rpc.Status; Vertex's stream
 * endpoints wrap it in a one-element array) → GatewayError with the status an OpenAI SDK maps to the right
 * exception. A 429's RetryInfo.retryDelay becomes Retry-After. Shared by AI Studio and Vertex AI: `label` names
 * the provider. Reference: https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
 */
import { GatewayError, contextLengthExceeded } from '../../../core/errors.ts';
import { isRecord } from './wire.ts';

type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface GoogleErrorDetail {
  message?: string;
  /** The google.rpc.Code name: INVALID_ARGUMENT, RESOURCE_EXHAUSTED, … */
  status?: string;
  /** ErrorInfo.reason: API_KEY_INVALID, … */
  reason?: string;
  /** RetryInfo.retryDelay in whole seconds, rounded up. */
  retryDelayS?: number;
}

/** A 429 or 503 always tells the client when to come back, even when Google gave no hint. */
export const DEFAULT_RETRY_AFTER_S = '1';

/** How Gemini words a prompt over the window ("The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)"). */
const CONTEXT_OVERFLOW =
  /input token count.*exceeds|exceeds the maximum number of tokens|context (?:window|length)|too many (?:input )?tokens|prompt is too long/i;
/** How Google words a request its safety filters refused. */
const SAFETY = /safety|prohibited content|blocked.*(?:policy|filter)|responsible ai/i;

const MAX_RAW_BODY_CHARS = 500;

export function mapGoogleError(label: string, status: number, bodyText: string, headers: ResponseHeaders): GatewayError {
  const detail = parseGoogleError(bodyText);
  const message = `${label}: ${detail.message ?? describeRawBody(status, bodyText)}`;
  const code = detail.status ?? null;
  const retryAfter = detail.retryDelayS !== undefined ? String(detail.retryDelayS) : (retryAfterSeconds(headers) ?? DEFAULT_RETRY_AFTER_S);

  // An invalid AI Studio key is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID: clients know it as a 401.
  if (detail.reason === 'API_KEY_INVALID' || /API key not valid/i.test(detail.message ?? '')) {
    return new GatewayError(401, message, { type: 'authentication_error', code: 'invalid_api_key' });
  }
  if (status === 400 && detail.message) {
    if (CONTEXT_OVERFLOW.test(detail.message)) return contextLengthExceeded(message);
    if (SAFETY.test(detail.message)) return contentPolicyError(message);
  }
  switch (status) {
    case 400:
      return new GatewayError(400, message, { type: 'invalid_request_error', code });
    case 401:
      return new GatewayError(401, message, { type: 'authentication_error', code });
    case 403:
      return new GatewayError(403, message, { type: 'permission_error', code });
    case 404:
      return new GatewayError(404, message, { type: 'not_found_error', code });
    case 408:
    case 504:
      return new GatewayError(504, message, { type: 'timeout_error', code });
    case 413:
      return new GatewayError(413, message, { type: 'invalid_request_error', code: code ?? 'request_too_large' });
    case 429:
      return new GatewayError(429, message, { type: 'rate_limit_error', code, headers: { 'retry-after': retryAfter } });
    case 503:
      return new GatewayError(503, message, { type: 'service_unavailable', code, headers: { 'retry-after': retryAfter } });
  }
  if (status >= 400 && status < 500) return new GatewayError(400, message, { type: 'invalid_request_error', code });
  return new GatewayError(502, message, { type: 'upstream_error', code });
}

/** The error content_policy_fallbacks act on (a 400 with OpenAI's code for it). */
export function contentPolicyError(message: string): GatewayError {
  return new GatewayError(400, message, { type: 'invalid_request_error', code: 'content_policy_violation' });
}

/** An error object inside a 200 stream (Google ends a failing stream with one): same shape as the HTTP error body. */
export function streamErrorToGatewayError(label: string, error: unknown): GatewayError {
  const code = isRecord(error) && typeof error.code === 'number' ? error.code : 500;
  return mapGoogleError(label, code, JSON.stringify({ error }), {});
}

export function parseGoogleError(bodyText: string): GoogleErrorDetail {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    // Not JSON (a proxy's HTML page, a truncated body): described from the raw text.
    return {};
  }
  const body = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!isRecord(body) || !isRecord(body.error)) return {};
  const { message, status, details } = body.error;
  const out: GoogleErrorDetail = {};
  if (typeof message === 'string' && message !== '') out.message = message;
  if (typeof status === 'string' && status !== '') out.status = status;
  for (const item of Array.isArray(details) ? details : []) {
    if (!isRecord(item)) continue;
    if (typeof item.reason === 'string') out.reason = item.reason;
    const delay = typeof item.retryDelay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(item.retryDelay.trim()) : null;
    if (delay) out.retryDelayS = Math.max(1, Math.ceil(Number(delay[1])));
  }
  return out;
}

/** A Retry-After header Google (or a proxy before it) sent, in whole seconds. */
function retryAfterSeconds(headers: ResponseHeaders): string | undefined {
  const raw = Object.entries(headers).find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value !== undefined && /^\d+(\.\d+)?$/.test(value.trim()) ? String(Math.ceil(Number(value))) : undefined;
}

function describeRawBody(status: number, bodyText: string): string {
  const text = bodyText.trim();
  if (text === '') return `upstream returned HTTP ${status} with an empty body`;
  return `upstream returned HTTP ${status}: ${text.length > MAX_RAW_BODY_CHARS ? `${text.slice(0, MAX_RAW_BODY_CHARS)}…` : text}`;
}
