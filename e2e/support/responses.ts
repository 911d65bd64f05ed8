/**
 * Shared by the Responses API e2e files: a gateway on the mock providers with an openai/ deployment (served
 * natively), an azure/ one, an anthropic/ one (translated through chat), erroring ones behind fallbacks and
 * stream-breaking ones; and helpers that read the SDK's answers and the mock's requests.
 */
import type OpenAI from 'openai';
import { expect } from 'vitest';
import type { MockProviders, RecordedRequest } from '../mock-providers/index.ts';
import type { Admin } from './admin.ts';
import type { TestGateway } from './gateway.ts';
import { withGatewayOnMocks } from './gateway-per-file.ts';
import { expectValid } from './openapi.ts';

export const responsesConfig = (mockUrl: string) => `
model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-openai-up }
    model_info: { id: openai-gpt-4o }
  - model_name: azure-4o
    litellm_params: { model: azure/my-4o-deployment, api_base: "${mockUrl}", api_key: az-up, api_version: "2024-10-21" }
  - model_name: claude-sonnet-4-5
    litellm_params: { model: anthropic/claude-sonnet-4-5, api_base: "${mockUrl}", api_key: sk-ant-up }
  - model_name: flaky
    litellm_params: { model: openai/gpt-4o-error-500, api_base: "${mockUrl}/v1", api_key: sk-openai-up }
    model_info: { id: flaky-openai }
  - model_name: flaky-claude
    litellm_params: { model: anthropic/claude-error-500, api_base: "${mockUrl}", api_key: sk-ant-up }
  - model_name: broken-gpt-4o
    litellm_params: { model: openai/gpt-4o-stream-break, api_base: "${mockUrl}/v1", api_key: sk-openai-up }
  - model_name: broken-claude-sonnet-4-5
    litellm_params: { model: anthropic/claude-stream-break, api_base: "${mockUrl}", api_key: sk-ant-up }
  - model_name: slow-stream
    litellm_params: { model: openai/gpt-4o-chunk-gap-300, api_base: "${mockUrl}/v1", api_key: sk-openai-up }
  - model_name: leaky
    litellm_params: { model: openai/gpt-echo-key-mid-stream, api_base: "${mockUrl}/v1", api_key: sk-openai-up-secret-1234 }
router_settings:
  num_retries: 0
  fallbacks: [{ "flaky": ["claude-sonnet-4-5"] }, { "flaky-claude": ["gpt-4o"] }]
general_settings:
  master_key: sk-1234
`;

/** The running gateway on `responsesConfig`, with its mocks, an SDK client and the admin API, both with the master key. */
export interface ResponsesGateway {
  mock: MockProviders;
  gw: TestGateway;
  client: OpenAI;
  api: Admin;
}

/** A test file's gateway on `responsesConfig` (withGatewayOnMocks), handed to `started` with an SDK client too. */
export function withResponsesGateway(started: (gateway: ResponsesGateway) => void): void {
  withGatewayOnMocks(responsesConfig, {}, (gateway) => started({ ...gateway, client: gateway.gw.client() }));
}

export const weather: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};

/** What the upstream was asked, for the one request of this test to `path`. */
export function upstreamBody(mock: MockProviders, path: string): Record<string, unknown> {
  const found = mock.requests.filter((r: RecordedRequest) => r.path === path);
  expect(found).toHaveLength(1);
  return found[0]!.body as Record<string, unknown>;
}

export /** The Response's `store` (the SDK's type leaves it out). */
const storeOf = (res: OpenAI.Responses.Response) => (res as unknown as { store?: unknown }).store;

/** The models every test runs on: native, and through chat (with the path the upstream is called on). */
export const RESPONSES_MODELS = [
  ['gpt-4o', 'native', '/v1/responses'],
  ['claude-sonnet-4-5', 'via chat', '/v1/messages'],
] as const;

export const TEXT_EVENTS = ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added'];
export const TEXT_END = ['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed'];

export async function drain(stream: AsyncIterable<OpenAI.Responses.ResponseStreamEvent>): Promise<OpenAI.Responses.ResponseStreamEvent[]> {
  const events: OpenAI.Responses.ResponseStreamEvent[] = [];
  for await (const event of stream) {
    expectValid('ResponseStreamEvent', event);
    events.push(event);
  }
  expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  return events;
}

export function completedOf(events: OpenAI.Responses.ResponseStreamEvent[]): OpenAI.Responses.Response {
  const last = events.at(-1);
  if (last?.type !== 'response.completed') throw new Error(`the stream ended with ${last?.type}`);
  expectValid('Response', last.response);
  return last.response;
}

/** The message text of a Response (the SDK adds `output_text` only to responses it parsed whole). */
export function textOf(response: OpenAI.Responses.Response): string {
  return response.output
    .flatMap((item) => (item.type === 'message' ? item.content.map((part) => (part.type === 'output_text' ? part.text : '')) : []))
    .join('');
}
