/**
 * Amazon SageMaker: models deployed on SageMaker endpoints (`sagemaker/<endpoint-name>`), called through the
 * SageMaker Runtime with SigV4 (service `sagemaker`): TGI / JumpStart text generation with the prompt from a
 * template (prompt-templates/), streamed through InvokeEndpointWithResponseStream, and JumpStart embeddings.
 */
import type { LitellmParams } from '../../core/config-types.ts';
import { AWS_CREDENTIAL_PARAMS, DEFAULT_AWS_REGION } from '../aws/credentials.ts';
import { mapAwsError } from '../aws/errors.ts';
import { AWS_FORM_FIELDS } from '../aws/form-fields.ts';
import { awsRequestSigner, rememberSigningSettings, signingSettingsOf } from '../aws/sign.ts';
import { firstEnv } from '../connection.ts';
import type { Connection, Env, ProviderDescriptor } from '../descriptor.ts';
import type { Deployment } from '../types.ts';
import { GENERATE_UNSUPPORTED } from '../huggingface/generate-request.ts';
import { translateGenerate } from '../huggingface/generate-response.ts';
import { OPEN_MODEL_SAMPLING_PARAMS, OPENAI_REQUEST_PARAMS } from '../openai/params.ts';
import { PROMPT_TEMPLATE_SETTINGS, readCustomTemplate } from '../prompt-templates/index.ts';
import { buildEmbeddingInvocation, buildInvocationRequest, translateEmbeddingInvocation } from './request.ts';
import { buildMessagesApiInvocation, createMessagesApiStreamTranslator, translateMessagesApiAnswer } from './messages-api.ts';
import { createInvocationStreamTranslator } from './stream.ts';
import { describeEndpointProbe, endpointVerdict, rememberControlPlane } from './health.ts';

const SERVICE = 'sagemaker';
const LABEL = 'Amazon SageMaker';
const runtimeEndpoint = (region: string) => `https://runtime.sagemaker.${region}.amazonaws.com`;

const defaults = {
  apiBase: runtimeEndpoint(DEFAULT_AWS_REGION),
  apiBaseEnv: ['AWS_SAGEMAKER_RUNTIME_ENDPOINT'],
  apiKeyEnv: [],
  apiVersionEnv: [],
};

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function resolveSagemakerConnection(params: LitellmParams, env: Env, path: string): Connection {
  readCustomTemplate(params, path);
  const { region } = rememberSigningSettings(params, env);
  rememberControlPlane(params, env, region);
  const base = text(params.api_base) ?? firstEnv(env, defaults.apiBaseEnv) ?? runtimeEndpoint(region);
  return { apiBase: base.replace(/\/+$/, '') };
}

const descriptor = {
  id: 'sagemaker',
  label: LABEL,
  prefixes: ['sagemaker'],
  defaults,
  resolveConnection: resolveSagemakerConnection,
  auth: { kind: 'sigv4', service: SERVICE, credentialParams: AWS_CREDENTIAL_PARAMS },
  settings: ['api_base', 'base_url', ...AWS_CREDENTIAL_PARAMS, ...PROMPT_TEMPLATE_SETTINGS],
  requestParams: {
    accepted: [
      'max_tokens',
      'max_completion_tokens',
      'temperature',
      'top_p',
      'stop',
      'seed',
      ...OPEN_MODEL_SAMPLING_PARAMS,
      'max_new_tokens',
      'do_sample',
      'typical_p',
    ],
    unsupported: GENERATE_UNSUPPORTED,
  },
  serves: ['chat', 'completions', 'embeddings'],
  framing: 'aws-eventstream',
  endpoints: {
    chat: { buildRequest: buildInvocationRequest, translateResponse: translateGenerate, createStreamTranslator: createInvocationStreamTranslator },
    embeddings: { buildRequest: buildEmbeddingInvocation, translateResponse: translateEmbeddingInvocation },
  },
  mapError: (status: number, body: string, headers: Record<string, string | string[] | undefined>) => mapAwsError(LABEL, status, body, headers),
  // An invocation bills: the probe is the control plane's free DescribeEndpoint, healthy while the endpoint serves.
  healthProbe: (deployment: Deployment) => describeEndpointProbe(deployment, signingSettingsOf(deployment).region),
  healthProbeVerdict: endpointVerdict,
  authorizeRequest: awsRequestSigner(SERVICE),
  litellmProviders: ['sagemaker'],
  form: {
    modelPlaceholder: 'jumpstart-dft-meta-textgeneration-llama-3-8b',
    apiBase: 'optional',
    apiKey: 'optional',
    apiVersion: 'hidden',
    extraPlaceholder: '{"temperature": 0.2, "max_new_tokens": 256}',
    fields: AWS_FORM_FIELDS,
  },
} satisfies ProviderDescriptor;

/** A variable of its own: `sagemaker_chat/` below is this descriptor with another adapter. */
export const sagemakerProvider: ProviderDescriptor = descriptor;

/** `sagemaker_chat/`: the same endpoints and credentials, the container speaking OpenAI's Messages API. */
const chatDescriptor = {
  ...descriptor,
  id: 'sagemaker_chat',
  label: 'Amazon SageMaker (Messages API)',
  prefixes: ['sagemaker_chat'],
  settings: ['api_base', 'base_url', ...AWS_CREDENTIAL_PARAMS],
  requestParams: { accepted: OPENAI_REQUEST_PARAMS.filter((name) => name !== 'stream_options') },
  serves: ['chat', 'completions'],
  endpoints: {
    chat: {
      buildRequest: buildMessagesApiInvocation,
      translateResponse: translateMessagesApiAnswer,
      createStreamTranslator: createMessagesApiStreamTranslator,
    },
  },
  litellmProviders: [],
  form: { ...descriptor.form, modelPlaceholder: 'my-tgi-messages-endpoint', extraPlaceholder: descriptor.form.extraPlaceholder },
} satisfies ProviderDescriptor & { authorizeRequest: ReturnType<typeof awsRequestSigner> };

export const sagemakerChatProvider: ProviderDescriptor = chatDescriptor;
