/**
 * Scripted failures, chosen by markers inside the requested model name (or Azure deployment name),
 * and the error bodies each provider really sends (OpenAI / Azure / Anthropic error shapes).
 */

export type Protocol = 'openai' | 'azure' | 'anthropic';

export interface Markers {
  /** `error-429` | `error-500` | `error-401`: answer with that status (429 adds `Retry-After: 7`). */
  errorStatus?: 401 | 429 | 500;
  /**
   * `error-429-<n>s`: rate-limited for about n seconds after the model name's first request (since start or
   * reset), with `Retry-After` counting down from n; normal answers after that (server.ts keeps the clock and
   * lifts the limit 100 ms early, so waiting out Retry-After always works).
   */
  rateLimitWindowS?: number;
  /** `Retry-After` of the 429 reply (default RETRY_AFTER_SECONDS). */
  retryAfterSeconds?: number;
  /** `context-overflow`: 400 context-length error in the provider's words. */
  contextOverflow: boolean;
  /** `content-policy`: 400 content-policy / content-filtering error in the provider's words. */
  contentPolicy: boolean;
  /** `slow-<ms>`: wait before answering (before the first stream byte too). */
  slowMs?: number;
  /** `chunk-gap-<ms>`: wait between stream events, so clients see them arrive one by one. */
  chunkGapMs?: number;
  /** `hang`: never answer; the request stays open until the client aborts. */
  hang: boolean;
  /** `stream-break`: send two content chunks, then destroy the socket. */
  streamBreak: boolean;
  /** `not-json`: 200 with an HTML body. */
  notJson: boolean;
  /** `no-usage`: a normal answer without any usage (no `usage` field, no usage chunk or event fields). */
  noUsage: boolean;
  /**
   * `echo-key` / `echo-key-401`: a 500 (or 401) whose message quotes the credential the request carried, whole
   * (`… while serving Bearer sk-…`, `Incorrect API key provided: sk-…`), as careless upstreams and proxies do.
   */
  echoKey?: 401 | 500;
  /** `echo-key-mid-stream`: a stream that fails after two content events with an in-band error quoting the credential. */
  echoKeyMidStream: boolean;
}

export const RETRY_AFTER_SECONDS = 7;

/** A marker counts only as a whole token of the name (`gpt-hang` yes, `gpt-change` no). */
function hasMarker(model: string, marker: string): boolean {
  return new RegExp(`(^|[^a-z0-9])${marker}($|[^a-z0-9])`, 'i').test(model);
}

export function parseMarkers(model: string): Markers {
  const error = /error-(401|429|500)/.exec(model)?.[1];
  const limitWindow = /error-429-(\d+)s($|[^a-z0-9])/i.exec(model)?.[1];
  const slow = /slow-(\d+)/.exec(model)?.[1];
  const gap = /chunk-gap-(\d+)/.exec(model)?.[1];
  return {
    errorStatus: error === undefined ? undefined : (Number(error) as 401 | 429 | 500),
    ...(limitWindow === undefined ? {} : { rateLimitWindowS: Number(limitWindow), retryAfterSeconds: Number(limitWindow) }),
    contextOverflow: hasMarker(model, 'context-overflow'),
    contentPolicy: hasMarker(model, 'content-policy'),
    slowMs: slow === undefined ? undefined : Number(slow),
    chunkGapMs: gap === undefined ? undefined : Number(gap),
    hang: hasMarker(model, 'hang'),
    streamBreak: hasMarker(model, 'stream-break'),
    notJson: hasMarker(model, 'not-json'),
    noUsage: hasMarker(model, 'no-usage'),
    echoKeyMidStream: hasMarker(model, 'echo-key-mid-stream'),
    ...(hasMarker(model, 'echo-key-401')
      ? { echoKey: 401 as const }
      : hasMarker(model, 'echo-key') && !hasMarker(model, 'echo-key-mid-stream')
        ? { echoKey: 500 as const }
        : {}),
  };
}

