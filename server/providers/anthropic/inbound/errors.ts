/**
 * Errors on the inbound Messages API (/v1/messages) speak Anthropic's shape
 * `{"type":"error","error":{"type","message"}}`, so Claude Code and the Anthropic SDKs raise the right
 * exception. The gateway's own failures are GatewayErrors; only their rendering differs from the OpenAI routes.
 */
import { GatewayError } from '../../../core/errors.ts';
import { isRecord } from '../wire.ts';

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

export interface RenderedError {
  status: number;
  headers: Record<string, string>;
  body: AnthropicErrorBody;
}

/** Anthropic's error type for an HTTP status (its documented status ↔ type table). */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 408:
    case 504:
      return 'timeout_error';
    case 503:
    case 529:
      return 'overloaded_error';
  }
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

export function anthropicErrorBody(type: string, message: string): AnthropicErrorBody {
  return { type: 'error', error: { type, message } };
}

/** How Anthropic words a context overflow; Claude Code looks for it to compact the conversation. */
export const PROMPT_TOO_LONG = 'prompt is too long';

/** A GatewayError (whatever the pipeline threw) as this route answers it; the status is kept. */
export function renderAnthropicError(error: GatewayError): RenderedError {
  const message = error.code === 'context_length_exceeded' && !error.message.includes(PROMPT_TOO_LONG) ? `${PROMPT_TOO_LONG}: ${error.message}` : error.message;
  return { status: error.status, headers: error.headers, body: anthropicErrorBody(anthropicErrorType(error.status), message) };
}

/** A failure after the stream started: one `event: error` (the status line is already sent). */
export function errorEventFrame(error: Error): string {
  const body = error instanceof GatewayError ? renderAnthropicError(error).body : anthropicErrorBody('api_error', error.message);
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
}

/**
 * An Anthropic upstream's error answer, relayed with its own status: the body as is when it already has
 * Anthropic's shape, else wrapped in it (a proxy's HTML page, an empty body).
 */
export function relayedUpstreamError(status: number, bodyText: string, retryAfter: string | undefined): RenderedError {
  const headers: Record<string, string> = retryAfter ? { 'retry-after': retryAfter } : {};
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (isRecord(parsed) && parsed.type === 'error' && isRecord(parsed.error) && typeof parsed.error.type === 'string') {
      return { status, headers, body: parsed as unknown as AnthropicErrorBody };
    }
  } catch {
    // Not JSON: described below.
  }
  const text = bodyText.trim();
  const message = text === '' ? `The upstream answered HTTP ${status} with an empty body.` : `The upstream answered HTTP ${status}: ${text.slice(0, 500)}`;
  return { status, headers, body: anthropicErrorBody(anthropicErrorType(status), message) };
}
