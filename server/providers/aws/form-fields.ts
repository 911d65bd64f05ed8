/**
 * The Add model form's fields for the AWS settings Bedrock and SageMaker share (aws/credentials.ts reads them, in
 * LiteLLM's order: litellm_params, then a named profile, then the standard environment variables). The key id,
 * secret key and session token are secrets: a typed value goes to the gateway's secret store, config.yaml gets a reference.
 */
import type { ProviderFormField } from '../descriptor.ts';
import { DEFAULT_AWS_REGION } from './credentials.ts';

export const AWS_FORM_FIELDS: readonly ProviderFormField[] = [
  {
    param: 'aws_region_name',
    label: 'AWS region',
    need: 'optional',
    kind: 'text',
    placeholder: DEFAULT_AWS_REGION,
    env: ['AWS_REGION_NAME', 'AWS_REGION', 'AWS_DEFAULT_REGION'],
  },
  {
    param: 'aws_access_key_id',
    label: 'AWS access key ID',
    need: 'optional',
    kind: 'secret',
    placeholder: 'AKIA…',
    hint: 'Goes with the secret access key below; leave both empty to use a profile.',
    env: ['AWS_ACCESS_KEY_ID'],
  },
  { param: 'aws_secret_access_key', label: 'AWS secret access key', need: 'optional', kind: 'secret', env: ['AWS_SECRET_ACCESS_KEY'] },
  {
    param: 'aws_session_token',
    label: 'AWS session token',
    need: 'optional',
    kind: 'secret',
    hint: 'Only for temporary credentials (STS).',
    env: ['AWS_SESSION_TOKEN'],
  },
  {
    param: 'aws_profile_name',
    label: 'AWS profile',
    need: 'optional',
    kind: 'text',
    placeholder: 'default',
    hint: 'A profile in ~/.aws/credentials or ~/.aws/config, used when no keys are given.',
    env: ['AWS_PROFILE'],
  },
];
