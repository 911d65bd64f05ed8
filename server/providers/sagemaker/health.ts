/**
 * The SageMaker health probe that costs nothing: every runtime invocation bills, so the probe asks the control
 * plane instead — DescribeEndpoint (`POST https://api.sagemaker.{region}.amazonaws.com/`, JSON 1.1 with
 * `X-Amz-Target: SageMaker.DescribeEndpoint`, SigV4 service `sagemaker`, the same as the runtime's) — and reads
 * the endpoint's status. https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html
 *
 * The control plane's address follows the AWS SDKs' service-specific endpoint settings (AWS_ENDPOINT_URL_SAGEMAKER,
 * then AWS_ENDPOINT_URL), else the region's; a deployment's api_base names the runtime only.
 */
import type { LitellmParams } from '../../core/config-types.ts';
import { firstEnv } from '../connection.ts';
import type { Env } from '../descriptor.ts';
import type { Deployment, UpstreamRequest } from '../types.ts';

const controlPlaneByParams = new WeakMap<LitellmParams, string>();

const controlPlaneEndpoint = (region: string) => `https://api.sagemaker.${region}.amazonaws.com`;

/** Records the deployment's control-plane address while its connection is resolved (the environment is at hand then). */
export function rememberControlPlane(params: LitellmParams, env: Env, region: string): void {
  const base = firstEnv(env, ['AWS_ENDPOINT_URL_SAGEMAKER', 'AWS_ENDPOINT_URL']) ?? controlPlaneEndpoint(region);
  controlPlaneByParams.set(params, base.replace(/\/+$/, ''));
}

export function describeEndpointProbe(deployment: Deployment, region: string): UpstreamRequest {
  const base = controlPlaneByParams.get(deployment.params) ?? controlPlaneEndpoint(region);
  return {
    url: `${base}/`,
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.DescribeEndpoint', accept: 'application/json' },
    body: JSON.stringify({ EndpointName: deployment.upstreamModel }),
  };
}

/**
 * The statuses in which the endpoint answers invocations: InService, and the transitions of an endpoint that was
 * in service and keeps serving meanwhile (an update or its rollback, AWS's own maintenance). Creating,
 * OutOfService, Deleting, Failed and UpdateRollbackFailed endpoints do not answer.
 */
const SERVING = new Set(['InService', 'Updating', 'SystemUpdating', 'RollingBack']);

/** DescribeEndpoint's answer → why the endpoint cannot serve (its status and failure reason), or undefined. */
export function endpointVerdict(bodyText: string): string | undefined {
  let answer: { EndpointName?: unknown; EndpointStatus?: unknown; FailureReason?: unknown };
  try {
    answer = JSON.parse(bodyText) as typeof answer;
  } catch {
    return 'SageMaker DescribeEndpoint answered something that is not JSON.';
  }
  const status = typeof answer?.EndpointStatus === 'string' ? answer.EndpointStatus : undefined;
  if (status !== undefined && SERVING.has(status)) return undefined;
  const name = typeof answer?.EndpointName === 'string' ? ` ${answer.EndpointName}` : '';
  const reason = typeof answer?.FailureReason === 'string' && answer.FailureReason !== '' ? `: ${answer.FailureReason}` : '';
  return `The SageMaker endpoint${name} is ${status ?? 'in an unknown state'}, not InService${reason}.`;
}
