/**
 * Upstream error → GatewayError for OpenAI-shaped upstreams (and the fallback for every other one).
 * Clients get OpenAI's error shape with the status their SDK maps to the right exception.
 */
import { CONTEXT_LENGTH_PREFIX, GatewayError, contextLengthExceeded } from '../../core/errors.ts';

type Headers = Record<string, string | string[] | undefined>;

const CONTEXT_OVERFLOW = /context[ _]length|maximum context|context window|prompt is too long|too many tokens|reduce the length/i;

interface UpstreamErrorFields {
  message: string;
  type?: string;
  param?: string | null;
  code?: string | null;
}

/** Reads the message out of the error bodies OpenAI-compatible servers actually send. */
export function readErrorBody(bodyText: string): UpstreamErrorFields | undefined {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object') return undefined;
  const o = json as Record<string, unknown>;
  const inner = o.error;
  if (inner && typeof inner === 'object') {
    const e = inner as Record<string, unknown>;
    return {
      message: String(e.message ?? JSON.stringify(e)),
      type: typeof e.type === 'string' ? e.type : undefined,
      param: typeof e.param === 'string' ? e.param : null,
      code: typeof e.code === 'string' ? e.code : e.code === undefined || e.code === null ? null : String(e.code),
    };
  }
  if (typeof inner === 'string') return { message: inner };
  // vLLM/FastAPI style: {"object":"error","message":…} or {"detail":…}
  if (typeof o.message === 'string') return { message: o.message, type: typeof o.type === 'string' ? o.type : undefined };
  if (o.detail !== undefined) return { message: typeof o.detail === 'string' ? o.detail : JSON.stringify(o.detail) };
  return undefined;
}

/** Retry-After in whole seconds, from `retry-after` (seconds or HTTP date) or `retry-after-ms`. */
export function retryAfterSeconds(headers: Headers): string | undefined {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const ms = Number(first(headers['retry-after-ms']));
  if (Number.isFinite(ms) && ms > 0) return String(Math.ceil(ms / 1000));
  const raw = first(headers['retry-after']);
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return String(Math.ceil(Number(raw)));
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : String(Math.max(0, Math.ceil((date - Date.now()) / 1000)));
}

/** Upstream 5xx statuses as a proxy reports them: the upstream failed, not the gateway. */
function gatewayStatus(status: number): number {
  if (status === 503 || status === 504) return status;
  if (status >= 500) return 502;
  return status;
}

export function mapUpstreamError(provider: string, status: number, bodyText: string, headers: Headers): GatewayError {
  const fields = readErrorBody(bodyText);
  const message = fields?.message ?? (bodyText.trim().slice(0, 300) || `HTTP ${status} with an empty body`);
  if ((status === 400 || status === 413 || status === 422) && (fields?.code === 'context_length_exceeded' || CONTEXT_OVERFLOW.test(message))) {
    return contextLengthExceeded(message.startsWith(CONTEXT_LENGTH_PREFIX) ? message : `${CONTEXT_LENGTH_PREFIX} exceeded (${provider}: ${message})`);
  }
  const headersOut: Record<string, string> = {};
  if (status === 429) {
    const after = retryAfterSeconds(headers);
    if (after) headersOut['retry-after'] = after;
  }
  const out = gatewayStatus(status);
  return new GatewayError(out, `${provider}: ${message}`, {
    type: out === status && status < 500 ? fields?.type : undefined,
    param: fields?.param ?? null,
    code: fields?.code ?? (out !== status ? `upstream_${status}` : null),
    headers: headersOut,
  });
}
