import { describe, expect, it } from 'vitest';
import { emptyConfig, type GatewayConfig, type LitellmParams, type ModelEntry } from '../core/config-types.ts';
import { loadPriceTable } from '../prices/price-table.ts';
import { AZURE_DEFAULT_API_VERSION } from '../providers/azure/index.ts';
import { thrownBy } from '../test-support/fixtures.ts';
import { DEFAULT_REQUEST_TIMEOUT_S, DeploymentError, buildDeployment, buildDeployments } from './deployments.ts';

const prices = loadPriceTable();
const deploymentError = (fn: () => unknown) => thrownBy(fn, DeploymentError);

function configWith(...params: LitellmParams[]): GatewayConfig {
  const config = emptyConfig();
  config.model_list = params.map((p, i) => ({ model_name: `m${i}`, litellm_params: p }));
  return config;
}

function build(params: LitellmParams, env: Record<string, string | undefined> = {}, config: GatewayConfig = emptyConfig()) {
  const entry: ModelEntry = { model_name: 'my-model', litellm_params: params };
  return buildDeployment(entry, 0, config, env, prices);
}

describe('buildDeployment: providers and URLs', () => {
  it('openai/ → OpenAI with the prefix removed', () => {
    const d = build({ model: 'openai/gpt-4o', api_key: 'sk-test' });
    expect(d).toMatchObject({ modelName: 'my-model', provider: 'openai', upstreamModel: 'gpt-4o', apiBase: 'https://api.openai.com/v1', apiKey: 'sk-test' });
  });

  it('keeps the rest of the name after the first slash', () => {
    expect(build({ model: 'openai/ft:gpt-4o/org/x' }).upstreamModel).toBe('ft:gpt-4o/org/x');
  });

  it('api_base overrides the default and loses its trailing slash', () => {
    expect(build({ model: 'openai/gpt-4o', api_base: 'https://proxy.example.com/v1/' }).apiBase).toBe('https://proxy.example.com/v1');
    expect(build({ model: 'openai/gpt-4o', base_url: 'https://other.example.com/v1' }).apiBase).toBe('https://other.example.com/v1');
  });

  it("groq/ → Groq's OpenAI-compatible URL", () => {
    expect(build({ model: 'groq/llama-3.3-70b-versatile' })).toMatchObject({
      provider: 'groq',
      upstreamModel: 'llama-3.3-70b-versatile',
      apiBase: 'https://api.groq.com/openai/v1',
    });
  });

  it("anthropic/ → Anthropic's base URL without /v1", () => {
    expect(build({ model: 'anthropic/claude-sonnet-4-5' })).toMatchObject({
      provider: 'anthropic',
      upstreamModel: 'claude-sonnet-4-5',
      apiBase: 'https://api.anthropic.com',
    });
  });

  it('ollama/ → localhost:11434 with /v1 appended', () => {
    expect(build({ model: 'ollama/llama3.1' }).apiBase).toBe('http://localhost:11434/v1');
    expect(build({ model: 'ollama/llama3.1', api_base: 'http://gpu-box:11434/' }).apiBase).toBe('http://gpu-box:11434/v1');
    expect(build({ model: 'ollama/llama3.1', api_base: 'http://gpu-box:11434/v1' }).apiBase).toBe('http://gpu-box:11434/v1');
  });

  it('hosted_vllm/ needs api_base, and /v1 is appended', () => {
    expect(build({ model: 'hosted_vllm/qwen', api_base: 'http://vllm:8000' })).toMatchObject({
      provider: 'hosted_vllm',
      upstreamModel: 'qwen',
      apiBase: 'http://vllm:8000/v1',
    });
    const err = deploymentError(() => build({ model: 'hosted_vllm/qwen' }));
    expect(err.path).toBe('model_list[0].litellm_params.api_base');
    expect(err.message).toMatch(/^model_list\[0\]\.litellm_params\.api_base: .*self-hosted/);
  });

  it('mock/ answers in-process', () => {
    expect(build({ model: 'mock/echo' })).toMatchObject({ provider: 'mock', upstreamModel: 'echo', apiBase: 'mock://local' });
  });

  it('resolves bare names through the price table', () => {
    expect(build({ model: 'gpt-4o' })).toMatchObject({ provider: 'openai', upstreamModel: 'gpt-4o', apiBase: 'https://api.openai.com/v1' });
    expect(build({ model: 'claude-sonnet-4-5' })).toMatchObject({ provider: 'anthropic', upstreamModel: 'claude-sonnet-4-5' });
    // text-completion-openai is OpenAI's wire protocol too.
    expect(build({ model: 'gpt-3.5-turbo-instruct' }).provider).toBe('openai');
  });

  it("a descriptor serves every prefix it lists: LiteLLM's text-completion-openai/ is OpenAI", () => {
    expect(build({ model: 'text-completion-openai/gpt-3.5-turbo-instruct' })).toMatchObject({
      provider: 'openai',
      upstreamModel: 'gpt-3.5-turbo-instruct',
      apiBase: 'https://api.openai.com/v1',
    });
  });

  it('a bare name whose price-table provider no descriptor serves is not supported', () => {
    const volcengine = [...prices].find(([name, entry]) => entry.litellm_provider === 'volcengine' && !name.includes('/'))![0];
    const err = deploymentError(() => build({ model: volcengine }));
    expect(err.path).toBe('model_list[0].litellm_params.model');
    expect(err.message).toBe('model_list[0].litellm_params.model: provider `volcengine` is not supported.');
  });

  it('custom_llm_provider picks the provider of an unprefixed name', () => {
    expect(build({ model: 'my-finetune', custom_llm_provider: 'groq' })).toMatchObject({ provider: 'groq', upstreamModel: 'my-finetune' });
    expect(deploymentError(() => build({ model: 'x', custom_llm_provider: 'nosuch' })).message).toBe(
      'model_list[0].litellm_params.model: provider `nosuch` is not supported.',
    );
  });

  it('rejects an unknown prefix, listing the supported ones', () => {
    const err = deploymentError(() => build({ model: 'nosuch/model-x' }));
    expect(err.path).toBe('model_list[0].litellm_params.model');
    expect(err.message).toContain('`nosuch` is not supported');
    expect(err.message).toContain('openai');
    expect(err.message).toContain('anthropic');
  });

  it('rejects a bare name the price table does not know', () => {
    const err = deploymentError(() => build({ model: 'my-private-model' }));
    expect(err.path).toBe('model_list[0].litellm_params.model');
    expect(err.message).toContain('openai/my-private-model');
  });
});

