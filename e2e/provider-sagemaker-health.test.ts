/**
 * /health on Amazon SageMaker deployments through a real gateway: the probe is the control plane's free
 * DescribeEndpoint (SigV4 service `sagemaker`, checked by the mock), reached through AWS_ENDPOINT_URL_SAGEMAKER,
 * never a billed runtime invocation. An endpoint that serves is healthy; one that is Creating, Failed (with its
 * failure reason), missing, or refused the credentials is unhealthy with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_TEST_CREDENTIALS } from './mock-providers/bedrock-sigv4.ts';
import { type FramedMockProviders, startFramedMockProviders } from './mock-providers/framed-server.ts';
import { ENDPOINT_FAILURE_REASON, type SagemakerControlPlane, startSagemakerControlPlane } from './mock-providers/sagemaker-control.ts';
import { type Admin, admin } from './support/admin.ts';
import { type TestGateway, startTestGateway } from './support/gateway.ts';

const { accessKeyId, secretAccessKey } = AWS_TEST_CREDENTIALS;
const signed = `aws_access_key_id: ${accessKeyId}, aws_secret_access_key: "${secretAccessKey}", aws_region_name: us-east-1`;

const config = (runtime: string) => `
model_list:
  - model_name: serving
    litellm_params: { model: sagemaker/my-tgi-endpoint, api_base: "${runtime}", ${signed} }
  - model_name: messages-api
    litellm_params: { model: sagemaker_chat/my-messages-endpoint, api_base: "${runtime}", ${signed} }
  - model_name: updating
    litellm_params: { model: sagemaker/endpoint-updating, api_base: "${runtime}", ${signed} }
  - model_name: creating
    litellm_params: { model: sagemaker/endpoint-creating, api_base: "${runtime}", ${signed} }
  - model_name: failed
    litellm_params: { model: sagemaker/endpoint-failed, api_base: "${runtime}", ${signed} }
  - model_name: missing
    litellm_params: { model: sagemaker/endpoint-missing, api_base: "${runtime}", ${signed} }
  - model_name: wrong-secret
    litellm_params: { model: sagemaker/my-tgi-endpoint, api_base: "${runtime}", aws_access_key_id: ${accessKeyId}, aws_secret_access_key: nope }
litellm_settings:
  num_retries: 0
general_settings:
  master_key: sk-1234
`;

type HealthAnswer = { healthy_endpoints: { model_name: string }[]; unhealthy_endpoints: { model_name: string; error?: string }[] };

let runtime: FramedMockProviders;
let control: SagemakerControlPlane;
let gw: TestGateway;
let api: Admin;

beforeAll(async () => {
  runtime = await startFramedMockProviders();
  control = await startSagemakerControlPlane();
  gw = await startTestGateway(config(runtime.url), { AWS_ENDPOINT_URL_SAGEMAKER: control.url });
  api = admin(gw.url);
});
afterAll(async () => {
  await gw?.close();
  await control?.close();
  await runtime?.close();
});

describe('SageMaker /health', () => {
  it('probes with DescribeEndpoint, not an invocation: serving endpoints healthy, others unhealthy with the reason', async () => {
    const answer = await api.get<HealthAnswer>('/health');
    expect(answer.status).toBe(200);
    expect(answer.json.healthy_endpoints.map((e) => e.model_name).sort()).toEqual(['messages-api', 'serving', 'updating']);
    const unhealthy = Object.fromEntries(answer.json.unhealthy_endpoints.map((e) => [e.model_name, e.error ?? '']));
    expect(Object.keys(unhealthy).sort()).toEqual(['creating', 'failed', 'missing', 'wrong-secret']);
    expect(unhealthy.creating).toContain('The SageMaker endpoint endpoint-creating is Creating, not InService.');
    expect(unhealthy.failed).toContain(`The SageMaker endpoint endpoint-failed is Failed, not InService: ${ENDPOINT_FAILURE_REASON}`);
    expect(unhealthy.missing).toContain('Could not find endpoint "endpoint-missing".');
    expect(unhealthy['wrong-secret']).toMatch(/signature/i);

    // Every probe was a signed DescribeEndpoint naming its endpoint; the runtime (which bills) saw none.
    expect(control.requests.map((r) => r.target)).toEqual(Array(7).fill('SageMaker.DescribeEndpoint'));
    expect(control.requests.map((r) => r.endpointName).sort()).toEqual(
      ['endpoint-creating', 'endpoint-failed', 'endpoint-missing', 'endpoint-updating', 'my-messages-endpoint', 'my-tgi-endpoint', 'my-tgi-endpoint'].sort(),
    );
    expect(runtime.requests).toEqual([]);
  });
});
