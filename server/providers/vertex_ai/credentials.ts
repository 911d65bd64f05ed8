/**
 * Google credentials as LiteLLM takes them for Vertex AI: `vertex_credentials` is a service-account key file's path
 * or its JSON contents (a resolved keychain/ or os.environ/ reference is just that text); without it, Application
 * Default Credentials — the file GOOGLE_APPLICATION_CREDENTIALS names, else gcloud's well-known file — holding a
 * service account or an `authorized_user` (a refresh token from `gcloud auth application-default login`).
 * Read once when the deployment is built, so a wrong path is reported at load with the key to fix.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../descriptor.ts';

/** Where Google's OAuth tokens come from when the key file does not say. */
export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

export interface ServiceAccountCredentials {
  type: 'service_account';
  clientEmail: string;
  privateKey: string;
  privateKeyId?: string;
  tokenUri: string;
  projectId?: string;
}

export interface AuthorizedUserCredentials {
  type: 'authorized_user';
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  tokenUri: string;
  projectId?: string;
}

export type GoogleCredentials = ServiceAccountCredentials | AuthorizedUserCredentials;

/** Why credentials cannot be used, said to whoever wrote the config. */
export class CredentialsError extends Error {}

const str = (o: Record<string, unknown>, key: string): string | undefined => (typeof o[key] === 'string' && o[key] !== '' ? (o[key] as string) : undefined);

/** A parsed key file (or ADC file) → credentials; throws CredentialsError naming what is missing. */
export function credentialsFromJson(json: unknown): GoogleCredentials {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CredentialsError('the credentials are not a JSON object');
  const o = json as Record<string, unknown>;
  const need = (key: string): string => {
    const value = str(o, key);
    if (value === undefined) throw new CredentialsError(`the ${String(o.type)} credentials have no \`${key}\``);
    return value;
  };
  const tokenUri = str(o, 'token_uri') ?? GOOGLE_TOKEN_URI;
  if (o.type === 'service_account') {
    const privateKeyId = str(o, 'private_key_id');
    const projectId = str(o, 'project_id');
    return {
      type: 'service_account',
      clientEmail: need('client_email'),
      privateKey: need('private_key'),
      tokenUri,
      ...(privateKeyId ? { privateKeyId } : {}),
      ...(projectId ? { projectId } : {}),
    };
  }
  if (o.type === 'authorized_user') {
    const projectId = str(o, 'quota_project_id');
    return {
      type: 'authorized_user',
      clientId: need('client_id'),
      clientSecret: need('client_secret'),
      refreshToken: need('refresh_token'),
      tokenUri,
      ...(projectId ? { projectId } : {}),
    };
  }
  throw new CredentialsError(`credentials of type \`${String(o.type)}\` are not supported (service_account or authorized_user)`);
}

/** `vertex_credentials` as written: JSON text, a parsed object (YAML mapping), or a file path. */
export function credentialsText(given: unknown): string {
  if (typeof given === 'object' && given !== null) return JSON.stringify(given);
  if (typeof given !== 'string' || given.trim() === '') throw new CredentialsError('vertex_credentials is empty');
  const text = given.trim();
  if (text.startsWith('{')) return text;
  try {
    return readFileSync(text, 'utf8');
  } catch (err) {
    throw new CredentialsError(`cannot read the credentials file ${text}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

export function parseCredentials(text: string): GoogleCredentials {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CredentialsError('the credentials are not valid JSON (give the key file path or its whole contents)');
  }
  return credentialsFromJson(json);
}

/** gcloud's Application Default Credentials file (`gcloud auth application-default login`). */
function wellKnownAdcFile(env: Env): string {
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'gcloud', 'application_default_credentials.json');
  return join(env.CLOUDSDK_CONFIG ?? join(homedir(), '.config', 'gcloud'), 'application_default_credentials.json');
}

/** The ADC key file's text, or undefined when the environment has none. */
export function applicationDefaultCredentials(env: Env): string | undefined {
  const named = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (named) return credentialsText(named);
  const wellKnown = wellKnownAdcFile(env);
  return existsSync(wellKnown) ? readFileSync(wellKnown, 'utf8') : undefined;
}
