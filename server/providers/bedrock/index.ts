/**
 * AWS Bedrock: OpenAI chat in, Converse / ConverseStream upstream (every chat model family on Bedrock, and
 * cross-region inference profile ids such as `us.anthropic.claude-…`), embeddings through InvokeModel (Titan,
 * Cohere). Requests are signed with SigV4 (service `bedrock`) — or carry a Bedrock API key as a Bearer token when
 * one is given (`api_key`, AWS_BEARER_TOKEN_BEDROCK).
 */
import type { LitellmParams } from '../../core/config-types.ts';
import { AWS_CREDENTIAL_PARAMS, DEFAULT_AWS_REGION, awsRegion } from '../aws/credentials.ts';
import { mapAwsError } from '../aws/errors.ts';
import { AWS_FORM_FIELDS } from '../aws/form-fields.ts';
import { awsRequestSigner, rememberSigningSettings } from '../aws/sign.ts';
import { firstEnv } from '../connection.ts';
import type { Connection, Env, ProviderDescriptor } from '../descriptor.ts';
import type { Deployment, UpstreamRequest } from '../types.ts';
import { bedrockEmbeddings } from './embeddings.ts';
import { BEDROCK_REQUEST_PARAMS, PROVIDER_LABEL } from './params.ts';
import { bedrockKeyHeader, buildConverseRequest, modelUrl } from './request.ts';
import { translateConverseResponse } from './response.ts';
import { createConverseStreamTranslator } from './stream.ts';

const SERVICE = 'bedrock';
const AUTH = { kind: 'sigv4', service: SERVICE, credentialParams: AWS_CREDENTIAL_PARAMS } as const;

const runtimeEndpoint = (region: string) => `https://bedrock-runtime.${region}.amazonaws.com`;

const defaults = {
  apiBase: runtimeEndpoint(DEFAULT_AWS_REGION),
  apiBaseEnv: ['AWS_BEDROCK_RUNTIME_ENDPOINT'],
  apiKeyEnv: ['AWS_BEARER_TOKEN_BEDROCK'],
  apiVersionEnv: [],
};

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** LiteLLM's meaning: `aws_bedrock_runtime_endpoint` or `api_base` is the runtime host; else the region's. */
function resolveBedrockConnection(params: LitellmParams, env: Env): Connection {
  rememberSigningSettings(params, env);
  const base =
    text(params.aws_bedrock_runtime_endpoint) ?? text(params.api_base) ?? firstEnv(env, defaults.apiBaseEnv) ?? runtimeEndpoint(awsRegion(params, env));
  // Credentials written in litellm_params win over a Bedrock API key that is only in the environment.
  const awsGiven = text(params.aws_access_key_id) !== undefined || text(params.aws_profile_name) !== undefined;
  return { apiBase: base.replace(/\/+$/, ''), apiKey: text(params.api_key) ?? (awsGiven ? undefined : firstEnv(env, defaults.apiKeyEnv)) };
}

const signRequest = awsRequestSigner(SERVICE);

/** SigV4, unless the deployment has a Bedrock API key (the request builders already sent it as a Bearer token). */
function authorizeBedrockRequest(req: UpstreamRequest, deployment: Deployment): Promise<UpstreamRequest> {
  return deployment.apiKey ? Promise.resolve(req) : signRequest(req, deployment);
}

/** No runtime endpoint is free: the cheapest proof is a one-token Converse call. */
function bedrockHealthProbe(deployment: Deployment): UpstreamRequest {
  return {
    url: modelUrl(deployment, 'converse'),
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...bedrockKeyHeader(deployment) },
    body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'ping' }] }], inferenceConfig: { maxTokens: 1 } }),
  };
}

const descriptor = {
  id: 'bedrock',
  label: PROVIDER_LABEL,
  prefixes: ['bedrock'],
  defaults,
  resolveConnection: (params: LitellmParams, env: Env) => resolveBedrockConnection(params, env),
  auth: AUTH,
  settings: ['api_base', 'base_url', 'api_key', 'aws_bedrock_runtime_endpoint', ...AWS_CREDENTIAL_PARAMS],
  requestParams: BEDROCK_REQUEST_PARAMS,
  serves: ['chat', 'completions', 'embeddings'],
  framing: 'aws-eventstream',
  endpoints: {
    chat: {
      buildRequest: buildConverseRequest,
      translateResponse: translateConverseResponse,
      createStreamTranslator: createConverseStreamTranslator,
    },
    embeddings: bedrockEmbeddings,
  },
  mapError: (status: number, body: string, headers: Record<string, string | string[] | undefined>) => mapAwsError(PROVIDER_LABEL, status, body, headers),
  healthProbe: bedrockHealthProbe,
  authorizeRequest: authorizeBedrockRequest,
  litellmProviders: ['bedrock', 'bedrock_converse'],
  form: {
    modelPlaceholder: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    apiBase: 'optional',
    apiKey: 'optional',
    apiVersion: 'hidden',
    extraPlaceholder: '{"temperature": 0.2, "max_tokens": 1024}',
    fields: AWS_FORM_FIELDS,
  },
} satisfies Omit<ProviderDescriptor, 'createStreamTranslator'>;

export const bedrockProvider: ProviderDescriptor = descriptor;
