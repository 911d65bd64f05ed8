/**
 * The OpenAI-compatible family, one descriptor each: same wire protocol, different default base URL and key
 * variable (LiteLLM's environment variable names, so existing setups keep working).
 */
import type { ProviderDescriptor } from '../descriptor.ts';
import { openaiCompatibleProvider } from './index.ts';
import { OPEN_MODEL_SAMPLING_PARAMS, VLLM_EXTRA_PARAMS } from './params.ts';

export const openaiProvider = openaiCompatibleProvider({
  id: 'openai',
  label: 'OpenAI',
  // LiteLLM's prefix for OpenAI's legacy completions models is the same API.
  prefixes: ['openai', 'text-completion-openai'],
  apiBase: 'https://api.openai.com/v1',
  apiBaseEnv: ['OPENAI_API_BASE', 'OPENAI_BASE_URL'],
  apiKeyEnv: ['OPENAI_API_KEY'],
  litellmProviders: ['openai', 'text-completion-openai'],
  modelPlaceholder: 'gpt-4o-mini',
  responses: true,
});

/** LiteLLM's prefix for any self-hosted OpenAI-compatible server (the gateway's own error messages suggest it). */
export const hostedVllmProvider = openaiCompatibleProvider({
  id: 'hosted_vllm',
  label: 'OpenAI-compatible (vLLM, LM Studio…)',
  apiBaseEnv: ['HOSTED_VLLM_API_BASE'],
  apiKeyEnv: ['HOSTED_VLLM_API_KEY'],
  selfHosted: true,
  extraParams: VLLM_EXTRA_PARAMS,
  litellmProviders: [],
  modelPlaceholder: 'meta-llama/Llama-3.1-8B-Instruct',
});

export const ollamaProvider = openaiCompatibleProvider({
  id: 'ollama',
  label: 'Ollama',
  apiBase: 'http://localhost:11434',
  apiBaseEnv: ['OLLAMA_API_BASE'],
  selfHosted: true,
  litellmProviders: ['ollama'],
  modelPlaceholder: 'llama3.1',
});

/** The rest of the family, in the dashboard's (alphabetical) order. */
export const OPENAI_COMPATIBLE_HOSTS: readonly ProviderDescriptor[] = [
  openaiCompatibleProvider({
    id: 'deepinfra',
    label: 'DeepInfra',
    apiBase: 'https://api.deepinfra.com/v1/openai',
    apiKeyEnv: ['DEEPINFRA_API_KEY'],
    extraParams: OPEN_MODEL_SAMPLING_PARAMS,
    litellmProviders: ['deepinfra'],
    modelPlaceholder: 'meta-llama/Meta-Llama-3.1-70B-Instruct',
  }),
  openaiCompatibleProvider({
    id: 'deepseek',
    label: 'DeepSeek',
    apiBase: 'https://api.deepseek.com/v1',
    apiKeyEnv: ['DEEPSEEK_API_KEY'],
    litellmProviders: ['deepseek'],
    modelPlaceholder: 'deepseek-chat',
  }),
  openaiCompatibleProvider({
    id: 'fireworks_ai',
    label: 'Fireworks AI',
    apiBase: 'https://api.fireworks.ai/inference/v1',
    apiKeyEnv: ['FIREWORKS_AI_API_KEY', 'FIREWORKS_API_KEY'],
    extraParams: OPEN_MODEL_SAMPLING_PARAMS,
    litellmProviders: ['fireworks_ai', 'fireworks_ai-embedding-models'],
    modelPlaceholder: 'accounts/fireworks/models/llama-v3p1-70b-instruct',
  }),
  openaiCompatibleProvider({
    id: 'groq',
    label: 'Groq',
    apiBase: 'https://api.groq.com/openai/v1',
    apiKeyEnv: ['GROQ_API_KEY'],
    extraParams: ['reasoning_format'],
    litellmProviders: ['groq'],
    modelPlaceholder: 'llama-3.1-8b-instant',
  }),
  openaiCompatibleProvider({
    id: 'lm_studio',
    label: 'LM Studio',
    apiBase: 'http://localhost:1234/v1',
    apiBaseEnv: ['LM_STUDIO_API_BASE'],
    apiKeyEnv: ['LM_STUDIO_API_KEY'],
    selfHosted: true,
    extraParams: ['top_k', 'min_p', 'repeat_penalty'],
    litellmProviders: [],
    modelPlaceholder: 'qwen2.5-7b-instruct',
  }),
  openaiCompatibleProvider({
    id: 'mistral',
    label: 'Mistral',
    apiBase: 'https://api.mistral.ai/v1',
    apiKeyEnv: ['MISTRAL_API_KEY'],
    extraParams: ['safe_prompt', 'random_seed'],
    litellmProviders: ['mistral'],
    modelPlaceholder: 'mistral-large-latest',
  }),
  openaiCompatibleProvider({
    id: 'openrouter',
    label: 'OpenRouter',
    apiBase: 'https://openrouter.ai/api/v1',
    apiBaseEnv: ['OPENROUTER_API_BASE'],
    apiKeyEnv: ['OPENROUTER_API_KEY'],
    extraParams: [...OPEN_MODEL_SAMPLING_PARAMS, 'top_a', 'transforms', 'models', 'route', 'provider', 'reasoning'],
    litellmProviders: ['openrouter'],
    modelPlaceholder: 'anthropic/claude-3.5-sonnet',
  }),
  openaiCompatibleProvider({
    id: 'perplexity',
    label: 'Perplexity',
    apiBase: 'https://api.perplexity.ai',
    apiKeyEnv: ['PERPLEXITYAI_API_KEY', 'PERPLEXITY_API_KEY'],
    extraParams: ['search_domain_filter', 'search_recency_filter', 'search_mode', 'return_images', 'return_related_questions'],
    litellmProviders: ['perplexity'],
    modelPlaceholder: 'sonar',
  }),
  openaiCompatibleProvider({
    id: 'together_ai',
    label: 'Together AI',
    apiBase: 'https://api.together.xyz/v1',
    apiKeyEnv: ['TOGETHERAI_API_KEY', 'TOGETHER_API_KEY'],
    extraParams: OPEN_MODEL_SAMPLING_PARAMS,
    litellmProviders: ['together_ai'],
    modelPlaceholder: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
  }),
  openaiCompatibleProvider({
    id: 'vllm',
    label: 'vLLM (vllm/ prefix)',
    apiBaseEnv: ['VLLM_API_BASE', 'HOSTED_VLLM_API_BASE'],
    apiKeyEnv: ['VLLM_API_KEY', 'HOSTED_VLLM_API_KEY'],
    selfHosted: true,
    extraParams: VLLM_EXTRA_PARAMS,
    litellmProviders: [],
    modelPlaceholder: 'meta-llama/Llama-3.1-8B-Instruct',
  }),
  openaiCompatibleProvider({
    id: 'xai',
    label: 'xAI',
    apiBase: 'https://api.x.ai/v1',
    apiKeyEnv: ['XAI_API_KEY'],
    extraParams: ['search_parameters'],
    litellmProviders: ['xai'],
    modelPlaceholder: 'grok-2-latest',
  }),
  openaiCompatibleProvider({
    id: 'xinference',
    label: 'Xinference',
    apiBase: 'http://127.0.0.1:9997/v1',
    apiBaseEnv: ['XINFERENCE_API_BASE'],
    apiKeyEnv: ['XINFERENCE_API_KEY'],
    selfHosted: true,
    extraParams: ['top_k', 'repetition_penalty'],
    litellmProviders: [],
    modelPlaceholder: 'qwen2.5-instruct',
  }),
];
