/**
 * LiteLLM's add_function_to_prompt (`litellm_settings.add_function_to_prompt: true`, or `--add_function_to_prompt`):
 * a provider without tools — here Replicate, a flat-prompt API that refuses `tools` with a 400 otherwise — gets the
 * function definitions written into its system prompt, and no tool fields. Asserted on the exact input the
 * Replicate mock received. A provider that takes tools still gets them as tools.
 */
import { describe, expect, it } from 'vitest';
import type { MockProviders, RecordedRequest } from './mock-providers/index.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';

let mock: MockProviders;
let gw: TestGateway;

const replicate = (mockUrl: string) => `api_base: "${mockUrl}/replicate/v1", api_key: r8-secret, replicate_poll_interval: 0.001`;
const config = (mockUrl: string) => `
model_list:
  - model_name: llama3
    litellm_params: { model: replicate/meta/llama-3-70b-instruct, ${replicate(mockUrl)} }
  - model_name: templated
    litellm_params:
      model: replicate/acme/base-model
      api_base: "${mockUrl}/replicate/v1"
      api_key: r8-secret
      replicate_poll_interval: 0.001
      roles:
        system: { pre_message: "<sys>", post_message: "</sys>" }
        user: { pre_message: "<user>", post_message: "</user>" }
      final_prompt_value: "<bot>"
  - model_name: gpt
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-openai }
litellm_settings:
  add_function_to_prompt: true
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, {}, (started) => {
  ({ mock, gw } = started);
});

const WEATHER = { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } };
const tools = [{ type: 'function' as const, function: WEATHER }];
const FUNCTIONS_TEXT =
  'You can call these functions. To call one, answer with only a JSON object ' +
  '{"name": "<function name>", "arguments": {<argument name>: <value>, …}} and nothing else.\n' +
  `Functions:\n${JSON.stringify(WEATHER)}`;

const predictions = (): RecordedRequest[] => mock.requests.filter((r) => /\/predictions$/.test(r.path));
const inputOf = (request: RecordedRequest | undefined) => (request?.body as { input?: Record<string, unknown> } | undefined)?.input;

describe('add_function_to_prompt', () => {
  it('Replicate: the functions are appended to the system prompt, tools and tool_choice are not sent, the model answers', async () => {
    const answer = await gw.client('sk-1234').chat.completions.create({
      model: 'llama3',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'weather in Oslo?' },
      ],
      tools,
      tool_choice: 'auto',
    });
    expect(answer.choices[0]?.message.content).toBe('echo: weather in Oslo?');
    expect(predictions()).toHaveLength(1);
    expect(inputOf(predictions()[0])).toEqual({ prompt: 'weather in Oslo?', system_prompt: `Be brief.\n\n${FUNCTIONS_TEXT}` });
  });

  it('a template without a system message gets one, first; a forced function is said in words', async () => {
    await gw.client('sk-1234').chat.completions.create({
      model: 'templated',
      messages: [{ role: 'user', content: 'weather in Oslo?' }],
      tools,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const forced = FUNCTIONS_TEXT.replace('\nFunctions:', '\nYou must call the function `get_weather`.\nFunctions:');
    expect(inputOf(predictions()[0])).toEqual({ prompt: `<sys>${forced}</sys><user>weather in Oslo?</user><bot>` });
  });

  it('the older `functions` field is folded the same way', async () => {
    await gw.client('sk-1234').chat.completions.create({
      model: 'llama3',
      messages: [{ role: 'user', content: 'weather in Oslo?' }],
      functions: [WEATHER],
    });
    expect(inputOf(predictions()[0])).toEqual({ prompt: 'weather in Oslo?', system_prompt: FUNCTIONS_TEXT });
  });

  it('a provider that takes tools still gets them as tools', async () => {
    const answer = await gw.client('sk-1234').chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'weather in Oslo?' }], tools });
    expect(answer.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: 'get_weather' } });
    const [sent] = mock.requests;
    expect(sent?.body).toMatchObject({ tools, messages: [{ role: 'user', content: 'weather in Oslo?' }] });
  });
});
