/**
 * The OpenAI-compatible family: same wire protocol, different default base URL and key variable
 * (LiteLLM's environment variable names, so existing setups keep working).
 */
export interface FamilyMember {
  /** Default base URL; undefined when the user must give api_base (self-hosted servers). */
  apiBase?: string;
  /** Environment variables consulted for the base URL when api_base is not set, in order. */
  apiBaseEnv?: string[];
  /** Environment variables consulted for the key when api_key is not set, in order. */
  apiKeyEnv?: string[];
  /** Self-hosted servers are often given as http://host:port; their OpenAI API lives under /v1. */
  appendV1?: boolean;
}

export const OPENAI_FAMILY: Record<string, FamilyMember> = {
  openai: { apiBase: 'https://api.openai.com/v1', apiBaseEnv: ['OPENAI_API_BASE', 'OPENAI_BASE_URL'], apiKeyEnv: ['OPENAI_API_KEY'] },
  together_ai: { apiBase: 'https://api.together.xyz/v1', apiKeyEnv: ['TOGETHERAI_API_KEY', 'TOGETHER_API_KEY'] },
  groq: { apiBase: 'https://api.groq.com/openai/v1', apiKeyEnv: ['GROQ_API_KEY'] },
  mistral: { apiBase: 'https://api.mistral.ai/v1', apiKeyEnv: ['MISTRAL_API_KEY'] },
  deepseek: { apiBase: 'https://api.deepseek.com/v1', apiKeyEnv: ['DEEPSEEK_API_KEY'] },
  openrouter: { apiBase: 'https://openrouter.ai/api/v1', apiBaseEnv: ['OPENROUTER_API_BASE'], apiKeyEnv: ['OPENROUTER_API_KEY'] },
  fireworks_ai: { apiBase: 'https://api.fireworks.ai/inference/v1', apiKeyEnv: ['FIREWORKS_AI_API_KEY', 'FIREWORKS_API_KEY'] },
  perplexity: { apiBase: 'https://api.perplexity.ai', apiKeyEnv: ['PERPLEXITYAI_API_KEY', 'PERPLEXITY_API_KEY'] },
  xai: { apiBase: 'https://api.x.ai/v1', apiKeyEnv: ['XAI_API_KEY'] },
  deepinfra: { apiBase: 'https://api.deepinfra.com/v1/openai', apiKeyEnv: ['DEEPINFRA_API_KEY'] },
  vllm: { apiBaseEnv: ['VLLM_API_BASE', 'HOSTED_VLLM_API_BASE'], apiKeyEnv: ['VLLM_API_KEY', 'HOSTED_VLLM_API_KEY'], appendV1: true },
  hosted_vllm: { apiBaseEnv: ['HOSTED_VLLM_API_BASE'], apiKeyEnv: ['HOSTED_VLLM_API_KEY'], appendV1: true },
  ollama: { apiBase: 'http://localhost:11434', apiBaseEnv: ['OLLAMA_API_BASE'], appendV1: true },
  lm_studio: { apiBase: 'http://localhost:1234/v1', apiBaseEnv: ['LM_STUDIO_API_BASE'], apiKeyEnv: ['LM_STUDIO_API_KEY'], appendV1: true },
  xinference: { apiBase: 'http://127.0.0.1:9997/v1', apiBaseEnv: ['XINFERENCE_API_BASE'], apiKeyEnv: ['XINFERENCE_API_KEY'], appendV1: true },
};
