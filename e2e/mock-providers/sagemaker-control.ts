/**
 * The SageMaker control plane's DescribeEndpoint, the free call the gateway's /health probe makes (every runtime
 * invocation bills): `POST /` with `X-Amz-Target: SageMaker.DescribeEndpoint`, `Content-Type:
 * application/x-amz-json-1.1` and `{"EndpointName": …}`, signed with SigV4 for service `sagemaker` (checked as the
 * runtime mocks check it, bedrock-sigv4.ts). Its own node:http server on 127.0.0.1 (port 0): the control plane has
 * its own host (api.sagemaker.{region}.amazonaws.com), which a gateway reaches through AWS_ENDPOINT_URL_SAGEMAKER.
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/CommonErrors.html
 *
 * Endpoint names choose the status: `…creating…` Creating, `…failed…` Failed (with a FailureReason), `…updating…`
 * Updating, `…missing…` does not exist (ValidationException "Could not find endpoint"); any other is InService.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { awsAuthRejection } from './bedrock-sigv4.ts';
import { readBody } from './http.ts';
import { isObject } from './text.ts';

export const ENDPOINT_FAILURE_REASON = 'Image 123456789012.dkr.ecr.us-east-1.amazonaws.com/tgi:latest does not exist.';

export interface ControlPlaneRequest {
  target: string;
  endpointName: string;
  status: number;
}

export interface SagemakerControlPlane {
  url: string;
  requests: ControlPlaneRequest[];
  close(): Promise<void>;
}

function endpointStatus(name: string): string {
  if (/creating/i.test(name)) return 'Creating';
  if (/failed/i.test(name)) return 'Failed';
  if (/updating/i.test(name)) return 'Updating';
  return 'InService';
}

/** DescribeEndpointOutput (the required members, and FailureReason when the endpoint failed). */
function describeEndpoint(name: string): Record<string, unknown> {
  const status = endpointStatus(name);
  return {
    EndpointName: name,
    EndpointArn: `arn:aws:sagemaker:us-east-1:123456789012:endpoint/${name.toLowerCase()}`,
    EndpointConfigName: `${name}-config`,
    EndpointStatus: status,
    CreationTime: 1764720000,
    LastModifiedTime: 1764720000,
    ...(status === 'Failed' ? { FailureReason: ENDPOINT_FAILURE_REASON } : {}),
  };
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': 'mock-request-id',
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse, requests: ControlPlaneRequest[]): Promise<void> {
  const rawBody = await readBody(req);
  const target = String(req.headers['x-amz-target'] ?? '');
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    body = undefined;
  }
  const endpointName = isObject(body) && typeof body.EndpointName === 'string' ? body.EndpointName : '';
  const record: ControlPlaneRequest = { target, endpointName, status: 0 };
  requests.push(record);
  const reply = (status: number, answer: unknown, errorType?: string) => {
    record.status = status;
    send(res, status, answer, errorType);
  };
  const rejection = await awsAuthRejection(req, rawBody, 'sagemaker');
  if (rejection) return reply(rejection.status, { __type: rejection.type, message: rejection.message }, rejection.type);
  if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://mock.invalid').pathname !== '/' || target !== 'SageMaker.DescribeEndpoint') {
    return reply(400, { __type: 'UnknownOperationException' }, 'UnknownOperationException');
  }
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1') || endpointName === '') {
    return reply(
      400,
      {
        __type: 'ValidationException',
        message: "1 validation error detected: Value null at 'endpointName' failed to satisfy constraint: Member must not be null",
      },
      'ValidationException',
    );
  }
  if (/missing/i.test(endpointName)) {
    return reply(400, { __type: 'ValidationException', message: `Could not find endpoint "${endpointName}".` }, 'ValidationException');
  }
  return reply(200, describeEndpoint(endpointName));
}

export async function startSagemakerControlPlane(): Promise<SagemakerControlPlane> {
  const requests: ControlPlaneRequest[] = [];
  const server = createServer((req, res) => {
    handle(req, res, requests).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`sagemaker control plane mock crashed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
