/** How a failed call is recorded: the status the client got and what it was told. */
import { GatewayError } from '../core/errors.ts';
import { ClientGoneError } from '../proxy/upstream.ts';
import type { CallOutcome } from './metered-call.ts';

/** What the client was told went wrong, for the spend row. */
export function errorInfo(err: unknown): CallOutcome['error'] {
  if (err instanceof GatewayError) return { type: err.type, code: err.code };
  if (err instanceof ClientGoneError) return { type: 'client_disconnected', code: null };
  return { type: 'api_error', code: null };
}

/** 499 (nginx's "client closed request") when the client left first. */
export const statusOf = (err: unknown): number => (err instanceof GatewayError ? err.status : err instanceof ClientGoneError ? 499 : 500);

