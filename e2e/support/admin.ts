/**
 * The admin side of a running gateway, through real HTTP with fetch exactly as a curl user would call it
 * (LiteLLM's /key/* and /spend/logs names and bodies), plus the prices the mock's deterministic token counts
 * are billed at, so tests can assert exact costs.
 */
import { expect } from 'vitest';
import { loadPriceTable } from '../../server/prices/price-table.ts';
import { expectValid } from './openapi.ts';

export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Headers;
  json: T;
  text: string;
}

export interface OpenAIErrorJson {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** LiteLLM's key object as /key/info, /key/list and /key/generate show it, and one /spend/logs row: the server's own wire types. */
import type { KeyObject as KeyJson, SpendLogRow as SpendLogJson } from '../../server/core/admin-api.ts';

export type { KeyJson, SpendLogJson };

/** Any method and path, JSON in and out; `key` goes in `Authorization: Bearer` (none when null). */
export async function request<T = unknown>(url: string, method: string, path: string, key: string | null, body?: unknown): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = {};
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + path, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json: json as T, text };
}

/** A chat completion with `key`, as curl would send it. */
export function chat(url: string, key: string | null, body: Record<string, unknown>): Promise<HttpAnswer> {
  return request(url, 'POST', '/v1/chat/completions', key, body);
}

/** Asserts an OpenAI-shaped error with this status (and type/code when given); returns its `error`. */
export function expectOpenAIError(answer: HttpAnswer, status: number, code?: string | null, type?: string): OpenAIErrorJson['error'] {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expectValid('ErrorResponse', answer.json);
  const { error } = answer.json as OpenAIErrorJson;
  if (code !== undefined) expect(error.code).toBe(code);
  if (type !== undefined) expect(error.type).toBe(type);
  return error;
}

export interface Admin {
  generateKey(body?: Record<string, unknown>): Promise<KeyJson & { key: string }>;
  keyInfo(ref: string): Promise<KeyJson>;
  /** /spend/logs with these query parameters: the rows and x-total-count. */
  spendLogs(query?: Record<string, string>): Promise<{ rows: SpendLogJson[]; total: number; headers: Headers }>;
  get<T = unknown>(path: string): Promise<HttpAnswer<T>>;
  post<T = unknown>(path: string, body?: unknown): Promise<HttpAnswer<T>>;
}

/** The admin API with the master key. */
export function admin(url: string, masterKey = 'sk-1234'): Admin {
  const ok = <T>(answer: HttpAnswer<T>): T => {
    expect(answer.status, answer.text).toBe(200);
    return answer.json;
  };
  return {
    generateKey: async (body = {}) => ok(await request<KeyJson & { key: string }>(url, 'POST', '/key/generate', masterKey, body)),
    keyInfo: async (ref) => ok(await request<{ info: KeyJson }>(url, 'GET', `/key/info?key=${encodeURIComponent(ref)}`, masterKey)).info,
    spendLogs: async (query = {}) => {
      const answer = await request<SpendLogJson[]>(url, 'GET', `/spend/logs?${new URLSearchParams(query).toString()}`, masterKey);
      const rows = ok(answer);
      return { rows, total: Number(answer.headers.get('x-total-count')), headers: answer.headers };
    },
    get: (path) => request(url, 'GET', path, masterKey),
    post: (path, body) => request(url, 'POST', path, masterKey, body),
  };
}

/**
 * Nano-dollars per token from the bundled price table (resources/model_prices_and_context_window.json):
 * gpt-4o $2.50 / $10 per million, gpt-3.5-turbo $0.50 / $1.50, gpt-4 $30 / $60. Written out so a test
 * states the money it expects; `expectBundledPrices` fails loudly if the table ever changes.
 */
export const NANOS_PER_TOKEN = {
  'gpt-4o': { input: 2_500, output: 10_000 },
  'gpt-3.5-turbo': { input: 500, output: 1_500 },
  'gpt-4': { input: 30_000, output: 60_000 },
} as const;

export type PricedModel = keyof typeof NANOS_PER_TOKEN;

export function expectBundledPrices(): void {
  const table = loadPriceTable();
  for (const [model, nanos] of Object.entries(NANOS_PER_TOKEN)) {
    expect(table.get(model)?.input_cost_per_token, model).toBe(nanos.input / 1e9);
    expect(table.get(model)?.output_cost_per_token, model).toBe(nanos.output / 1e9);
  }
}

/** The exact cost in nano-dollars of a call with these token counts. */
export function costNanos(model: PricedModel, promptTokens: number, completionTokens: number): number {
  const price = NANOS_PER_TOKEN[model];
  return promptTokens * price.input + completionTokens * price.output;
}

/**
 * What the mock bills one user message: prompt = its words, completion = the words of `echo: <text>`
 * (see e2e/mock-providers/README.md).
 */
export function mockTokens(userText: string): { prompt: number; completion: number } {
  const words = userText.split(/\s+/).filter(Boolean).length;
  return { prompt: Math.max(1, words), completion: words + 1 };
}

export const usd = (nanos: number): number => nanos / 1e9;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
