/**
 * SigV4 for Bedrock and SageMaker with @smithy/signature-v4 (SHA-256 from @smithy/hash-node). The signature
 * covers the Host header exactly as it is sent — `host:port` when the endpoint has a port — so the request
 * carries that header itself.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { LitellmParams } from '../../core/config-types.ts';
import type { Env } from '../descriptor.ts';
import type { Deployment, UpstreamRequest } from '../types.ts';
import { type AwsCredentials, type AwsSigningSettings, awsSigningSettings, credentialsFor } from './credentials.ts';

/** Node's SHA-256 as the signer's hash constructor (`new Sha256(secret?)`). */
const Sha256 = Hash.bind(null, 'sha256');

/**
 * The signing settings of each deployment's litellm_params, recorded when its connection was resolved (the
 * only moment the gateway's environment is at hand). A deployment's `params` is that same object.
 */
const settingsByParams = new WeakMap<LitellmParams, AwsSigningSettings>();

export function rememberSigningSettings(params: LitellmParams, env: Env): AwsSigningSettings {
  const settings = awsSigningSettings(params, env);
  settingsByParams.set(params, settings);
  return settings;
}

export function signingSettingsOf(deployment: Deployment): AwsSigningSettings {
  return settingsByParams.get(deployment.params) ?? awsSigningSettings(deployment.params, process.env);
}

export async function signAwsRequest(req: UpstreamRequest, service: string, region: string, credentials: AwsCredentials): Promise<UpstreamRequest> {
  const url = new URL(req.url);
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256 });
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const signed = await signer.sign({
    method: req.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    // As sent (model ids' `:` is `%3A`): the signer escapes each segment again, as AWS does for every service but S3.
    path: url.pathname,
    query,
    headers: { ...req.headers, host: url.host },
    ...(req.body === undefined ? {} : { body: req.body }),
  });
  return { ...req, headers: signed.headers };
}

/** `authorizeRequest` of an AWS provider: the deployment's credentials, resolved now, sign the built request. */
export function awsRequestSigner(service: string) {
  return async (req: UpstreamRequest, deployment: Deployment): Promise<UpstreamRequest> => {
    const settings = signingSettingsOf(deployment);
    return signAwsRequest(req, service, settings.region, await credentialsFor(settings));
  };
}
