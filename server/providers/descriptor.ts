/**
 * A provider is one folder that exports one ProviderDescriptor: everything the gateway knows about it — where it
 * lives and which environment variables say so, how it authenticates, which litellm_params are its own, which
 * request parameters it takes, what it serves, how it streams, what the price table and the dashboard call it —
 * together with the transforms that speak its wire format (the ProviderAdapter it extends). Nothing outside the
 * folder knows a provider by name: the registry lists descriptors, the router, /admin/providers, the dashboard
 * and docs/providers.md read them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { LitellmParams } from '../core/config-types.ts';
import type { ProviderEndpoint, ProviderFieldNeed, ProviderFormFieldKind } from '../core/provider-info.ts';
import type { Deployment, ProviderAdapter, StreamFraming, UpstreamRequest } from './types.ts';

export type { ProviderEndpoint, ProviderFieldNeed, ProviderFormFieldKind } from '../core/provider-info.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * How the provider authenticates a call. The kinds a descriptor uses today are applied by `authHeaders`
 * (providers/auth.ts); a provider that signs (SigV4) or fetches tokens (a service account) builds its own
 * request — EndpointAdapter.buildRequest — with the credentials named here.
 */
export type ProviderAuth =
  /** In-process, or a local server that takes no key. */
  | { kind: 'none' }
  /** `Authorization: Bearer <key>`. */
  | { kind: 'bearer' }
  /**
   * The key in a header of the provider's own (Azure `api-key`, Anthropic `x-api-key`). `bearerTokenParam`: a
   * litellm_params key holding a token sent as `Authorization: Bearer` when no key is set (Azure's Entra ID token).
   */
  | { kind: 'header'; header: string; bearerTokenParam?: string }
  /** The key as a query parameter (Gemini's `?key=`). */
  | { kind: 'query'; param: string }
  /** AWS Signature Version 4 over the whole request, from the litellm_params holding the AWS credentials. */
  | { kind: 'sigv4'; service: string; credentialParams: readonly string[] }
  /** An OAuth access token minted from a service account (Vertex AI), cached and refreshed before it expires. */
  | { kind: 'service-account-token'; credentialsParam: string; scopes: readonly string[] };

/** Where a deployment's upstream is and how to reach it, resolved from litellm_params and the environment. */
export interface Connection {
  /** Without a trailing slash. */
  apiBase: string;
  apiKey?: string | undefined;
  apiVersion?: string | undefined;
}

/** Where the provider lives when litellm_params does not say: its defaults and LiteLLM's environment variables. */
export interface ConnectionDefaults {
  /** Undefined when the user must give api_base (self-hosted servers, Azure resources). */
  apiBase?: string;
  /** Consulted in order for the base URL when api_base is not set. */
  apiBaseEnv: readonly string[];
  /** Consulted in order for the key when api_key is not set. */
  apiKeyEnv: readonly string[];
  /** Consulted in order for the API version when api_version is not set. */
  apiVersionEnv: readonly string[];
  /** The API version when neither api_version nor its environment variables give one. */
  apiVersion?: string;
}

/**
 * The request parameters the provider takes, after the adapter's translation. A litellm_params key among
 * `accepted` is a default of every request (the client's value wins); a litellm_params key that is neither a
 * gateway setting, nor one of `settings`, nor accepted is never sent (a load-time warning points to extra_body).
 */
export interface RequestParams {
  accepted: readonly string[];
  /**
   * OpenAI parameters the provider cannot take, each with the test of its neutral value (SDKs send `n: 1` or
   * `presence_penalty: 0` by default; those are left out silently). Any other value is a 400 naming the
   * parameter, unless drop_params: then it is left out. A request field in neither list passes through as a
   * provider-native extra, as it always did (vLLM's `guided_json`, Anthropic's `thinking`).
   */
  unsupported?: Readonly<Record<string, (value: unknown) => boolean>>;
}

