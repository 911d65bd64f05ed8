/** GET /admin/providers through Fastify inject: the descriptors' public view, never a secret. */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyConfig } from '../../core/config-types.ts';
import type { ProviderInfo, ProvidersAnswer } from '../../core/provider-info.ts';
import { createGateway, type Gateway } from '../../gateway.ts';
import { createLogger } from '../../observe/logger.ts';
import { providerRoutes } from './admin-providers.ts';

const UPSTREAM_KEY = 'sk-proj-ProvidersRoute0123456789abcdef';
const { logger } = createLogger({ level: 'silent', destination: null });

let gateway: Gateway;
let app: FastifyInstance;
let answer: ProvidersAnswer;

beforeAll(async () => {
  const config = emptyConfig();
  // A configured key and environment: the answer must not carry either.
  config.model_list.push({ model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o', api_key: UPSTREAM_KEY } });
  gateway = await createGateway({ config, logger, env: { ANTHROPIC_API_KEY: 'sk-ant-FromTheEnvironment0123' } });
  app = Fastify();
  await providerRoutes(app, gateway.runtime);
  const res = await app.inject({ method: 'GET', url: '/admin/providers' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  answer = res.json();
});

afterAll(async () => {
  await app.close();
  await gateway.close();
});

const provider = (id: string): ProviderInfo => {
  const found = answer.data.find((p) => p.id === id);
  if (!found) throw new Error(`no provider ${id} in the answer`);
  return found;
};

describe('GET /admin/providers', () => {
  it('lists every provider once, the common ones first', () => {
    const ids = answer.data.map((p) => p.id);
    expect(ids.slice(0, 6)).toEqual(['openai', 'azure', 'anthropic', 'ollama', 'hosted_vllm', 'mock']);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([
      'ai21',
      'anthropic',
      'azure',
      'bedrock',
      'cohere',
      'deepinfra',
      'deepseek',
      'fireworks_ai',
      'gemini',
      'groq',
      'hosted_vllm',
      'huggingface',
      'lm_studio',
      'mistral',
      'mock',
      'ollama',
      'openai',
      'openrouter',
      'perplexity',
      'replicate',
      'sagemaker',
      'sagemaker_chat',
      'together_ai',
      'vertex_ai',
      'vllm',
      'xai',
      'xinference',
    ]);
  });

  it('describes OpenAI: prefixes, endpoints, defaults, environment variable names, auth, streaming, prices, form', () => {
    const openai = provider('openai');
    expect(openai).toMatchObject({
      label: 'OpenAI',
      prefixes: ['openai', 'text-completion-openai'],
      endpoints: ['chat', 'completions', 'embeddings', 'responses'],
      default_api_base: 'https://api.openai.com/v1',
      env: { api_base: ['OPENAI_API_BASE', 'OPENAI_BASE_URL'], api_key: ['OPENAI_API_KEY'], api_version: [] },
      default_api_version: null,
      auth: { kind: 'bearer' },
      stream_framing: 'sse',
      price_table_providers: ['openai', 'text-completion-openai'],
      settings: ['api_base', 'base_url', 'api_key', 'api_version', 'organization'],
      form: {
        model_placeholder: 'gpt-4o-mini',
        api_base: 'optional',
        api_base_placeholder: 'https://api.openai.com/v1',
        api_key: 'required',
        api_key_env: 'OPENAI_API_KEY',
        api_version: 'hidden',
        api_version_placeholder: null,
        extra_placeholder: '{"temperature": 0.2}',
      },
    });
    expect(openai.request_params).toEqual(expect.arrayContaining(['temperature', 'max_tokens', 'reasoning_effort', 'dimensions']));
    expect(openai.request_params).not.toContain('top_k');
  });

  it('gives each auth kind its header, and the form what each provider needs', () => {
    expect(provider('anthropic').auth).toEqual({ kind: 'header', header: 'x-api-key' });
    expect(provider('azure')).toMatchObject({
      auth: { kind: 'header', header: 'api-key', token_param: 'azure_ad_token' },
      default_api_base: null,
      default_api_version: '2024-10-21',
      env: { api_version: ['AZURE_API_VERSION', 'OPENAI_API_VERSION'] },
      settings: expect.arrayContaining(['azure_ad_token']),
      form: {
        api_base: 'required',
        api_base_placeholder: 'https://my-resource.openai.azure.com',
        api_version: 'optional',
        api_version_placeholder: '2024-10-21',
      },
    });
    expect(provider('anthropic')).toMatchObject({ endpoints: ['chat', 'completions', 'messages'] });
    expect(provider('azure')?.endpoints).toEqual(['chat', 'completions', 'embeddings', 'responses']);
    expect(provider('groq')?.endpoints).toEqual(['chat', 'completions', 'embeddings']);
    expect(provider('hosted_vllm').form).toMatchObject({
      api_base: 'required',
      api_base_placeholder: 'http://localhost:8000/v1',
      api_key: 'optional',
      api_key_env: 'HOSTED_VLLM_API_KEY',
    });
    expect(provider('ollama').form).toMatchObject({
      api_base: 'optional',
      api_base_placeholder: 'http://localhost:11434',
      api_key: 'optional',
      api_key_env: null,
    });
    expect(provider('mock')).toMatchObject({
      auth: { kind: 'none' },
      settings: ['mock_latency'],
      form: { api_base: 'hidden', api_base_placeholder: null, api_key: 'hidden', api_key_env: null, api_version: 'hidden' },
    });
  });

  it('never carries a configured key or an environment value', () => {
    const text = JSON.stringify(answer);
    expect(text).not.toContain(UPSTREAM_KEY);
    expect(text).not.toContain('FromTheEnvironment');
    expect(text).toContain('ANTHROPIC_API_KEY');
  });
});
