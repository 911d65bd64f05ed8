/**
 * Who the caller is, for the routes outside the admin scope: the master key, a virtual key, or nobody (no master
 * key set). Admin routes are checked by the admin scope's door (admin-scope.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { identifyCaller, type Caller } from '../keys/caller.ts';
import { resolveKeyModel } from '../keys/model-access.ts';
import type { Runtime } from './runtime.ts';

export function callerOf(runtime: Runtime, headers: IncomingHttpHeaders): Caller {
  return identifyCaller(headers, runtime.state.masterKey, runtime.services.keys);
}

/** The model group a caller may ask for by this name: a virtual key's aliases apply, and its model list (403). */
export function modelFor<T extends string | undefined>(caller: Caller, requested: T): T {
  return (caller.kind === 'virtual' && requested !== undefined ? resolveKeyModel(caller.key, requested) : requested) as T;
}