/**
 * One of the provider's own litellm_params (one of `settings`) as a field of the Add model form. `kind` must agree
 * with what the gateway treats as a secret (config/secret-params.ts): a secret is never loaded back into the form.
 */
export interface ProviderFormField {
  /** The litellm_params key written. */
  param: string;
  label: string;
  need: Exclude<ProviderFieldNeed, 'hidden'>;
  kind: ProviderFormFieldKind;
  placeholder?: string;
  hint?: string;
  /** Environment variables read, in order, when the field is empty. */
  env?: readonly string[];
}

/** What the dashboard's Add model form shows for the provider. */
export interface ProviderForm {
  modelPlaceholder: string;
  apiBase: ProviderFieldNeed;
  /** Shown when the provider has no default base URL (the default is shown otherwise). */
  apiBaseExample?: string;
  apiKey: ProviderFieldNeed;
  apiVersion: ProviderFieldNeed;
  extraPlaceholder: string;
  /** Settings with a field of their own, in the order shown (none: everything else goes in Extra params). */
  fields?: readonly ProviderFormField[];
}

export interface ProviderDescriptor extends ProviderAdapter {
  /** Registry key: `Deployment.provider`, and the first of `prefixes`. */
  id: string;
  /** How people name it (the dashboard, docs/providers.md). */
  label: string;
  /** The `provider/` prefixes of litellm_params.model (and custom_llm_provider values) it serves. */
  prefixes: readonly string[];
  defaults: ConnectionDefaults;
  /**
   * litellm_params + environment → base URL, key and version. Throws DeploymentError (providers/deployment-error.ts)
   * naming `path` + the offending key when the deployment cannot be called as written.
   */
  resolveConnection(params: LitellmParams, env: Env, path: string): Connection;
  auth: ProviderAuth;
  /** litellm_params keys that are its own credentials and settings: read by the gateway, never sent upstream. */
  settings: readonly string[];
  requestParams: RequestParams;
  /**
   * The gateway endpoints a deployment of this provider serves: chat, completions and embeddings through
   * `endpoints` (completions also through chat), messages / responses / rerank when it takes them natively.
   */
  serves: readonly ProviderEndpoint[];
  /**
   * With 'responses' in `serves`: the upstream request of a Responses API call, from the body to send (the
   * gateway's own fields already out); the deployment's model and defaults go in here.
   */
  responsesRequest?(deployment: Deployment, body: Record<string, unknown>): UpstreamRequest;
  /**
   * With 'rerank' in `serves`: the upstream request of a rerank call (`{query, documents, top_n,
   * max_tokens_per_doc, …}`, the gateway's own fields already out). The answer is read in Cohere's shape
   * `{id?, results: [{index, relevance_score}], meta: {billed_units: {search_units}}}`.
   */
  rerankRequest?(deployment: Deployment, body: Record<string, unknown>): UpstreamRequest;
  /**
   * An Anthropic Messages API call (/v1/messages, or its count_tokens) to this deployment as the provider takes it
   * natively — Claude on Vertex AI or Bedrock — from the body to send (the gateway's own fields already out) and the
   * client's headers (anthropic-beta); undefined when this deployment's model is served through chat instead. The
   * answer must be Anthropic's own (JSON, SSE events). `authorizeRequest` still runs before it is sent. Not needed
   * with 'messages' in `serves`: that is Anthropic's own API, built by the anthropic provider's native path.
   */
  nativeMessagesRequest?(
    deployment: Deployment,
    endpoint: 'messages' | 'count_tokens',
    body: Record<string, unknown>,
    clientHeaders: IncomingHttpHeaders,
  ): UpstreamRequest | undefined;
  framing: StreamFraming;
  /** Prefixes kept so old configs load (`palm/` on Gemini), each with the warning said at load. */
  retiredPrefixes?: Readonly<Record<string, string>>;
  /** The `litellm_provider` values of its models in the price table (bare model names resolve through them). */
  litellmProviders: readonly string[];
  form: ProviderForm;
}
