/**
 * One error type for the whole gateway. Every failure a client sees is an OpenAI-shaped body
 * `{"error":{"message","type","param","code"}}` with the status an OpenAI SDK maps to the right exception.
 */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'timeout_error'
  | 'api_error'
  | 'upstream_error'
  | 'service_unavailable';

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export class GatewayError extends Error {
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
  /** Response headers to send with the error (Retry-After, Allow, …). */
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, opts: { type?: string; param?: string | null; code?: string | null; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'GatewayError';
    this.status = status;
    this.type = opts.type ?? defaultType(status);
    this.param = opts.param ?? null;
    this.code = opts.code ?? null;
    this.headers = opts.headers ?? {};
  }

  toBody(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/**
 * One deployment's refusal of a request before anything was sent to it (a key with a budget and a deployment
 * with no price): the router tries another deployment of the group, then the fallbacks; when none takes the
 * request, this is the answer.
 */
export class DeploymentRefusal extends GatewayError {
  constructor(status: number, message: string, opts: { type?: string; param?: string | null; code?: string | null } = {}) {
    super(status, message, opts);
    this.name = 'DeploymentRefusal';
  }
}

export function defaultType(status: number): ErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 408 || status === 504) return 'timeout_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 502) return 'upstream_error';
  if (status === 503) return 'service_unavailable';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

export const badRequest = (message: string, param: string | null = null, code: string | null = null) => new GatewayError(400, message, { param, code });

export const modelNotFound = (model: string, available: string[]) =>
  new GatewayError(404, `The model \`${model}\` does not exist on this gateway. Available models: ${available.join(', ') || '(none configured)'}.`, {
    param: 'model',
    code: 'model_not_found',
  });

/** The start every OpenAI client (and LiteLLM's router) matches to recognise a context overflow. */
export const CONTEXT_LENGTH_PREFIX = "This model's maximum context length is";

export function contextLengthExceeded(detail: string): GatewayError {
  const message = detail.startsWith(CONTEXT_LENGTH_PREFIX) ? detail : `${CONTEXT_LENGTH_PREFIX} exceeded: ${detail}`;
  return new GatewayError(400, message, { param: 'messages', code: 'context_length_exceeded' });
}
