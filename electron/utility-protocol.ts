/**
 * The messages between main (gateway-host.ts) and the utility process (utility-entry.ts). Requests carry an id;
 * each gets exactly one reply with the same id. Status never carries a secret; only `admin-token` does, and
 * the utility process answers it on its parent port alone, which only main holds.
 */

export interface StartRequest {
  port: number;
  dataDir: string;
  /** `--debug`: one log line per request. */
  debug?: boolean;
}

export interface SecretStoreInfo {
  kind: 'keychain' | 'file' | 'memory';
  weakerProtection: boolean;
}

export type UtilityState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/** What `start` and `status` answer. No secret in here — a test checks it. */
export interface UtilityStatus {
  state: UtilityState;
  pid: number;
  url?: string;
  port?: number;
  dataDir?: string;
  configPath?: string | null;
  secretStore?: SecretStoreInfo;
}

export interface UtilityCalls {
  start: { request: StartRequest; response: UtilityStatus };
  status: { request: Record<never, never>; response: UtilityStatus };
  stop: { request: Record<never, never>; response: { stopped: true } };
  'admin-token': { request: Record<never, never>; response: { token: string | null } };
}

export type UtilityCall = keyof UtilityCalls;

/** A request without its id. */
export type UtilityRequest = { [K in UtilityCall]: { type: K } & UtilityCalls[K]['request'] }[UtilityCall];

export type ToUtility = UtilityRequest & { id: number };

export type UtilityErrorCode = 'port-in-use' | 'start-failed' | 'not-running' | 'busy' | 'bad-request';

export interface UtilityError {
  code: UtilityErrorCode;
  message: string;
  port?: number;
}

export type FromUtility =
  /** Sent once the entry is listening for requests. */
  | { type: 'ready'; pid: number }
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: UtilityError }
  /** An unexpected error; the process exits right after. */
  | { type: 'fatal'; message: string };

const CALLS: readonly string[] = ['start', 'status', 'stop', 'admin-token'];

export function isToUtility(value: unknown): value is ToUtility {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { id?: unknown; type?: unknown };
  return Number.isInteger(message.id) && typeof message.type === 'string' && CALLS.includes(message.type);
}

export function isFromUtility(value: unknown): value is FromUtility {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; id?: unknown; ok?: unknown };
  if (message.type === 'ready' || message.type === 'fatal') return true;
  return message.type === 'reply' && Number.isInteger(message.id) && typeof message.ok === 'boolean';
}
