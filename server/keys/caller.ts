/**
 * Who is calling: the master key, a virtual key, or nobody in particular (no master key configured).
 * The key comes from `Authorization: Bearer`, `x-api-key` or `api-key`, whichever the client sends.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../core/errors.ts';
import { presentedKey, sameSecret } from './presented-key.ts';
import type { KeyStore } from './key-store.ts';
import type { VirtualKey } from './virtual-key.ts';

export type Caller = { kind: 'master' } | { kind: 'virtual'; key: VirtualKey } | { kind: 'open' };

/**
 * With a master key, every call needs it or a current virtual key (401 otherwise). Without one the gateway
 * is open, but a virtual key that is presented still brings its limits, and an expired or blocked one is refused.
 */
export function identifyCaller(headers: IncomingHttpHeaders, masterKey: string | undefined, keys: KeyStore | undefined, now?: number): Caller {
  const presented = presentedKey(headers);
  if (masterKey) {
    if (!presented) {
      throw new GatewayError(401, 'Missing API key. Send it as `Authorization: Bearer <key>` (or an `x-api-key` / `api-key` header).', {
        code: 'missing_api_key',
      });
    }
    if (sameSecret(presented, masterKey)) return { kind: 'master' };
    if (!keys) throw new GatewayError(401, 'Invalid API key.', { code: 'invalid_api_key' });
    return { kind: 'virtual', key: keys.verify(presented, now) };
  }
  if (!presented || !keys) return { kind: 'open' };
  try {
    return { kind: 'virtual', key: keys.verify(presented, now) };
  } catch (err) {
    if (err instanceof GatewayError && err.code === 'invalid_api_key') return { kind: 'open' };
    throw err;
  }
}

/** Admin routes take only the master key; a gateway without one has no admin API. */
export function requireAdminCaller(caller: Caller): void {
  if (caller.kind === 'master') return;
  if (caller.kind === 'virtual') {
    throw new GatewayError(403, 'This route needs the master key; a virtual key may call models and read its own /key/info.', { code: 'admin_only' });
  }
  throw new GatewayError(401, 'Admin routes need a master key: set general_settings.master_key (or LITELLM_MASTER_KEY) and send it.', {
    code: 'master_key_not_set',
  });
}
