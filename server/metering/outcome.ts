/** How a failed call is recorded: the status the client got and what it was told. */
import { GatewayError } from '../core/errors.ts';
import { RelayedUpstreamError } from '../proxy/anthropic-native.ts';
import { ClientGoneError } from '../proxy/upstream.ts';
import type { CallOutcome } from './metered-call.ts';

/** What the client was told went wrong, for the spend row (an upstream's own error answer, relayed as it is: upstream_error). */
export function errorInfo(err: unknown): CallOutcome['error'] {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof RelayedUpstreamError) return { type: 'upstream_error', code: null, message };
  if (err instanceof GatewayError) return { type: err.type, code: err.code, message };
  if (err instanceof ClientGoneError) return { type: 'client_disconnected', code: null, message };
  return { type: 'api_error', code: null, message };
}

/** The status the client got: a relayed upstream answer keeps the upstream's; 499 (nginx's "client closed request") when the client left first. */
export const statusOf = (err: unknown): number =>
  err instanceof RelayedUpstreamError ? err.relayed.status : err instanceof GatewayError ? err.status : err instanceof ClientGoneError ? 499 : 500;