describe('buildDeployment: keys and environment', () => {
  it('falls back to OPENAI_API_KEY and OPENAI_API_BASE', () => {
    const d = build({ model: 'openai/gpt-4o' }, { OPENAI_API_KEY: 'sk-env', OPENAI_API_BASE: 'https://corp-proxy/v1/' });
    expect(d.apiKey).toBe('sk-env');
    expect(d.apiBase).toBe('https://corp-proxy/v1');
  });

  it('prefers api_key over the environment and ignores empty variables', () => {
    expect(build({ model: 'openai/gpt-4o', api_key: 'sk-config' }, { OPENAI_API_KEY: 'sk-env' }).apiKey).toBe('sk-config');
    expect(build({ model: 'openai/gpt-4o' }, { OPENAI_API_KEY: '' }).apiKey).toBeUndefined();
  });

  it("reads each family member's own key variable", () => {
    expect(build({ model: 'groq/llama3' }, { GROQ_API_KEY: 'gsk-1', OPENAI_API_KEY: 'sk-no' }).apiKey).toBe('gsk-1');
    expect(build({ model: 'anthropic/claude-sonnet-4-5' }, { ANTHROPIC_API_KEY: 'sk-ant-1' }).apiKey).toBe('sk-ant-1');
    expect(build({ model: 'hosted_vllm/qwen' }, { HOSTED_VLLM_API_BASE: 'http://vllm:8000' }).apiBase).toBe('http://vllm:8000/v1');
  });

  it('Azure: AZURE_API_BASE, AZURE_API_KEY and AZURE_API_VERSION from the environment', () => {
    const d = build(
      { model: 'azure/gpt-4o-eu' },
      { AZURE_API_BASE: 'https://res.openai.azure.com/', AZURE_API_KEY: 'az-key', AZURE_API_VERSION: '2025-01-01-preview' },
    );
    expect(d).toMatchObject({
      provider: 'azure',
      upstreamModel: 'gpt-4o-eu',
      apiBase: 'https://res.openai.azure.com',
      apiKey: 'az-key',
      apiVersion: '2025-01-01-preview',
    });
  });

  it('Azure: api_version defaults and a pasted `/openai` suffix is trimmed', () => {
    const d = build({ model: 'azure/gpt-4o-eu', api_base: 'https://res.openai.azure.com/openai/', api_key: 'k' });
    expect(d.apiBase).toBe('https://res.openai.azure.com');
    expect(d.apiVersion).toBe(AZURE_DEFAULT_API_VERSION);
  });

  it('Azure: an azure_ad_token replaces the environment key', () => {
    const d = build({ model: 'azure/gpt-4o', api_base: 'https://res.openai.azure.com', azure_ad_token: 'eyJ-token' }, { AZURE_API_KEY: 'az-key' });
    expect(d.apiKey).toBeUndefined();
  });

  it('Azure: without any base URL the error names api_base', () => {
    const err = deploymentError(() => build({ model: 'azure/gpt-4o' }));
    expect(err.path).toBe('model_list[0].litellm_params.api_base');
  });
});

