/** Gateway answers the Models page tests share. */
import type { ProviderInfo, ProvidersAnswer } from '../../api/providers.ts';
import type { DeploymentHealth, DeploymentHealthAnswer, ModelEntry } from '../../api/types.ts';

export const MOCK_ENTRY: ModelEntry = {
  model_name: 'mock-gpt',
  litellm_params: { model: 'mock/echo' },
  model_info: { id: 'mock-1', db_model: false },
};

export const OPENAI_ENTRY: ModelEntry = {
  model_name: 'gpt-4o',
  litellm_params: {
    model: 'openai/gpt-4o',
    api_key: 'keychain/model-openai-1-api_key',
    rpm: 500,
    tpm: 100000,
    timeout: 30,
    input_cost_per_token: 0.0000025,
    output_cost_per_token: 0.00001,
    temperature: 0.2,
  },
  model_info: { id: 'openai-1', db_model: false },
};

export const AZURE_ENTRY: ModelEntry = {
  model_name: 'gpt-4o',
  litellm_params: { model: 'azure/prod-gpt4o', api_base: 'https://acme.openai.azure.com', api_version: '2024-06-01', api_key: 'sk-…abcd' },
  model_info: { id: 'azure-1', db_model: false },
};

export const BEDROCK_ENTRY: ModelEntry = {
  model_name: 'claude',
  litellm_params: {
    model: 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0',
    aws_region_name: 'eu-west-1',
    aws_access_key_id: 'keychain/model-bedrock-1-aws_access_key_id',
    aws_secret_access_key: 'keychain/model-bedrock-1-aws_secret_access_key',
  },
  model_info: { id: 'bedrock-1', db_model: false },
};

export function health(id: string, model_name: string, model: string, over: Partial<DeploymentHealth> = {}): DeploymentHealth {
  return {
    id,
    model_name,
    model,
    api_base: null,
    state: 'healthy',
    success_rate: 1,
    requests: 10,
    errors: 0,
    latency_p50_ms: 120,
    latency_p95_ms: 300,
    last_error: null,
    cooldown_remaining_s: 0,
    in_flight: 0,
    last_check: null,
    total_requests: 10,
    total_errors: 0,
    ...over,
  };
}

export function healthAnswer(deployments: DeploymentHealth[]): DeploymentHealthAnswer {
  return { window: { seconds: 300, max_calls: 200 }, background_health_checks: { enabled: false, interval_s: 300, last_run_at: null }, deployments };
}

type FormField = ProviderInfo['form']['fields'][number];

function field(param: string, label: string, kind: FormField['kind'], over: Partial<FormField> = {}): FormField {
  return { param, label, need: 'optional', kind, placeholder: null, hint: null, env: [], ...over };
}

/** As the gateway lists them (server/providers/aws/form-fields.ts, vertex_ai/index.ts). */
const AWS_FIELDS: FormField[] = [
  field('aws_region_name', 'AWS region', 'text', { placeholder: 'us-west-2', env: ['AWS_REGION_NAME', 'AWS_REGION', 'AWS_DEFAULT_REGION'] }),
  field('aws_access_key_id', 'AWS access key ID', 'secret', { placeholder: 'AKIA…', env: ['AWS_ACCESS_KEY_ID'] }),
  field('aws_secret_access_key', 'AWS secret access key', 'secret', { env: ['AWS_SECRET_ACCESS_KEY'] }),
  field('aws_session_token', 'AWS session token', 'secret', { env: ['AWS_SESSION_TOKEN'] }),
  field('aws_profile_name', 'AWS profile', 'text', { env: ['AWS_PROFILE'] }),
];

const VERTEX_FIELDS: FormField[] = [
  field('vertex_project', 'Google Cloud project', 'text', { placeholder: 'my-project', env: ['VERTEXAI_PROJECT'] }),
  field('vertex_location', 'Location', 'text', { placeholder: 'us-central1' }),
  field('vertex_credentials', 'Service account key', 'multiline-secret', {
    hint: 'A key file path stays in config.yaml as written; pasted JSON goes to the gateway’s secret store (the OS keychain, or its encrypted file).',
    env: ['VERTEXAI_CREDENTIALS', 'GOOGLE_APPLICATION_CREDENTIALS'],
  }),
];

type ProviderFixture = Pick<ProviderInfo, 'id' | 'label'> & Partial<Omit<ProviderInfo, 'form'>> & { form?: Partial<ProviderInfo['form']> };

/** A provider as GET /admin/providers lists it: a hosted OpenAI-compatible API unless overridden. */
function provider({ id, label, form, ...over }: ProviderFixture): ProviderInfo {
  return {
    id,
    label,
    prefixes: [id],
    endpoints: ['chat', 'completions', 'embeddings'],
    default_api_base: null,
    env: { api_base: [], api_key: [], api_version: [] },
    default_api_version: null,
    auth: { kind: 'bearer' },
    stream_framing: 'sse',
    price_table_providers: [],
    settings: ['api_base', 'base_url', 'api_key', 'api_version'],
    request_params: ['temperature', 'max_tokens'],
    ...over,
    form: {
      model_placeholder: 'model',
      api_base: 'optional',
      api_base_placeholder: over.default_api_base ?? null,
      api_key: 'required',
      api_key_env: over.env?.api_key[0] ?? null,
      api_version: 'hidden',
      api_version_placeholder: null,
      extra_placeholder: '{"temperature": 0.2}',
      fields: [],
      ...form,
    },
  };
}

