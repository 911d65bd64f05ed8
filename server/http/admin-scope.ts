/**
 * The admin API's one door. Every admin route — LiteLLM's /key/*, /spend/*, /model/*, the gateway's /admin/*,
 * /metrics — is registered inside this one encapsulated plugin, whose onRequest hook checks the master key
 * before the body is read, parsed or validated: a caller without it learns nothing about the API (a keyless
 * request with a malformed body is a 401, never a 400), and a route added here cannot forget the check.
 * Without a configured master key there is no admin API: every admin route answers 401.
 *
 * The only way past the door without the master key is a named exception below, never a route left outside.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { identifyCaller, requireAdminCaller } from '../keys/caller.ts';
import type { KeyStore } from '../keys/key-store.ts';
import { presentedKey } from '../keys/presented-key.ts';
import type { VirtualKey } from '../keys/virtual-key.ts';

/** What the door checks against; functions, because a reload or a rotation changes the master key. */
export interface AdminCredentials {
  /** The master key in force; undefined: no admin API. */
  masterKey: () => string | undefined;
  keys: () => KeyStore;
}

/** Who came through the door: the master key, or (on an OWN_KEY_ROUTES route only) a virtual key asking about itself. */
export type AdminCaller = { kind: 'master' } | { kind: 'own-key'; key: VirtualKey };

/**
 * The named exceptions: routes a current virtual key may call too, each answering about that key only
 * (the handler refuses, 403, a virtual key that names another key).
 *
 * - GET /key/info — LiteLLM lets a key read its own info (spend, budget, limits, expiry), so a client holding
 *   only its virtual key can see what it has left; scripts written for LiteLLM rely on it.
 */
export const OWN_KEY_ROUTES: ReadonlySet<string> = new Set(['/key/info']);

const admitted = new WeakMap<FastifyRequest, AdminCaller>();

/** The caller the door let in (for the exceptions' handlers, which answer a virtual key about itself). */
export function adminCallerOf(request: FastifyRequest): AdminCaller {
  const caller = admitted.get(request);
  if (!caller) throw new Error(`${request.method} ${request.url} is not registered inside the admin scope.`);
  return caller;
}

/** Registers `routes` behind the door. */
export function registerAdminScope(app: FastifyInstance, credentials: AdminCredentials, routes: (scope: FastifyInstance) => void): void {
  void app.register(async (scope) => {
    scope.addHook('onRequest', async (request) => {
      admitted.set(request, admit(request, credentials));
    });
    routes(scope);
  });
}

/**
 * The master key passes (401 without a key or with a wrong one, 403 for a virtual key, 401 when no master key
 * is configured). On an OWN_KEY_ROUTES route a refused caller that presents a current virtual key passes as
 * that key; any other presented key is a 401 (expired, blocked or unknown).
 */
function admit(request: FastifyRequest, credentials: AdminCredentials): AdminCaller {
  try {
    requireAdminCaller(identifyCaller(request.headers, credentials.masterKey(), credentials.keys()));
    return { kind: 'master' };
  } catch (refusal) {
    const presented = presentedKey(request.headers);
    if (presented === undefined || !OWN_KEY_ROUTES.has(request.routeOptions.url ?? '')) throw refusal;
    return { kind: 'own-key', key: credentials.keys().verify(presented) };
  }
}