/** OpenAI's error body: {"error":{"message","type","param","code"}}. */
export function openaiError(message: string, type: string, code: string | null = null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

/** Anthropic's error body: {"type":"error","error":{"type","message"}} (plus the request id it adds). */
export function anthropicError(type: string, message: string, requestId?: string) {
  return { type: 'error', error: { type, message }, ...(requestId === undefined ? {} : { request_id: requestId }) };
}

export const AZURE_ACCESS_DENIED =
  'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';

/** Azure's own gateway errors (auth, unknown resource) use {"error":{"code","message"}} with string codes. */
export function azureError(code: string, message: string) {
  return { error: { code, message } };
}

export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** OpenAI's words when its safety system rejects a request (`code: content_policy_violation`). */
export const OPENAI_CONTENT_POLICY_MESSAGE =
  'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.';

/** Anthropic's words when its content filter blocks an answer (a 400 `invalid_request_error`). */
export const ANTHROPIC_CONTENT_POLICY_MESSAGE = 'Output blocked by content filtering policy';

const OPENAI_CONTEXT_MESSAGE =
  "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens. " + 'Please reduce the length of the messages.';

/** The reply for an `error-*`, `context-overflow` or `content-policy` marker, or undefined when none applies. */
export function scriptedError(protocol: Protocol, markers: Markers, model: string): ErrorReply | undefined {
  const anthropic = protocol === 'anthropic';
  switch (markers.errorStatus) {
    case 429: {
      const retryAfter = markers.retryAfterSeconds ?? RETRY_AFTER_SECONDS;
      return {
        status: 429,
        headers: { 'retry-after': String(retryAfter) },
        body: anthropic
          ? anthropicError('rate_limit_error', 'Number of requests has exceeded your per-minute rate limit.')
          : openaiError(
              `Rate limit reached for ${model} on requests per min (RPM): Limit 3, Used 3, Requested 1. ` + `Please try again in ${retryAfter}s.`,
              'requests',
              'rate_limit_exceeded',
            ),
      };
    }
    case 500:
      return {
        status: 500,
        headers: {},
        body: anthropic
          ? anthropicError('api_error', 'Internal server error')
          : openaiError('The server had an error while processing your request. Sorry about that!', 'server_error'),
      };
    case 401:
      return { status: 401, headers: {}, body: unauthorizedBody(protocol, 'sk-mock…oops') };
    default:
      break;
  }
  if (markers.contextOverflow) {
    return {
      status: 400,
      headers: {},
      body: anthropic
        ? anthropicError('invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum')
        : openaiError(OPENAI_CONTEXT_MESSAGE, 'invalid_request_error', 'context_length_exceeded', 'messages'),
    };
  }
  if (markers.contentPolicy) {
    return {
      status: 400,
      headers: {},
      body: anthropic
        ? anthropicError('invalid_request_error', ANTHROPIC_CONTENT_POLICY_MESSAGE)
        : openaiError(OPENAI_CONTENT_POLICY_MESSAGE, 'invalid_request_error', 'content_policy_violation'),
    };
  }
  return undefined;
}

/** 401 body for a wrong key (the `error-401` marker). Missing credentials are answered by the router. */
export function unauthorizedBody(protocol: Protocol, maskedKey: string): unknown {
  if (protocol === 'anthropic') return anthropicError('authentication_error', 'invalid x-api-key');
  if (protocol === 'azure') return azureError('401', AZURE_ACCESS_DENIED);
  return openaiError(
    `Incorrect API key provided: ${maskedKey}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    'invalid_request_error',
    'invalid_api_key',
  );
}

/** The reply for an `echo-key` marker: the presented credential (`Bearer …` or x-api-key / api-key value), quoted whole. */
export function echoedKeyError(protocol: Protocol, status: 401 | 500, presented: string): ErrorReply {
  const key = presented.replace(/^Bearer\s+/i, '');
  if (protocol === 'anthropic') {
    return status === 401
      ? { status, headers: {}, body: anthropicError('authentication_error', `invalid x-api-key: ${key}`) }
      : { status, headers: {}, body: anthropicError('api_error', `Internal server error while serving x-api-key ${key}`) };
  }
  if (status === 401) return { status, headers: {}, body: unauthorizedBody(protocol === 'azure' ? 'openai' : protocol, key) };
  return { status, headers: {}, body: openaiError(`The server had an error while serving Bearer ${key}. Sorry about that!`, 'server_error') };
}

/** The in-band error event of `echo-key-mid-stream`, in the protocol's stream framing. */
export function echoedKeyStreamError(protocol: Protocol, presented: string): string {
  const key = presented.replace(/^Bearer\s+/i, '');
  if (protocol === 'anthropic') {
    return `event: error\ndata: ${JSON.stringify(anthropicError('api_error', `Overloaded while serving x-api-key ${key}`))}\n\n`;
  }
  return `data: ${JSON.stringify(openaiError(`The server had an error while serving Bearer ${key} mid-stream`, 'server_error'))}\n\n`;
}

/** What `not-json` answers: a proxy's HTML error page with status 200. */
export const NOT_JSON_BODY = '<!DOCTYPE html>\n<html><head><title>Gateway page</title></head><body><h1>Welcome</h1><p>This is not JSON.</p></body></html>\n';
