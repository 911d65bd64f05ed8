/**
 * Where an AWS deployment's region and credentials come from, in LiteLLM's order: litellm_params
 * (`aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`, `aws_region_name`), a named profile
 * (`aws_profile_name`, read from ~/.aws/credentials and ~/.aws/config), then the standard environment variables.
 * The environment is read once, when the deployment is built; a profile's files are read when a request is signed.
 */
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { GatewayError } from '../../core/errors.ts';
import type { LitellmParams } from '../../core/config-types.ts';
import { firstEnv } from '../connection.ts';
import type { Env } from '../descriptor.ts';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** What a deployment signs with: its region, and either its credentials or the profile that holds them. */
export interface AwsSigningSettings {
  region: string;
  credentials?: AwsCredentials;
  profile?: string;
}

/** The litellm_params holding AWS credentials and settings: read by the gateway, never sent upstream. */
export const AWS_CREDENTIAL_PARAMS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'aws_region_name', 'aws_profile_name'] as const;

/** LiteLLM's default region when nothing names one. */
export const DEFAULT_AWS_REGION = 'us-west-2';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function awsRegion(params: LitellmParams, env: Env): string {
  return text(params.aws_region_name) ?? firstEnv(env, ['AWS_REGION_NAME', 'AWS_REGION', 'AWS_DEFAULT_REGION']) ?? DEFAULT_AWS_REGION;
}

/** The signing settings of a deployment, from its litellm_params and the gateway's environment. */
export function awsSigningSettings(params: LitellmParams, env: Env): AwsSigningSettings {
  const region = awsRegion(params, env);
  const keyId = text(params.aws_access_key_id);
  const secret = text(params.aws_secret_access_key);
  if (keyId && secret) {
    const token = text(params.aws_session_token);
    return { region, credentials: { accessKeyId: keyId, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) } };
  }
  const profile = text(params.aws_profile_name);
  if (profile) return { region, profile };
  const envKeyId = firstEnv(env, ['AWS_ACCESS_KEY_ID']);
  const envSecret = firstEnv(env, ['AWS_SECRET_ACCESS_KEY']);
  if (envKeyId && envSecret) {
    const token = firstEnv(env, ['AWS_SESSION_TOKEN']);
    return { region, credentials: { accessKeyId: envKeyId, secretAccessKey: envSecret, ...(token ? { sessionToken: token } : {}) } };
  }
  const envProfile = firstEnv(env, ['AWS_PROFILE']);
  return envProfile ? { region, profile: envProfile } : { region };
}

/** The credentials of a named profile (the credentials file wins over the config file, as in the AWS CLI). */
export async function profileCredentials(profile: string): Promise<AwsCredentials> {
  const { credentialsFile, configFile } = await loadSharedConfigFiles();
  const entry = { ...(configFile[profile] ?? {}), ...(credentialsFile[profile] ?? {}) };
  const keyId = text(entry.aws_access_key_id);
  const secret = text(entry.aws_secret_access_key);
  if (!keyId || !secret) {
    throw new GatewayError(401, `The AWS profile \`${profile}\` has no aws_access_key_id and aws_secret_access_key in ~/.aws/credentials or ~/.aws/config.`, {
      code: 'aws_credentials_missing',
    });
  }
  const token = text(entry.aws_session_token);
  return { accessKeyId: keyId, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) };
}

export async function credentialsFor(settings: AwsSigningSettings): Promise<AwsCredentials> {
  if (settings.credentials) return settings.credentials;
  if (settings.profile) return profileCredentials(settings.profile);
  throw new GatewayError(
    401,
    'No AWS credentials: set aws_access_key_id and aws_secret_access_key (or aws_profile_name) in litellm_params, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment.',
    { code: 'aws_credentials_missing' },
  );
}
