import { describe, expect, it } from 'vitest';
import { testDeployment } from '../../test-support/fixtures.ts';
import { describeEndpointProbe, endpointVerdict, rememberControlPlane } from './health.ts';

const deployment = (params = { model: 'sagemaker/my-endpoint' }) =>
  testDeployment({ provider: 'sagemaker', upstreamModel: 'my-endpoint', apiBase: 'https://runtime.sagemaker.eu-west-1.amazonaws.com', params });

describe('SageMaker health probe (DescribeEndpoint)', () => {
  it("asks the region's control plane, JSON 1.1 with the DescribeEndpoint target, naming the endpoint", () => {
    const req = describeEndpointProbe(deployment(), 'eu-west-1');
    expect(req).toMatchObject({
      url: 'https://api.sagemaker.eu-west-1.amazonaws.com/',
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.DescribeEndpoint' },
    });
    expect(JSON.parse(req.body ?? '')).toEqual({ EndpointName: 'my-endpoint' });
  });

  it('uses AWS_ENDPOINT_URL_SAGEMAKER, then AWS_ENDPOINT_URL, recorded with the connection', () => {
    const params = { model: 'sagemaker/my-endpoint' };
    rememberControlPlane(params, { AWS_ENDPOINT_URL: 'http://localstack:4566', AWS_ENDPOINT_URL_SAGEMAKER: 'http://sm.local:9000/' }, 'us-east-1');
    expect(describeEndpointProbe(deployment(params), 'us-east-1').url).toBe('http://sm.local:9000/');
    const other = { model: 'sagemaker/my-endpoint' };
    rememberControlPlane(other, { AWS_ENDPOINT_URL: 'http://localstack:4566' }, 'us-east-1');
    expect(describeEndpointProbe(deployment(other), 'us-east-1').url).toBe('http://localstack:4566/');
  });

  it('is healthy while the endpoint serves, and says the status and failure reason otherwise', () => {
    expect(endpointVerdict(JSON.stringify({ EndpointName: 'e', EndpointStatus: 'InService' }))).toBeUndefined();
    expect(endpointVerdict(JSON.stringify({ EndpointName: 'e', EndpointStatus: 'Updating' }))).toBeUndefined();
    expect(endpointVerdict(JSON.stringify({ EndpointName: 'e', EndpointStatus: 'Creating' }))).toBe('The SageMaker endpoint e is Creating, not InService.');
    expect(endpointVerdict(JSON.stringify({ EndpointName: 'e', EndpointStatus: 'Failed', FailureReason: 'Image not found' }))).toBe(
      'The SageMaker endpoint e is Failed, not InService: Image not found.',
    );
    expect(endpointVerdict('<html>')).toBe('SageMaker DescribeEndpoint answered something that is not JSON.');
  });
});
