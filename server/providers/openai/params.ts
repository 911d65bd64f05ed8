/**
 * OpenAI's request parameters (chat completions, legacy completions, embeddings), without the call's own content
 * (`model`, `messages`, `prompt`, `input`, `stream`): what an OpenAI-shaped provider takes as a litellm_params default.
 * `metadata` is left out: LiteLLM configs use it for the gateway's logging, and OpenAI takes it only on stored completions.
 */
export const OPENAI_REQUEST_PARAMS = [
  // Chat completions
  'temperature',
  'top_p',
  'n',
  'stop',
  'max_tokens',
  'max_completion_tokens',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'seed',
  'user',
  'response_format',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'functions',
  'function_call',
  'reasoning_effort',
  'verbosity',
  'service_tier',
  'store',
  'modalities',
  'audio',
  'prediction',
  'web_search_options',
  'prompt_cache_key',
  'safety_identifier',
  'stream_options',
  // Legacy completions
  'suffix',
  'echo',
  'best_of',
  // Embeddings
  'dimensions',
  'encoding_format',
] as const;

/** Sampling parameters most open-weight model servers and hosts take beside OpenAI's. */
export const OPEN_MODEL_SAMPLING_PARAMS = ['top_k', 'min_p', 'repetition_penalty'] as const;

/** vLLM's extra request parameters (its OpenAI-compatible server's "extra parameters"). */
export const VLLM_EXTRA_PARAMS = [
  ...OPEN_MODEL_SAMPLING_PARAMS,
  'min_tokens',
  'length_penalty',
  'ignore_eos',
  'skip_special_tokens',
  'include_stop_str_in_output',
  'guided_json',
  'guided_regex',
  'guided_choice',
  'guided_grammar',
  'guided_decoding_backend',
  'chat_template_kwargs',
] as const;
