/**
 * AI21 error answers → GatewayError. AI21 answers in FastAPI's shape (`{"detail": "…"}` or a list of validation
 * problems) or OpenAI's (`{"error": {…}}`); the OpenAI mapping reads both. On top of it: a safety refusal is a
 * content-policy error, and a 429 always tells the client when to come back.
 */
import { GatewayError } from '../../core/errors.ts';
import { mapUpstreamError, readErrorBody } from '../openai/errors.ts';
import { PROVIDER_NAME } from './chat.ts';

/** AI21 rarely sends Retry-After on a rate limit. */
export const DEFAULT_RETRY_AFTER_S = '1';

const SAFETY = /safety|content polic|blocked|inappropriate/i;

export function mapAi21Error(status: number, bodyText: string, headers: Record<string, string | string[] | undefined>): GatewayError {
  const mapped = mapUpstreamError(PROVIDER_NAME, status, bodyText, headers);
  if (mapped.code === 'context_length_exceeded') return mapped;
  const message = readErrorBody(bodyText)?.message ?? '';
  if ((status === 400 || status === 422) && SAFETY.test(message)) {
    return new GatewayError(400, mapped.message, { code: 'content_policy_violation' });
  }
  if (status === 422) return new GatewayError(400, mapped.message, { type: 'invalid_request_error', param: mapped.param, code: mapped.code });
  if (status === 429 && !mapped.headers['retry-after']) {
    return new GatewayError(429, mapped.message, { type: mapped.type, code: mapped.code, headers: { 'retry-after': DEFAULT_RETRY_AFTER_S } });
  }
  return mapped;
}
