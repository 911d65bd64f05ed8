import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { signAwsRequest } from './sign.ts';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'token-1' };
const request = {
  url: 'http://127.0.0.1:4599/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse',
  method: 'POST' as const,
  headers: { 'content-type': 'application/json' },
  body: '{"messages":[]}',
};

describe('signAwsRequest', () => {
  it('signs the host as sent (port included), the date and the session token, scoped to region and service', async () => {
    const signed = await signAwsRequest(request, 'bedrock', 'eu-west-1', credentials);
    expect(signed.url).toBe(request.url);
    expect(signed.body).toBe(request.body);
    expect(signed.headers.host).toBe('127.0.0.1:4599');
    expect(signed.headers['x-amz-security-token']).toBe('token-1');
    expect(signed.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/bedrock\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
  });

  it('gives the signature AWS computes for the request as it arrives (double-escaped path), and a different one for another body', async () => {
    const signed = await signAwsRequest(request, 'bedrock', 'eu-west-1', credentials);
    const date = signed.headers['x-amz-date']!;
    const signingDate = new Date(
      `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
    );
    const verify = async (body: string) => {
      const signer = new SignatureV4({ service: 'bedrock', region: 'eu-west-1', credentials, sha256: Hash.bind(null, 'sha256') });
      const again = await signer.sign(
        {
          method: 'POST',
          protocol: 'http:',
          hostname: '127.0.0.1',
          path: '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse',
          query: {},
          headers: { 'content-type': 'application/json', host: '127.0.0.1:4599', 'x-amz-date': date, 'x-amz-security-token': 'token-1' },
          body,
        },
        { signingDate },
      );
      return again.headers.authorization;
    };
    expect(await verify(request.body)).toBe(signed.headers.authorization);
    expect(await verify('{"messages":[1]}')).not.toBe(signed.headers.authorization);
  });
});
