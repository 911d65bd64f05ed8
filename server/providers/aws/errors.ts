/**
 * AWS JSON error answers (Bedrock Runtime, SageMaker Runtime) → GatewayError. The error's name is in the
 * `x-amzn-ErrorType` header (`ThrottlingException:http://internal.amazon.com/…`) or the body's `__type`; the text
 * in the body's `message` (`Message` in some services). https://docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html
 */
import { GatewayError, contextLengthExceeded } from '../../core/errors.ts';

type ResponseHeaders = Record<string, string | string[] | undefined>;

/** Bedrock's and TGI's words for a prompt beyond the model's window ("Input is too long for requested model.", …). */
const CONTEXT_OVERFLOW =
  /too long|`inputs` tokens \+ `max_new_tokens` must be|too many (?:input )?tokens|context (?:window|length)|maximum (?:context|input)|exceeds? the (?:model'?s? )?(?:maximum|context)/i;
/** Guardrails and the models' own content filters. */
const CONTENT_POLICY = /guardrail|content filter|content policy|blocked by|harmful content|safety/i;

/** Seconds to wait when AWS throttles without saying how long (it never does on Bedrock). */
export const DEFAULT_RETRY_AFTER_S = '1';

function header(headers: ResponseHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first) return first;
  }
  return undefined;
}

interface AwsErrorDetail {
  type?: string;
  message?: string;
  /** SageMaker's ModelError: the status and message the model container answered with. */
  originalStatus?: number;
}

function parseBody(bodyText: string): AwsErrorDetail {
  try {
    const parsed = JSON.parse(bodyText) as Record<string, unknown>;
    if (parsed && typeof parsed === 'object') {
      const message = parsed.OriginalMessage ?? parsed.message ?? parsed.Message;
      const type = parsed.__type;
      const originalStatus = parsed.OriginalStatusCode;
      return {
        ...(typeof message === 'string' && message ? { message } : {}),
        ...(typeof originalStatus === 'number' ? { originalStatus } : {}),
        ...(typeof type === 'string' && type ? { type: type.replace(/^.*#/, '') } : {}),
      };
    }
  } catch {
    // Not JSON (a load balancer's page): described from the raw text.
  }
  return {};
}

export function mapAwsError(service: string, upstreamStatus: number, bodyText: string, headers: ResponseHeaders): GatewayError {
  const detail = parseBody(bodyText);
  // A SageMaker ModelError (424) is the model container's own failure: its status says whose fault it is.
  const status = detail.originalStatus ?? upstreamStatus;
  const type = header(headers, 'x-amzn-errortype')?.split(':')[0] || detail.type || `HTTP ${status}`;
  const raw = bodyText.trim().slice(0, 500);
  const message = `${service}: ${type}: ${detail.message ?? (raw || `upstream returned HTTP ${status}`)}`;
  const code = type;
  switch (type) {
    case 'ThrottlingException':
    case 'TooManyRequestsException':
    case 'ServiceQuotaExceededException':
      return new GatewayError(429, message, {
        type: 'rate_limit_error',
        code,
        headers: { 'retry-after': header(headers, 'retry-after') ?? DEFAULT_RETRY_AFTER_S },
      });
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'IncompleteSignatureException':
    case 'MissingAuthenticationTokenException':
    case 'ExpiredTokenException':
      return new GatewayError(401, message, { type: 'authentication_error', code });
    case 'AccessDeniedException':
      return new GatewayError(403, message, { type: 'permission_error', code });
    case 'ResourceNotFoundException':
      return new GatewayError(404, message, { type: 'not_found_error', code });
    case 'ServiceUnavailableException':
    case 'ModelNotReadyException':
      return new GatewayError(503, message, {
        type: 'service_unavailable',
        code,
        headers: { 'retry-after': header(headers, 'retry-after') ?? DEFAULT_RETRY_AFTER_S },
      });
    case 'ModelTimeoutException':
      return new GatewayError(504, message, { type: 'timeout_error', code });
    default:
      break;
  }
  if (status === 429)
    return new GatewayError(429, message, {
      type: 'rate_limit_error',
      code,
      headers: { 'retry-after': header(headers, 'retry-after') ?? DEFAULT_RETRY_AFTER_S },
    });
  if (status < 500 && detail.message && CONTEXT_OVERFLOW.test(detail.message)) return contextLengthExceeded(message);
  if (status < 500 && detail.message && CONTENT_POLICY.test(detail.message)) {
    return new GatewayError(400, message, { type: 'invalid_request_error', code: 'content_policy_violation' });
  }
  if (status === 401 || status === 403) return new GatewayError(status, message, { code });
  if (status === 404) return new GatewayError(404, message, { type: 'not_found_error', code });
  if (status === 503) return new GatewayError(503, message, { type: 'service_unavailable', code, headers: { 'retry-after': DEFAULT_RETRY_AFTER_S } });
  if (status >= 400 && status < 500) return new GatewayError(400, message, { type: 'invalid_request_error', code });
  return new GatewayError(502, message, { type: 'upstream_error', code });
}
