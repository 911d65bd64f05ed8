/**
 * Hugging Face error answers → GatewayError. TGI answers `{"error": "...", "error_type": "validation" |
 * "overloaded" | "generation" | "incomplete_generation" | …}` (422 validation, 424 generation failed, 429
 * overloaded, 503 unavailable); the serverless API says `{"error": "Model … is currently loading",
 * "estimated_time": 20.0}` with 503; the Messages API and the router answer OpenAI's shape.
 */
import { GatewayError, contextLengthExceeded } from '../../core/errors.ts';
import { readErrorBody, retryAfterSeconds } from '../openai/errors.ts';

type Headers = Record<string, string | string[] | undefined>;

export const PROVIDER_LABEL = 'Hugging Face';

const CONTEXT_OVERFLOW =
  /input validation error: `inputs` tokens \+ `max_new_tokens` must be|must have less than \d+ tokens|context length|maximum context|too many tokens|inputs.*tokens.*must be <=/i;
const CONTENT_POLICY = /content policy|safety|flagged|not allowed/i;

/** When nothing says how long to wait: a short pause, so a 429 always tells the client when to retry. */
const DEFAULT_RETRY_AFTER_S = '1';

interface TgiError {
  message: string;
  errorType?: string;
  estimatedTime?: number;
}

export function readHfError(bodyText: string): TgiError | undefined {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  if (typeof o.error === 'string') {
    return {
      message: o.error,
      ...(typeof o.error_type === 'string' ? { errorType: o.error_type } : {}),
      ...(typeof o.estimated_time === 'number' ? { estimatedTime: o.estimated_time } : {}),
    };
  }
  const openai = readErrorBody(bodyText);
  return openai ? { message: openai.message, ...(openai.type ? { errorType: openai.type } : {}) } : undefined;
}

function retryHeaders(headers: Headers, error: TgiError | undefined): Record<string, string> {
  const given = retryAfterSeconds(headers);
  if (given) return { 'retry-after': given };
  if (error?.estimatedTime !== undefined) return { 'retry-after': String(Math.max(1, Math.ceil(error.estimatedTime))) };
  return { 'retry-after': DEFAULT_RETRY_AFTER_S };
}

export function mapHuggingFaceError(status: number, bodyText: string, headers: Headers): GatewayError {
  const error = readHfError(bodyText);
  const detail = error?.message ?? (bodyText.trim().slice(0, 300) || `HTTP ${status} with an empty body`);
  const message = `${PROVIDER_LABEL}: ${detail}`;
  const code = error?.errorType ?? null;
  if ((status === 400 || status === 413 || status === 422) && CONTEXT_OVERFLOW.test(detail)) return contextLengthExceeded(message);
  if (status === 400 && CONTENT_POLICY.test(detail)) {
    return new GatewayError(400, message, { type: 'invalid_request_error', code: 'content_policy_violation' });
  }
  switch (status) {
    case 400:
    case 422:
      return new GatewayError(400, message, { type: 'invalid_request_error', code });
    case 401:
      return new GatewayError(401, message, { type: 'authentication_error', code });
    case 402:
    case 403:
      return new GatewayError(403, message, { type: 'permission_error', code });
    case 404:
      return new GatewayError(404, message, { type: 'not_found_error', code: code ?? 'model_not_found' });
    case 424:
      // The model failed while generating: the upstream's failure, not the request's.
      return new GatewayError(502, message, { type: 'upstream_error', code: code ?? 'upstream_424' });
    case 429:
      return new GatewayError(429, message, { type: 'rate_limit_error', code, headers: retryHeaders(headers, error) });
    case 503:
      // "Model is loading" (estimated_time) or overloaded: worth retrying after the hint.
      return new GatewayError(503, message, { type: 'service_unavailable', code, headers: retryHeaders(headers, error) });
    case 504:
      return new GatewayError(504, message, { type: 'timeout_error', code });
  }
  if (status >= 400 && status < 500) return new GatewayError(400, message, { type: 'invalid_request_error', code });
  return new GatewayError(502, message, { type: 'upstream_error', code: code ?? `upstream_${status}` });
}

/** An `{"error": …}` event inside a 200 stream. */
export function streamError(payload: Record<string, unknown>): GatewayError {
  const message = `${PROVIDER_LABEL}: ${typeof payload.error === 'string' ? payload.error : JSON.stringify(payload.error)}`;
  const code = typeof payload.error_type === 'string' ? payload.error_type : null;
  if (code === 'overloaded') return new GatewayError(503, message, { type: 'service_unavailable', code, headers: { 'retry-after': DEFAULT_RETRY_AFTER_S } });
  return new GatewayError(502, message, { type: 'upstream_error', code });
}
