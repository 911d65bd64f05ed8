/**
 * LangChain's `ChatOpenAI` (`@langchain/openai`, pinned in e2e/clients/package.json) with
 * `configuration: { baseURL: <gateway>/v1 }`: Chat Completions by default, the Responses API with
 * `useResponsesApi: true`. Text, a stream and a tool call each way, each billed with the tokens LangChain reports.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startGatewayOnMocks, type GatewayOnMocks } from '../support/gateway.ts';
import { type LangChainChatModel, type LangChainOpenAI, loadLangChainOpenAI } from './langchain.ts';
import { billedBy, describeClient, expectPricedRow } from './support.ts';

const MASTER_KEY = 'sk-gateway-master-lc';

describeClient('LangChain', () => {
  let running: GatewayOnMocks | undefined;
  let langchain: LangChainOpenAI;
  beforeAll(async () => {
    langchain = await loadLangChainOpenAI();
    running = await startGatewayOnMocks(
      (mockUrl) => `
model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-openai-upstream }
general_settings:
  master_key: ${MASTER_KEY}
`,
    );
  });
  afterAll(() => running?.close());
  beforeEach(() => running?.mock.reset());

  const billed = <T>(action: () => Promise<T>) => billedBy(running!.gw.url, MASTER_KEY, action);
  const chatModel = (useResponsesApi: boolean): LangChainChatModel =>
    new langchain.ChatOpenAI({ model: 'gpt-4o', apiKey: MASTER_KEY, configuration: { baseURL: `${running!.gw.url}/v1` }, useResponsesApi, maxRetries: 0 });

  for (const [useResponsesApi, endpoint, path] of [
    [false, 'chat', '/v1/chat/completions'],
    [true, 'responses', '/v1/responses'],
  ] as const) {
    it(`ChatOpenAI${useResponsesApi ? ' with useResponsesApi' : ''} answers, streams and calls tools through ${path}`, async () => {
      const model = chatModel(useResponsesApi);

      const answer = await billed(() => model.invoke(`Hello from LangChain via ${endpoint}`));
      expect(answer.result.text).toBe(`echo: Hello from LangChain via ${endpoint}`);
      expectPricedRow(answer.rows[0], endpoint, 'gpt-4o');
      expect(answer.result.usage_metadata).toMatchObject({ input_tokens: answer.rows[0]!.prompt_tokens, output_tokens: answer.rows[0]!.completion_tokens });

      const streamed = await billed(async () => {
        const pieces: string[] = [];
        for await (const chunk of await model.stream(`Stream from LangChain via ${endpoint}`)) if (chunk.text) pieces.push(chunk.text);
        return pieces;
      });
      expect(streamed.result.length).toBeGreaterThan(1);
      expect(streamed.result.join('')).toBe(`echo: Stream from LangChain via ${endpoint}`);
      expectPricedRow(streamed.rows[0], endpoint, 'gpt-4o');
      expect(streamed.rows[0]!.metadata.stream).toBe(true);

      const weather = {
        type: 'function',
        function: { name: 'weather', description: 'The weather in a city', parameters: { type: 'object', properties: { echo: { type: 'string' } } } },
      };
      const called = await billed(() => model.bindTools([weather]).invoke('What is the weather in Paris?'));
      expect(called.result.tool_calls).toMatchObject([{ name: 'weather', args: { echo: 'What is the weather in Paris?' } }]);
      expectPricedRow(called.rows[0], endpoint, 'gpt-4o');

      expect(running!.mock.requests.map((r) => r.path)).toEqual([path, path, path]);
    });
  }
});
