/**
 * An error about to be told to a client in-band (an event inside a stream that already started), masked with
 * maskSecretsIn (mask-keys.ts): the same masking every error body gets on its way out (http/error-handler.ts).
 */
import { GatewayError } from '../core/errors.ts';
import { maskSecretsIn } from './mask-keys.ts';

/** The error itself when its message holds no secret; else a copy with the message masked (status, type and code kept). */
export function maskedError(error: Error, secrets: readonly string[]): Error {
  const message = maskSecretsIn(error.message, secrets);
  if (message === error.message) return error;
  if (error instanceof GatewayError)
    return new GatewayError(error.status, message, { type: error.type, param: error.param, code: error.code, headers: error.headers });
  const copy = new Error(message);
  copy.name = error.name;
  return copy;
}