/** What the gateway lists, in its order: the providers the dialog tests pick from. */
export const PROVIDERS_ANSWER: ProvidersAnswer = {
  data: [
    provider({
      id: 'openai',
      label: 'OpenAI',
      prefixes: ['openai', 'text-completion-openai'],
      default_api_base: 'https://api.openai.com/v1',
      env: { api_base: ['OPENAI_API_BASE'], api_key: ['OPENAI_API_KEY'], api_version: [] },
      form: { model_placeholder: 'gpt-4o-mini' },
    }),
    provider({
      id: 'azure',
      label: 'Azure OpenAI',
      prefixes: ['azure', 'azure_text'],
      default_api_version: '2024-10-21',
      env: { api_base: ['AZURE_API_BASE'], api_key: ['AZURE_API_KEY'], api_version: ['AZURE_API_VERSION'] },
      auth: { kind: 'header', header: 'api-key', token_param: 'azure_ad_token' },
      form: {
        model_placeholder: 'my-gpt-4o-deployment',
        api_base: 'required',
        api_base_placeholder: 'https://my-resource.openai.azure.com',
        api_version: 'optional',
        api_version_placeholder: '2024-10-21',
        fields: [field('azure_ad_token', 'Entra ID token', 'secret')],
      },
    }),
    provider({
      id: 'anthropic',
      label: 'Anthropic',
      default_api_base: 'https://api.anthropic.com',
      endpoints: ['chat', 'completions', 'messages'],
      env: { api_base: ['ANTHROPIC_API_BASE'], api_key: ['ANTHROPIC_API_KEY'], api_version: [] },
      auth: { kind: 'header', header: 'x-api-key' },
      form: { model_placeholder: 'claude-sonnet-4-5' },
    }),
    provider({
      id: 'ollama',
      label: 'Ollama',
      default_api_base: 'http://localhost:11434',
      env: { api_base: ['OLLAMA_API_BASE'], api_key: [], api_version: [] },
      form: { model_placeholder: 'llama3.1', api_key: 'optional' },
    }),
    provider({
      id: 'hosted_vllm',
      label: 'OpenAI-compatible (vLLM, LM Studio…)',
      env: { api_base: ['HOSTED_VLLM_API_BASE'], api_key: ['HOSTED_VLLM_API_KEY'], api_version: [] },
      form: {
        model_placeholder: 'meta-llama/Llama-3.1-8B-Instruct',
        api_base: 'required',
        api_base_placeholder: 'http://localhost:8000/v1',
        api_key: 'optional',
      },
    }),
    provider({
      id: 'mock',
      label: 'Mock (offline)',
      auth: { kind: 'none' },
      settings: ['mock_latency'],
      form: { model_placeholder: 'echo', api_base: 'hidden', api_key: 'hidden', extra_placeholder: '{"mock_response": "Hello!", "mock_latency": 250}' },
    }),
    provider({
      id: 'bedrock',
      label: 'AWS Bedrock',
      default_api_base: 'https://bedrock-runtime.us-west-2.amazonaws.com',
      env: { api_base: ['AWS_BEDROCK_RUNTIME_ENDPOINT'], api_key: ['AWS_BEARER_TOKEN_BEDROCK'], api_version: [] },
      auth: { kind: 'sigv4' },
      settings: ['api_base', 'base_url', 'api_key', 'aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'aws_region_name', 'aws_profile_name'],
      form: { model_placeholder: 'anthropic.claude-3-5-sonnet-20240620-v1:0', api_key: 'optional', fields: AWS_FIELDS },
    }),
    provider({
      id: 'vertex_ai',
      label: 'Google Vertex AI',
      prefixes: ['vertex_ai', 'vertex_ai_beta'],
      default_api_base: 'https://us-central1-aiplatform.googleapis.com',
      auth: { kind: 'service-account-token' },
      settings: ['api_base', 'base_url', 'api_key', 'vertex_project', 'vertex_location', 'vertex_credentials'],
      form: { model_placeholder: 'gemini-2.5-flash', api_key: 'optional', fields: VERTEX_FIELDS },
    }),
    provider({
      id: 'replicate',
      label: 'Replicate',
      form: {
        model_placeholder: 'meta/meta-llama-3-8b-instruct',
        fields: [field('replicate_poll_interval', 'Poll interval (s)', 'number', { placeholder: '0.5' })],
      },
    }),
    provider({
      id: 'groq',
      label: 'Groq',
      default_api_base: 'https://api.groq.com/openai/v1',
      env: { api_base: [], api_key: ['GROQ_API_KEY'], api_version: [] },
      form: { model_placeholder: 'llama-3.1-8b-instant' },
    }),
  ],
};
