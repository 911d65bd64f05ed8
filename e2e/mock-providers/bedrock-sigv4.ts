/**
 * The SigV4 check of the AWS mocks (Bedrock and SageMaker runtime): the signature is recomputed with
 * @smithy/signature-v4 from the known test credentials, over the request exactly as it arrived (its Host header,
 * port included), and a request that does not match is refused with AWS's 403 bodies.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html
 */
import type { IncomingMessage } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** The test credentials the mocks know (AWS's documentation example keys). */
export const AWS_TEST_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
} as const;

/** Temporary credentials: they only work with their session token. */
export const AWS_TEST_SESSION_CREDENTIALS = {
  accessKeyId: 'ASIAIOSFODNN7SESSION',
  secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN',
} as const;

/** A Bedrock API key (sent as `Authorization: Bearer`, no signature). */
export const BEDROCK_TEST_API_KEY = 'ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl';

const SECRETS = new Map<string, { secretAccessKey: string; sessionToken?: string }>([
  [AWS_TEST_CREDENTIALS.accessKeyId, AWS_TEST_CREDENTIALS],
  [AWS_TEST_SESSION_CREDENTIALS.accessKeyId, AWS_TEST_SESSION_CREDENTIALS],
]);

export interface AwsRejection {
  status: number;
  type: string;
  message: string;
}

export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

function amzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}

const headerText = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
};

/** Why AWS would refuse this request's credentials, or undefined when it is signed right for `service`. */
export async function awsAuthRejection(req: IncomingMessage, rawBody: string, service: string): Promise<AwsRejection | undefined> {
  const authorization = headerText(req, 'authorization');
  if (service === 'bedrock' && authorization === `Bearer ${BEDROCK_TEST_API_KEY}`) return undefined;
  if (authorization === '') return { status: 403, type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  const parsed = AUTHORIZATION.exec(authorization);
  if (!parsed) {
    return {
      status: 403,
      type: 'IncompleteSignatureException',
      message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.`,
    };
  }
  const [, keyId, shortDate, region, scopeService, signedHeaders, signature] = parsed as unknown as string[];
  const known = SECRETS.get(keyId!);
  if (!known) return { status: 403, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  if (scopeService !== service) {
    return { status: 403, type: 'InvalidSignatureException', message: `Credential should be scoped to correct service: '${service}'.` };
  }
  if (known.sessionToken !== undefined && headerText(req, 'x-amz-security-token') !== known.sessionToken) {
    return { status: 403, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  }
  const date = amzDate(headerText(req, 'x-amz-date'));
  if (!date?.toISOString().replaceAll('-', '').startsWith(shortDate!)) {
    return { status: 403, type: 'IncompleteSignatureException', message: 'Date must be in ISO-8601 basic format and match the credential scope.' };
  }
  const names = signedHeaders!.split(';');
  if (!names.includes('host')) return { status: 403, type: 'InvalidSignatureException', message: "'Host' must be a signed header." };
  const headers: Record<string, string> = {};
  for (const name of names) headers[name] = headerText(req, name);
  const url = new URL(req.url ?? '/', `http://${headers.host}`);
  const signer = new SignatureV4({
    service,
    region: region!,
    credentials: { accessKeyId: keyId!, secretAccessKey: known.secretAccessKey, ...(known.sessionToken ? { sessionToken: known.sessionToken } : {}) },
    sha256: Hash.bind(null, 'sha256'),
  });
  const expected = await signer.sign(
    {
      method: req.method ?? 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: rawBody,
    },
    { signingDate: date },
  );
  const expectedSignature = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization))?.[1];
  return expectedSignature === signature ? undefined : { status: 403, type: 'InvalidSignatureException', message: SIGNATURE_MISMATCH };
}
