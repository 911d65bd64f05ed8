/**
 * Speaking Anthropic's Messages API to a gateway with plain fetch, as Claude Code does, and the model_list
 * entries of the router tests (the deployment id is the upstream model name, so `x-litellm-model-id`
 * names the mock model that answered).
 */
import { expect } from 'vitest';
import { parseSse } from './sse.ts';

/** A JSON body, read field by field. */
export type Json = Record<string, any>;

export const MASTER_KEY = 'sk-master';
/** What Claude Code sends besides the body. */
export const anthropicHeaders = (key = MASTER_KEY) => ({ 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' });

export const hi = { max_tokens: 256, messages: [{ role: 'user', content: 'hi' }] };

/** A model_list entry on the mock's Anthropic Messages API. `params`: more litellm_params, as YAML flow-mapping items. */
export function anthropicEntry(mockUrl: string, group: string, upstream: string, params = ''): string {
  return `
  - model_name: ${group}
    litellm_params: { model: anthropic/${upstream}, api_base: "${mockUrl}", api_key: sk-ant-up${params ? `, ${params}` : ''} }
    model_info: { id: ${upstream} }`;
}

/** A model_list entry on the mock's OpenAI API. */
export function openaiEntry(mockUrl: string, group: string, upstream: string, params = ''): string {
  return `
  - model_name: ${group}
    litellm_params: { model: openai/${upstream}, api_base: "${mockUrl}/v1", api_key: sk-up${params ? `, ${params}` : ''} }
    model_info: { id: ${upstream} }`;
}

export interface JsonAnswer {
  status: number;
  headers: Headers;
  body: Json;
  /** x-litellm-model-id: the deployment that answered. */
  modelId: string | null;
}

export interface SendOptions {
  /** Default /v1/messages. */
  path?: string;
  /** Default the master key. */
  key?: string;
}

/** A non-streamed call (messages, or count_tokens with `path`); the answer must be JSON. */
export async function sendMessage(url: string, body: Json, options: SendOptions = {}): Promise<JsonAnswer> {
  const res = await fetch(url + (options.path ?? '/v1/messages'), { method: 'POST', headers: anthropicHeaders(options.key), body: JSON.stringify(body) });
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json, modelId: res.headers.get('x-litellm-model-id') };
}

export interface StreamedAnswer {
  modelId: string | null;
  /** Each event's payload (its `type` checked against the SSE event name). */
  events: Json[];
  /** The text deltas, joined. */
  text: string;
}

/** A streamed message: 200 and an event stream, drained. */
export async function streamMessage(url: string, body: Json): Promise<StreamedAnswer> {
  const res = await fetch(`${url}/v1/messages`, { method: 'POST', headers: anthropicHeaders(), body: JSON.stringify({ ...body, stream: true }) });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events = parseSse(await res.text()).map((e) => {
    const data = JSON.parse(e.data) as Json;
    expect(data.type).toBe(e.event);
    return data;
  });
  const text = events
    .filter((e) => e.type === 'content_block_delta')
    .map((e) => String(e.delta.text ?? ''))
    .join('');
  return { modelId: res.headers.get('x-litellm-model-id'), events, text };
}
