/**
 * The one way the dashboard talks to the gateway: same-origin fetch with the master key as a Bearer token.
 * Every non-2xx answer becomes an ApiError carrying the gateway's own message (OpenAI's error envelope).
 */
import type { ErrorBody } from './types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string | number | null,
    readonly param?: string | null,
    /** The whole parsed body, for answers that carry more (e.g. config import issues). */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface ApiClient {
  get<T>(path: string, query?: Query): Promise<T>;
  /** GET that also returns the response headers (paging: x-total-count, x-total-pages). */
  getWithHeaders<T>(path: string, query?: Query): Promise<{ data: T; headers: Headers }>;
  getText(path: string, query?: Query): Promise<string>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
  /** A raw streaming request (server-sent events); the caller reads `response.body`. */
  stream(path: string, query: Query | undefined, signal: AbortSignal): Promise<Response>;
}

export function urlWith(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const error = (body as ErrorBody | undefined)?.error;
  const message = error?.message ?? (text.trim().slice(0, 300) || `${response.status} ${response.statusText}`);
  return new ApiError(response.status, message, error?.code ?? null, error?.param ?? null, body);
}

/** `baseUrl` is '' in the app (same origin); tests pass a gateway's address. */
export function createApiClient(token: () => string | undefined, baseUrl = '', fetchImpl: typeof fetch = (...args) => fetch(...args)): ApiClient {
  const headers = (json: boolean): Record<string, string> => {
    const h: Record<string, string> = { accept: 'application/json' };
    const t = token();
    if (t) h.authorization = `Bearer ${t}`;
    if (json) h['content-type'] = 'application/json';
    return h;
  };
  const send = async (method: string, path: string, query?: Query, body?: unknown, signal?: AbortSignal): Promise<Response> => {
    let response: Response;
    try {
      response = await fetchImpl(baseUrl + urlWith(path, query), {
        method,
        headers: headers(body !== undefined),
        body: body === undefined ? null : JSON.stringify(body),
        signal: signal ?? null,
      });
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw new ApiError(0, 'The gateway cannot be reached. Is it running?');
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  };
  const json = async <T>(response: Response): Promise<T> => {
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    get: async (path, query) => json(await send('GET', path, query)),
    getWithHeaders: async (path, query) => {
      const response = await send('GET', path, query);
      return { data: await json(response), headers: response.headers };
    },
    getText: async (path, query) => (await send('GET', path, query)).text(),
    post: async (path, body) => json(await send('POST', path, undefined, body ?? {})),
    put: async (path, body) => json(await send('PUT', path, undefined, body ?? {})),
    patch: async (path, body) => json(await send('PATCH', path, undefined, body ?? {})),
    delete: async (path) => json(await send('DELETE', path)),
    stream: (path, query, signal) => send('GET', path, query, undefined, signal),
  };
}
