/**
 * Who the caller is, for the routes outside the admin scope: the master key, a virtual key, or nobody (no master
 * key set). Admin routes are checked by the admin scope's door (admin-scope.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { identifyCaller, type Caller } from '../keys/caller.ts';
import type { Runtime } from './runtime.ts';

export function callerOf(runtime: Runtime, headers: IncomingHttpHeaders): Caller {
  return identifyCaller(headers, runtime.state.masterKey, runtime.services.keys);
}
