/**
 * Where an AWS deployment's region and credentials come from, in LiteLLM's order: litellm_params
 * (`aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`, `aws_region_name`), a named profile
 * (`aws_profile_name`, read from ~/.aws/credentials and ~/.aws/config), then the standard environment variables.
 * The environment is read once, when the deployment is built; a profile's files are read when a request is signed
 * (its credentials) or when the deployment is built (its region, which the endpoint's URL needs then).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
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
  /** The shared files the profile is read from when the environment names them (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE). */
  files?: { configFile?: string; credentialsFile?: string };
}

/** The litellm_params holding AWS credentials and settings: read by the gateway, never sent upstream. */
export const AWS_CREDENTIAL_PARAMS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'aws_region_name', 'aws_profile_name'] as const;

/** LiteLLM's default region when nothing names one. */
export const DEFAULT_AWS_REGION = 'us-west-2';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** ~/.aws/config, or the file AWS_CONFIG_FILE names (`~/` expanded, as the AWS CLI does). */
function configFilePath(env: Env): string {
  const home = firstEnv(env, ['HOME', 'USERPROFILE']) ?? homedir();
  const given = firstEnv(env, ['AWS_CONFIG_FILE']);
  if (given === undefined) return join(home, '.aws', 'config');
  return given.startsWith('~/') ? join(home, given.slice(2)) : given;
}

/**
 * The `region` of a profile in the shared config file: `[profile NAME]`, or `[default]` for the default profile
 * (which may also be written `[profile default]`). Read synchronously because the endpoint's URL needs the region
 * while the deployment is built; @smithy's loader is async only, so this reads the one key itself. Sub-sections
 * (indented lines under a key such as `s3 =`) are skipped.
 */
export function profileRegion(profile: string, env: Env): string | undefined {
  let source: string;
  try {
    source = readFileSync(configFilePath(env), 'utf8');
  } catch {
    return undefined;
  }
  const wanted = new Set(profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`]);
  let inSection = false;
  for (const line of source.split(/\r?\n/)) {
    const section = /^\s*\[([^\]]+)\]/.exec(line);
    if (section) {
      inSection = wanted.has(section[1]!.trim().replace(/\s+/g, ' '));
      continue;
    }
    if (!inSection || /^\s/.test(line)) continue;
    const entry = /^region\s*=\s*([^\s#;]+)/.exec(line);
    if (entry) return entry[1];
  }
  return undefined;
}

/** The profile a deployment reads its shared files' settings from: aws_profile_name, AWS_PROFILE, else `default`. */
function profileName(params: LitellmParams, env: Env): string {
  return text(params.aws_profile_name) ?? firstEnv(env, ['AWS_PROFILE']) ?? 'default';
}

/** aws_region_name, then the environment, then the profile's region in ~/.aws/config, then LiteLLM's default. */
export function awsRegion(params: LitellmParams, env: Env): string {
  return (
    text(params.aws_region_name) ??
    firstEnv(env, ['AWS_REGION_NAME', 'AWS_REGION', 'AWS_DEFAULT_REGION']) ??
    profileRegion(profileName(params, env), env) ??
    DEFAULT_AWS_REGION
  );
}

function sharedFiles(env: Env): Pick<AwsSigningSettings, 'files'> {
  const configFile = firstEnv(env, ['AWS_CONFIG_FILE']);
  const credentialsFile = firstEnv(env, ['AWS_SHARED_CREDENTIALS_FILE']);
  if (configFile === undefined && credentialsFile === undefined) return {};
  return { files: { ...(configFile ? { configFile } : {}), ...(credentialsFile ? { credentialsFile } : {}) } };
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
  if (profile) return { region, profile, ...sharedFiles(env) };
  const envKeyId = firstEnv(env, ['AWS_ACCESS_KEY_ID']);
  const envSecret = firstEnv(env, ['AWS_SECRET_ACCESS_KEY']);
  if (envKeyId && envSecret) {
    const token = firstEnv(env, ['AWS_SESSION_TOKEN']);
    return { region, credentials: { accessKeyId: envKeyId, secretAccessKey: envSecret, ...(token ? { sessionToken: token } : {}) } };
  }
  const envProfile = firstEnv(env, ['AWS_PROFILE']);
  return envProfile ? { region, profile: envProfile, ...sharedFiles(env) } : { region };
}

/** The credentials of a named profile (the credentials file wins over the config file, as in the AWS CLI). */
export async function profileCredentials(profile: string, files: AwsSigningSettings['files'] = {}): Promise<AwsCredentials> {
  // The gateway's environment (recorded in `files`) names the files; the loader's own fallback is process.env's.
  const { credentialsFile, configFile } = await loadSharedConfigFiles({
    ...(files.credentialsFile ? { filepath: files.credentialsFile } : {}),
    ...(files.configFile ? { configFilepath: files.configFile } : {}),
  });
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
  if (settings.profile) return profileCredentials(settings.profile, settings.files);
  throw new GatewayError(
    401,
    'No AWS credentials: set aws_access_key_id and aws_secret_access_key (or aws_profile_name) in litellm_params, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment.',
    { code: 'aws_credentials_missing' },
  );
}
