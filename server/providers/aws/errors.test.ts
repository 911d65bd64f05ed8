import { describe, expect, it } from 'vitest';
import { mapAwsError } from './errors.ts';

const map = (status: number, type: string, message: string, headers: Record<string, string> = {}) =>
  mapAwsError('AWS Bedrock', status, JSON.stringify({ message }), {
    'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    ...headers,
  });

describe('mapAwsError', () => {
  it('reads throttling as 429 with a Retry-After, the upstream’s when it gives one', () => {
    expect(map(429, 'ThrottlingException', 'Too many requests')).toMatchObject({ status: 429, type: 'rate_limit_error', headers: { 'retry-after': '1' } });
    expect(map(429, 'ThrottlingException', 'slow', { 'retry-after': '9' }).headers).toEqual({ 'retry-after': '9' });
    expect(map(400, 'ThrottlingException', 'SageMaker throttles with 400').status).toBe(429);
  });

  it('reads a prompt beyond the window as context_length_exceeded, and a filter as a content policy violation', () => {
    expect(map(400, 'ValidationException', 'Input is too long for requested model.')).toMatchObject({ status: 400, code: 'context_length_exceeded' });
    expect(map(400, 'ValidationException', 'Output blocked by content filtering policy.')).toMatchObject({ status: 400, code: 'content_policy_violation' });
    expect(map(400, 'ValidationException', 'A conversation must alternate')).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      code: 'ValidationException',
    });
  });

  it('maps credentials, access, missing models and unavailability to the statuses SDKs know', () => {
    expect(map(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.').status).toBe(401);
    expect(map(403, 'InvalidSignatureException', 'The request signature we calculated does not match').status).toBe(401);
    expect(map(403, 'AccessDeniedException', "You don't have access to the model").status).toBe(403);
    expect(map(404, 'ResourceNotFoundException', 'Could not resolve the foundation model').status).toBe(404);
    expect(map(429, 'ModelNotReadyException', 'Model is not ready')).toMatchObject({ status: 503, headers: { 'retry-after': '1' } });
    expect(map(503, 'ServiceUnavailableException', 'unavailable').status).toBe(503);
    expect(map(500, 'InternalServerException', 'oops')).toMatchObject({ status: 502, type: 'upstream_error' });
  });

  it('keeps the message and falls back to the status when the body is not AWS JSON', () => {
    expect(map(404, 'ResourceNotFoundException', 'Could not resolve').message).toBe('AWS Bedrock: ResourceNotFoundException: Could not resolve');
    expect(mapAwsError('AWS Bedrock', 502, '<html>bad gateway</html>', {})).toMatchObject({
      status: 502,
      message: 'AWS Bedrock: HTTP 502: <html>bad gateway</html>',
    });
  });

  it('reads a SageMaker ModelError by the container’s own status and message', () => {
    const modelError = (status: number, message: string) =>
      mapAwsError(
        'Amazon SageMaker',
        424,
        JSON.stringify({ ErrorCode: 'CLIENT_ERROR_FROM_MODEL', Message: 'Received client error', OriginalMessage: message, OriginalStatusCode: status }),
        {
          'x-amzn-errortype': 'ModelError:http://internal.amazon.com/coral/com.amazon.sagemaker/',
        },
      );
    expect(modelError(422, 'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4000')).toMatchObject({
      status: 400,
      code: 'context_length_exceeded',
    });
    expect(modelError(500, 'CUDA out of memory')).toMatchObject({ status: 502, message: expect.stringContaining('CUDA out of memory') });
    expect(modelError(400, 'bad parameter')).toMatchObject({ status: 400, code: 'ModelError' });
  });
});
