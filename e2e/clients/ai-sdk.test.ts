/**
 * The Vercel AI SDK (`ai` + `@ai-sdk/openai`, pinned in e2e/clients/package.json) against the gateway with
 * `createOpenAI({ baseURL: <gateway>/v1, apiKey })`, as the README shows. Its default provider call `openai(id)`
 * speaks the Responses API (POST /v1/responses) — served natively by an openai/ deployment and translated for an
 * anthropic/ one; `openai.chat(id)` speaks Chat Completions. Text, streams and a tool loop (the mock calls the
 * tool once with `{"echo": <prompt>}`, then echoes the tool's output), each billed in a spend row.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startGatewayOnMocks, type GatewayOnMocks } from '../support/gateway.ts';
import { type AiModel, type AiSdk, type OpenAIProvider, loadAiSdk } from './ai-sdk.ts';
import { billedBy, describeClient, expectPricedRow } from './support.ts';

const MASTER_KEY = 'sk-gateway-master-ai';
const PRICE = 'model_info: { input_cost_per_token: 0.000003, output_cost_per_token: 0.000015 }';

describeClient('AI SDK', () => {
  let running: GatewayOnMocks | undefined;
  let ai: AiSdk;
  let openai: OpenAIProvider;
  beforeAll(async () => {
    const sdk = await loadAiSdk();
    ai = sdk.ai;
    running = await startGatewayOnMocks(
      (mockUrl) => `
model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-openai-upstream }
  - model_name: claude-sonnet-4-5
    litellm_params: { model: anthropic/claude-sonnet-4-5, api_base: "${mockUrl}", api_key: sk-ant-upstream }
    ${PRICE}
general_settings:
  master_key: ${MASTER_KEY}
`,
    );
    openai = sdk.openai.createOpenAI({ baseURL: `${running.gw.url}/v1`, apiKey: MASTER_KEY });
  });
  afterAll(() => running?.close());
  beforeEach(() => running?.mock.reset());

  const billed = <T>(action: () => Promise<T>, count = 1) => billedBy(running!.gw.url, MASTER_KEY, action, count);
  const upstreamPaths = () => running!.mock.requests.map((r) => r.path);

  /** A tool the mock will call with `{"echo": <prompt>}`; its output is what the mock echoes next. */
  const weatherTools = () => ({
    weather: ai.tool({
      description: 'The weather in a city',
      inputSchema: ai.jsonSchema({ type: 'object', properties: { echo: { type: 'string' } }, required: ['echo'] }),
      execute: async () => 'sunny and 21 degrees',
    }),
  });

  async function expectText(model: AiModel, endpoint: string, modelGroup: string) {
    const prompt = `Hello from the AI SDK via ${endpoint}`;
    const { result, rows } = await billed(() => ai.generateText({ model, prompt, maxRetries: 0 }));
    expect(result.text).toBe(`echo: ${prompt}`);
    expect(result.finishReason).toBe('stop');
    expect(rows).toHaveLength(1);
    expectPricedRow(rows[0], endpoint, modelGroup);
    expect(result.usage).toMatchObject({ inputTokens: rows[0]!.prompt_tokens, outputTokens: rows[0]!.completion_tokens });
  }

  async function expectStream(model: AiModel, endpoint: string, modelGroup = 'gpt-4o') {
    const prompt = `Stream from the AI SDK via ${endpoint}`;
    const { result, rows } = await billed(async () => {
      const stream = ai.streamText({ model, prompt, maxRetries: 0 });
      const pieces: string[] = [];
      for await (const piece of stream.textStream) pieces.push(piece);
      return { pieces, usage: await stream.usage };
    });
    expect(result.pieces.length).toBeGreaterThan(1);
    expect(result.pieces.join('')).toBe(`echo: ${prompt}`);
    expectPricedRow(rows[0], endpoint, modelGroup);
    expect(rows[0]!.metadata.stream).toBe(true);
    expect(result.usage).toMatchObject({ inputTokens: rows[0]!.prompt_tokens, outputTokens: rows[0]!.completion_tokens });
  }

  async function expectToolLoop(model: AiModel, endpoint: string) {
    const prompt = 'What is the weather in Paris?';
    const { result, rows } = await billed(() => ai.generateText({ model, prompt, tools: weatherTools(), stopWhen: ai.stepCountIs(3), maxRetries: 0 }), 2);
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]!.toolCalls).toMatchObject([{ toolName: 'weather', input: { echo: prompt } }]);
    expect(result.text).toBe('echo: sunny and 21 degrees');
    expect(rows).toHaveLength(2);
    for (const row of rows) expectPricedRow(row, endpoint, 'gpt-4o');
  }

  it('openai(id), the default provider, answers through /v1/responses natively on an openai/ deployment', async () => {
    await expectText(openai('gpt-4o'), 'responses', 'gpt-4o');
    expect(upstreamPaths()).toEqual(['/v1/responses']);
  });

  it('openai(id) streams through /v1/responses', async () => {
    await expectStream(openai('gpt-4o'), 'responses');
    expect(running!.mock.requests[0]?.body).toMatchObject({ stream: true });
  });

  it('openai(id) runs a tool loop through /v1/responses', async () => {
    await expectToolLoop(openai('gpt-4o'), 'responses');
  });

  it('openai(id) on an anthropic/ deployment is translated to /v1/messages and back, whole and streamed', async () => {
    await expectText(openai('claude-sonnet-4-5'), 'responses', 'claude-sonnet-4-5');
    await expectStream(openai('claude-sonnet-4-5'), 'responses', 'claude-sonnet-4-5');
    expect(upstreamPaths()).toEqual(['/v1/messages', '/v1/messages']);
  });

  it('openai.chat(id) answers and streams through /v1/chat/completions', async () => {
    await expectText(openai.chat('gpt-4o'), 'chat', 'gpt-4o');
    await expectStream(openai.chat('gpt-4o'), 'chat');
    expect(upstreamPaths()).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
  });

  it('openai.chat(id) runs a tool loop through /v1/chat/completions', async () => {
    await expectToolLoop(openai.chat('gpt-4o'), 'chat');
  });
});
