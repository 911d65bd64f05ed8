/**
 * GET /admin/providers: the providers this gateway speaks, as the dashboard, scripts and docs/providers.md read them.
 * It is the public view of the descriptors in server/providers/: names of environment variables and settings,
 * never their values. The dashboard imports these types with `import type` (the one way renderer/ meets server/).
 */

/** The API surfaces a provider can serve: OpenAI's chat, completions, embeddings and Responses, Anthropic's Messages, rerank. */
export type ProviderEndpoint = 'chat' | 'completions' | 'embeddings' | 'responses' | 'messages' | 'rerank';

/**
 * How a provider proves who is calling: a Bearer token, a key in a header of its own (Azure `api-key`, Anthropic
 * `x-api-key`), a key in the query string (Gemini `?key=`), AWS SigV4 signing (Bedrock), an OAuth token from a
 * service account (Vertex AI), or nothing (in-process and keyless local servers).
 */
export type ProviderAuthKind = 'none' | 'bearer' | 'header' | 'query' | 'sigv4' | 'service-account-token';

/** How a provider frames a streamed answer (server-sent events, AWS event-stream, newline-delimited JSON). */
export type ProviderStreamFraming = 'sse' | 'aws-eventstream' | 'ndjson';

/** Whether the Add model form shows a field, and whether it may stay empty. */
export type ProviderFieldNeed = 'required' | 'optional' | 'hidden';

/**
 * How the Add model form takes a setting: a line of text, a secret (never shown back: the gateway keeps a typed
 * value in the OS keychain and config.yaml gets a `keychain/` reference), a multi-line secret (a key file's path or
 * its pasted JSON contents: the contents go to the keychain, a path stays in config.yaml), or a number.
 */
export type ProviderFormFieldKind = 'text' | 'secret' | 'multiline-secret' | 'number';

/** One of the provider's own litellm_params as its own field of the Add model form (instead of Extra params). */
export interface ProviderFormFieldInfo {
  /** The litellm_params key the field writes. */
  param: string;
  label: string;
  need: Exclude<ProviderFieldNeed, 'hidden'>;
  kind: ProviderFormFieldKind;
  placeholder: string | null;
  /** What the field is for, said under it. */
  hint: string | null;
  /** Environment variables read, in order, when the field is left empty. */
  env: string[];
}

/** What the dashboard's Add model form shows for this provider. */
export interface ProviderFormInfo {
  /** An upstream model name of this provider, as the Upstream model placeholder. */
  model_placeholder: string;
  api_base: ProviderFieldNeed;
  /** The default base URL, or an example when there is none. */
  api_base_placeholder: string | null;
  api_key: ProviderFieldNeed;
  /** The environment variable to suggest as `os.environ/NAME` for the key. */
  api_key_env: string | null;
  api_version: ProviderFieldNeed;
  /** The version used when the field is empty. */
  api_version_placeholder: string | null;
  /** An example for the Extra params (JSON) field. */
  extra_placeholder: string;
  /** The provider's own settings, each with a field of its own (AWS region and keys, Vertex project and credentials…). */
  fields: ProviderFormFieldInfo[];
}

export interface ProviderInfo {
  /** The registry key: what `provider` means in a deployment. */
  id: string;
  label: string;
  /** The `provider/` prefixes of litellm_params.model (and custom_llm_provider values) it serves; the first is `id`. */
  prefixes: string[];
  endpoints: ProviderEndpoint[];
  /** Used when neither api_base nor an environment variable gives one; null: the user must give it. */
  default_api_base: string | null;
  /** Environment variables read, in order, when litellm_params leaves the value out (LiteLLM's names). */
  env: { api_base: string[]; api_key: string[]; api_version: string[] };
  default_api_version: string | null;
  /**
   * `header`: the header's name; `query_param`: the query parameter's name; `token_param`: a litellm_params key
   * holding a token that stands in for the key (Azure's `azure_ad_token`).
   */
  auth: { kind: ProviderAuthKind; header?: string; query_param?: string; token_param?: string };
  stream_framing: ProviderStreamFraming;
  /** The `litellm_provider` values of its models in the bundled price table (empty: the table prices none). */
  price_table_providers: string[];
  /** litellm_params keys that are its own credentials and settings: read by the gateway, never sent upstream. */
  settings: string[];
  /** litellm_params keys it takes as request parameters: sent upstream as defaults of every request. */
  request_params: string[];
  form: ProviderFormInfo;
}

export interface ProvidersAnswer {
  data: ProviderInfo[];
}