describe('buildDeployment: timeouts, defaults and ids', () => {
  it('defaults to 600 s for both timeouts', () => {
    const d = build({ model: 'openai/gpt-4o' });
    expect(DEFAULT_REQUEST_TIMEOUT_S).toBe(600);
    expect(d.timeoutMs).toBe(600_000);
    expect(d.streamTimeoutMs).toBe(600_000);
  });

  it('uses litellm_settings.request_timeout and stream_timeout, unless the deployment sets its own', () => {
    const config = emptyConfig();
    config.litellm_settings.request_timeout = 30;
    config.litellm_settings.stream_timeout = 5;
    expect(build({ model: 'openai/gpt-4o' }, {}, config)).toMatchObject({ timeoutMs: 30_000, streamTimeoutMs: 5_000 });
    expect(build({ model: 'openai/gpt-4o', timeout: 12, stream_timeout: 2 }, {}, config)).toMatchObject({ timeoutMs: 12_000, streamTimeoutMs: 2_000 });
  });

  it('a stream without its own first-byte timeout waits as long as the whole call', () => {
    expect(build({ model: 'openai/gpt-4o', timeout: 45 })).toMatchObject({ timeoutMs: 45_000, streamTimeoutMs: 45_000 });
  });

  it('sends the request parameters the provider accepts as defaults, and extra_body as it is', () => {
    const d = build({
      model: 'openai/gpt-4o',
      api_key: 'sk-secret',
      api_base: 'https://x/v1',
      organization: 'org-1',
      rpm: 10,
      timeout: 5,
      mock_response: 'no',
      temperature: 0.2,
      max_tokens: 256,
      extra_body: { reasoning_effort: 'low', top_k: 40 },
    });
    expect(d.defaults).toEqual({ temperature: 0.2, max_tokens: 256, reasoning_effort: 'low', top_k: 40 });
  });

  it('each provider has its own accepted parameters', () => {
    expect(build({ model: 'hosted_vllm/qwen', api_base: 'http://vllm:8000', top_k: 40, guided_json: { type: 'object' } }).defaults).toEqual({
      top_k: 40,
      guided_json: { type: 'object' },
    });
    expect(build({ model: 'anthropic/claude-sonnet-4-5', thinking: { type: 'enabled', budget_tokens: 1024 }, top_k: 5 }).defaults).toEqual({
      thinking: { type: 'enabled', budget_tokens: 1024 },
      top_k: 5,
    });
  });
  it('merges headers and extra_headers', () => {
    const d = build({ model: 'openai/gpt-4o', headers: { 'X-Team': 'a', 'X-Both': 'headers' }, extra_headers: { 'X-Both': 'extra' } });
    expect(d.headers).toEqual({ 'X-Team': 'a', 'X-Both': 'extra' });
  });

  it('drop_params: per deployment, else litellm_settings, else off', () => {
    const config = emptyConfig();
    expect(build({ model: 'openai/gpt-4o' }).dropParams).toBe(false);
    config.litellm_settings.drop_params = true;
    expect(build({ model: 'openai/gpt-4o' }, {}, config).dropParams).toBe(true);
    expect(build({ model: 'openai/gpt-4o', drop_params: false }, {}, config).dropParams).toBe(false);
  });

  it('uses model_info.id as the id, else a stable hash of the entry', () => {
    const config = emptyConfig();
    const entry: ModelEntry = { model_name: 'x', litellm_params: { model: 'openai/gpt-4o' }, model_info: { id: 'my-id' } };
    expect(buildDeployment(entry, 0, config, {}, prices).id).toBe('my-id');
    const a = build({ model: 'openai/gpt-4o' }).id;
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(build({ model: 'openai/gpt-4o' }).id).toBe(a);
    expect(build({ model: 'openai/gpt-4o-mini' }).id).not.toBe(a);
  });
});

