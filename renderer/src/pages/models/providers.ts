/**
 * The providers the Add model form offers: one per `provider/` prefix the gateway's registry knows
 * (server/providers/registry.ts: the OpenAI-compatible family, azure, anthropic, mock), with what each needs.
 * Defaults mirror server/providers/openai/family.ts and server/router/deployments.ts.
 */
export interface ProviderSpec {
  /** The `provider/` prefix of litellm_params.model. */
  id: string;
  label: string;
  /** The base URL used when api_base is empty (placeholder); undefined: the user must give one. */
  defaultApiBase?: string;
  /** api_base must be given (no default). */
  baseRequired: boolean;
  /** Mock answers in-process: no URL, no key. */
  local: boolean;
  /** A hosted API that refuses calls without a key (a key may still come from its environment variable). */
  keyRequired: boolean;
  /** Azure only: api_version. */
  apiVersion: boolean;
  modelPlaceholder: string;
  /** The environment variable the gateway reads the key from when none is set, for the hint. */
  keyEnv?: string;
}

const hosted = (id: string, label: string, defaultApiBase: string, modelPlaceholder: string, keyEnv: string): ProviderSpec => ({
  id, label, defaultApiBase, baseRequired: false, local: false, keyRequired: true, apiVersion: false, modelPlaceholder, keyEnv,
});

const selfHosted = (id: string, label: string, defaultApiBase: string | undefined, modelPlaceholder: string): ProviderSpec => ({
  id, label, ...(defaultApiBase ? { defaultApiBase } : {}), baseRequired: !defaultApiBase, local: false, keyRequired: false, apiVersion: false, modelPlaceholder,
});

export const PROVIDERS: readonly ProviderSpec[] = [
  hosted('openai', 'OpenAI', 'https://api.openai.com/v1', 'gpt-4o-mini', 'OPENAI_API_KEY'),
  {
    id: 'azure', label: 'Azure OpenAI', baseRequired: true, local: false, keyRequired: true, apiVersion: true,
    modelPlaceholder: 'my-gpt-4o-deployment', keyEnv: 'AZURE_API_KEY',
  },
  hosted('anthropic', 'Anthropic', 'https://api.anthropic.com', 'claude-sonnet-4-5', 'ANTHROPIC_API_KEY'),
  selfHosted('ollama', 'Ollama', 'http://localhost:11434', 'llama3.1'),
  // LiteLLM's prefix for any self-hosted OpenAI-compatible server (the gateway's own error messages suggest it).
  selfHosted('hosted_vllm', 'OpenAI-compatible (vLLM, LM Studio…)', undefined, 'meta-llama/Llama-3.1-8B-Instruct'),
  { id: 'mock', label: 'Mock (offline)', baseRequired: false, local: true, keyRequired: false, apiVersion: false, modelPlaceholder: 'echo' },
  hosted('deepinfra', 'DeepInfra', 'https://api.deepinfra.com/v1/openai', 'meta-llama/Meta-Llama-3.1-70B-Instruct', 'DEEPINFRA_API_KEY'),
  hosted('deepseek', 'DeepSeek', 'https://api.deepseek.com/v1', 'deepseek-chat', 'DEEPSEEK_API_KEY'),
  hosted('fireworks_ai', 'Fireworks AI', 'https://api.fireworks.ai/inference/v1', 'accounts/fireworks/models/llama-v3p1-70b-instruct', 'FIREWORKS_AI_API_KEY'),
  hosted('groq', 'Groq', 'https://api.groq.com/openai/v1', 'llama-3.1-8b-instant', 'GROQ_API_KEY'),
  selfHosted('lm_studio', 'LM Studio', 'http://localhost:1234/v1', 'qwen2.5-7b-instruct'),
  hosted('mistral', 'Mistral', 'https://api.mistral.ai/v1', 'mistral-large-latest', 'MISTRAL_API_KEY'),
  hosted('openrouter', 'OpenRouter', 'https://openrouter.ai/api/v1', 'anthropic/claude-3.5-sonnet', 'OPENROUTER_API_KEY'),
  hosted('perplexity', 'Perplexity', 'https://api.perplexity.ai', 'sonar', 'PERPLEXITYAI_API_KEY'),
  hosted('together_ai', 'Together AI', 'https://api.together.xyz/v1', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 'TOGETHERAI_API_KEY'),
  selfHosted('vllm', 'vLLM (vllm/ prefix)', undefined, 'meta-llama/Llama-3.1-8B-Instruct'),
  hosted('xai', 'xAI', 'https://api.x.ai/v1', 'grok-2-latest', 'XAI_API_KEY'),
  selfHosted('xinference', 'Xinference', 'http://127.0.0.1:9997/v1', 'qwen2.5-instruct'),
];

export const DEFAULT_PROVIDER = 'openai';

/** The Azure API version the gateway uses when none is set (server/providers/azure). */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

export function providerSpec(id: string): ProviderSpec {
  return PROVIDERS.find((p) => p.id === id) ?? PROVIDERS[0]!;
}

export const isKnownProvider = (id: string): boolean => PROVIDERS.some((p) => p.id === id);

/**
 * `provider/upstream` from litellm_params (as written) or, for a bare name, from what the gateway resolved
 * (the health snapshot's `model`). Returns undefined when neither names a known provider.
 */
export function splitModel(params: Record<string, unknown> & { model: string }, resolved?: string): { provider: string; upstream: string } | undefined {
  const model = params.model;
  const custom = params.custom_llm_provider;
  if (typeof custom === 'string' && isKnownProvider(custom)) {
    return { provider: custom, upstream: model.startsWith(`${custom}/`) ? model.slice(custom.length + 1) : model };
  }
  const slash = model.indexOf('/');
  if (slash > 0 && isKnownProvider(model.slice(0, slash))) return { provider: model.slice(0, slash), upstream: model.slice(slash + 1) };
  if (resolved) {
    const at = resolved.indexOf('/');
    if (at > 0 && isKnownProvider(resolved.slice(0, at))) return { provider: resolved.slice(0, at), upstream: resolved.slice(at + 1) };
  }
  return undefined;
}