describe('buildDeployment: litellm_params that are not request parameters', () => {
  function warned(params: LitellmParams) {
    const warnings: string[] = [];
    const entry: ModelEntry = { model_name: 'my-model', litellm_params: params };
    const d = buildDeployment(entry, 3, emptyConfig(), {}, prices, (w) => warnings.push(w));
    return { d, warnings };
  }

  it('a retired prefix (palm/) loads, served by its successor, with a warning naming the path', () => {
    const { d, warnings } = warned({ model: 'palm/chat-bison', api_key: 'k' });
    expect(d).toMatchObject({ provider: 'gemini', upstreamModel: 'chat-bison' });
    expect(warnings).toEqual([expect.stringMatching(/^model_list\[3\]\.litellm_params\.model: PaLM is retired/)]);
    expect(warned({ model: 'gemini/gemini-2.5-flash', api_key: 'k' }).warnings).toEqual([]);
  });

  it("never sends another provider's credentials or an unknown key, and warns naming each path", () => {
    const { d, warnings } = warned({
      model: 'openai/gpt-4o',
      aws_secret_access_key: 'aws-SECRET-x',
      vertex_credentials: 'vertex-SECRET-y',
      some_unknown: 'z',
      temperature: 0.1,
    });
    expect(d.defaults).toEqual({ temperature: 0.1 });
    expect(warnings.map((w) => w.slice(0, w.indexOf(':')))).toEqual([
      'model_list[3].litellm_params.aws_secret_access_key',
      'model_list[3].litellm_params.vertex_credentials',
      'model_list[3].litellm_params.some_unknown',
    ]);
    expect(warnings[0]).toBe(
      'model_list[3].litellm_params.aws_secret_access_key: `aws_secret_access_key` is neither a request parameter OpenAI takes nor one of its settings, ' +
        'so it is not sent upstream; to send it in the request body as it is, put it under extra_body',
    );
    // A warning names keys, never values: they may be secrets.
    expect(warnings.join('\n')).not.toMatch(/SECRET/);
  });

  it('a parameter one provider takes is ignored, with a warning, for a provider that does not', () => {
    expect(warned({ model: 'openai/gpt-4o', top_k: 40 })).toMatchObject({
      d: { defaults: {} },
      warnings: [expect.stringMatching(/^model_list\[3\]\.litellm_params\.top_k: /)],
    });
    // Anthropic cannot take `seed` (a request carrying one is a 400): as a default it is left out.
    expect(warned({ model: 'anthropic/claude-sonnet-4-5', seed: 7 })).toMatchObject({
      d: { defaults: {} },
      warnings: [expect.stringContaining('`seed` is neither a request parameter Anthropic takes')],
    });
  });

  it("the provider's own settings and the gateway's are used, never sent and never warned about", () => {
    const azure = warned({
      model: 'azure/gpt-4o',
      api_base: 'https://res.openai.azure.com',
      api_version: '2024-06-01',
      azure_ad_token: 'eyJ-token',
      rpm: 5,
      tags: ['a'],
      headers: { 'X-A': '1' },
    });
    expect(azure).toEqual({ d: expect.objectContaining({ defaults: {} }), warnings: [] });
    expect(warned({ model: 'mock/echo', mock_latency: 20, mock_response: 'hi' })).toEqual({ d: expect.objectContaining({ defaults: {} }), warnings: [] });
    // Settings belong to their provider: Azure's token means nothing to OpenAI.
    expect(warned({ model: 'openai/gpt-4o', azure_ad_token: 'eyJ-token' }).warnings).toEqual([
      expect.stringMatching(/^model_list\[3\]\.litellm_params\.azure_ad_token: /),
    ]);
  });

  it('extra_body is sent as it is, whatever the provider takes', () => {
    expect(warned({ model: 'openai/gpt-4o', extra_body: { some_unknown: 'z' } })).toEqual({
      d: expect.objectContaining({ defaults: { some_unknown: 'z' } }),
      warnings: [],
    });
  });

  it("buildDeployments passes every entry's warnings on", () => {
    const warnings: string[] = [];
    buildDeployments(configWith({ model: 'mock/echo', foo: 1 }, { model: 'openai/gpt-4o', bar: 2 }), {}, prices, (w) => warnings.push(w));
    expect(warnings.map((w) => w.slice(0, w.indexOf(':')))).toEqual(['model_list[0].litellm_params.foo', 'model_list[1].litellm_params.bar']);
  });
});

describe('buildDeployments', () => {
  it('builds every entry in order', () => {
    const list = buildDeployments(configWith({ model: 'mock/echo' }, { model: 'openai/gpt-4o' }), {}, prices);
    expect(list.map((d) => [d.modelName, d.provider])).toEqual([
      ['m0', 'mock'],
      ['m1', 'openai'],
    ]);
  });

  it('reports every broken entry at once, each with its path', () => {
    const config = configWith({ model: 'mock/echo' }, { model: 'nosuch/x' }, { model: 'hosted_vllm/qwen' });
    const err = deploymentError(() => buildDeployments(config, {}, prices));
    expect(err.path).toBe('model_list');
    expect(err.message).toContain('model_list[1].litellm_params.model');
    expect(err.message).toContain('model_list[2].litellm_params.api_base');
    expect(err.message).not.toContain('model_list[0]');
  });
});
