/**
 * One request through the router: pick a deployment of the group (skipping cooling ones; when all are
 * cooling, moving on to the next fallback group at once if there is one, else waiting for the first to
 * recover), retry with backoff, then fall back along LiteLLM's
 * chains — `context_window_fallbacks` for a context overflow, `content_policy_fallbacks` for a
 * content-policy refusal, `fallbacks` (or `default_fallbacks`) for anything a deployment got wrong.
 * A client's own mistake (any other 400) is neither retried nor fallen back from.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DeploymentRefusal, GatewayError } from '../core/errors.ts';
import type { Deployment, Usage } from '../providers/types.ts';
import type { CallLifetime } from '../proxy/call-lifetime.ts';
import type { DeploymentHealth } from './deployment-health.ts';
import type { ModelGroup, ModelRouter } from './model-router.ts';
import { anyFallback, failureKind, fallbackChain, resolveFallback, type FailureKind } from './fallback-chain.ts';
import { pickByStrategy } from './pick-deployment.ts';
import { NO_LIMIT_PERMIT, needsAdmission, type DeploymentLimits, type Permit } from './deployment-limits.ts';
import type { RouterSettings } from './router-settings.ts';
import type { Logger } from '../observe/logger.ts';

/** What the router reads of one attempt's call: where it went, and its usage once known. */
export interface RoutableCall {
  readonly deployment: Deployment;
  /** The model group the deployment serves the call for. */
  readonly modelGroup: string;
  usage?: Usage | undefined;
}

export interface RouteRequest<C extends RoutableCall, T> {
  router: ModelRouter;
  settings: RouterSettings;
  health: DeploymentHealth;
  requestId: string;
  /** The model group asked for (after the key's aliases). */
  modelName: string | undefined;
  lifetime: CallLifetime;
  /**
   * The call for the deployment the router picked, made per attempt: a surface may call deployments of
   * different providers differently (natively, or translated), and a fallback may cross providers.
   * Throws (outside the failure accounting) for a request no deployment could take.
   */
  prepare: (deployment: Deployment, modelGroup: string) => C;
  /**
   * Runs before each attempt, outside the failure accounting: budget admission throws from here, ending the
   * request, except for a DeploymentRefusal, which moves the request to another deployment or fallback.
   */
  beforeAttempt?: (call: C) => void;
  /** Per-deployment rpm/tpm admission (absent: no queueing). */
  limits?: DeploymentLimits;
  /** Tokens the call is expected to use, for tpm; computed only for deployments with a tpm. */
  estimateTokens?: () => number;
  /** One attempt, with its own lifetime (its timeout ends the attempt, not the request). */
  attempt: (call: C, lifetime: CallLifetime) => Promise<T>;
  /** Failed attempts and fallbacks at debug, so the live tail shows why a request was served elsewhere. */
  logger?: Logger;
}

/** The parts of a request the choice, backoff and queue steps read (none depends on the call's type). */
type RouteBasics = Pick<RouteRequest<RoutableCall, unknown>, 'health' | 'settings' | 'lifetime' | 'limits' | 'estimateTokens'>;

/** Waits for `ms` unless the client leaves first (then the wait ends and the caller finds out). */
function pause(ms: number, lifetime: CallLifetime): Promise<void> {
  return sleep(ms, undefined, { signal: lifetime.signal }).catch(() => undefined);
}

/**
 * A ready deployment of the group. When all are cooling: waits for the first to recover only if the request has
 * nowhere else to go (`elsewhere`: a fallback group after this one) and the wait fits its deadline; else refuses.
 */
async function chooseDeployment(
  group: ModelGroup,
  candidates: readonly Deployment[],
  r: RouteBasics,
  deadline: number,
  elsewhere: () => boolean,
): Promise<Deployment> {
  for (;;) {
    const now = Date.now();
    const ready = candidates.filter((d) => r.health.coolingUntil(d.id, now) === undefined);
    if (ready.length) return pickByStrategy(ready, r.settings.strategy, r.health);
    const soonest = Math.min(...candidates.map((d) => r.health.coolingUntil(d.id, now) ?? now));
    if (soonest > deadline || r.lifetime.reason !== undefined || elsewhere()) {
      throw new GatewayError(429, `Every deployment of \`${group.modelName}\` is cooling down after failures; try again shortly.`, {
        type: 'rate_limit_error',
        code: 'all_deployments_cooling',
        headers: { 'retry-after': String(Math.max(1, Math.ceil((soonest - now) / 1000))) },
      });
    }
    await pause(soonest - now, r.lifetime);
  }
}

/**
 * Before a retry: none when another deployment is ready, else a short exponential backoff (Retry-After wins).
 * None either when every deployment is cooling and a fallback group waits: the retry will go there.
 */
async function backoff(err: GatewayError, attempt: number, group: ModelGroup, r: RouteBasics, deadline: number, elsewhere: () => boolean): Promise<void> {
  const now = Date.now();
  const others = group.deployments.some((d) => r.health.coolingUntil(d.id, now) === undefined);
  if (!others && elsewhere()) return;
  const retryAfterMs = 1000 * (Number(err.headers['retry-after']) || 0);
  const wait = Math.max(1000 * r.settings.retryAfterS, others ? 0 : Math.max(retryAfterMs, Math.min(2000, 100 * 2 ** attempt)));
  if (wait > 0 && now + wait < deadline) await pause(wait, r.lifetime);
}

export interface Routed<C, T> {
  call: C;
  result: T;
  /** The deployment's rpm/tpm permit: settle it with the call's real tokens once known. */
  permit: Permit;
}

const QUEUE_REFUSALS = new Set(['deployment_queue_full', 'deployment_queue_timeout']);

/** Waits in the deployment's rpm/tpm queue if it has limits; a refusal is the gateway's, not the deployment's. */
async function admit(deployment: Deployment, r: RouteBasics, deadline: number): Promise<Permit | GatewayError> {
  if (!r.limits || !needsAdmission(deployment)) return NO_LIMIT_PERMIT;
  try {
    return await r.limits.acquire(deployment, r.estimateTokens ?? 0, r.lifetime, { ...r.settings.queue, remainingMs: deadline - Date.now() });
  } catch (err) {
    if (err instanceof GatewayError && err.code !== null && QUEUE_REFUSALS.has(err.code)) return err;
    throw err;
  }
}

/** The candidates that have not failed this request and are ready now; all candidates when there are none. */
function untried(candidates: readonly Deployment[], failed: ReadonlySet<string>, health: DeploymentHealth): readonly Deployment[] {
  if (failed.size === 0) return candidates;
  const now = Date.now();
  const fresh = candidates.filter((d) => !failed.has(d.id) && health.coolingUntil(d.id, now) === undefined);
  return fresh.length > 0 ? fresh : candidates;
}

/**
 * Tries one group: its deployments, with retries. Returns the result, or the error that ended it. `elsewhere`:
 * a fallback group comes after this one, so a group whose deployments are all cooling is left at once.
 */
async function tryGroup<C extends RoutableCall, T>(
  group: ModelGroup,
  r: RouteRequest<C, T>,
  deadline: number,
  elsewhere: () => boolean,
): Promise<Routed<C, T> | { error: GatewayError; kind: FailureKind }> {
  let last: { error: GatewayError; kind: FailureKind } | undefined;
  // Deployments whose queue or admission refused this request: tried no more, and no retry is spent on them.
  const refused = new Set<string>();
  // Deployments that failed this request: a retry goes elsewhere while another one is ready.
  const failed = new Set<string>();
  for (let attempt = 0; attempt <= r.settings.numRetries; attempt++) {
    const candidates = group.deployments.filter((d) => !refused.has(d.id));
    if (candidates.length === 0) return last!;
    let deployment: Deployment;
    try {
      deployment = await chooseDeployment(group, untried(candidates, failed, r.health), r, deadline, elsewhere);
    } catch (err) {
      if (err instanceof GatewayError) return { error: err, kind: 'deployment' };
      throw err;
    }
    const call = r.prepare(deployment, group.modelName);
    try {
      r.beforeAttempt?.(call);
    } catch (err) {
      // This deployment cannot take the request (nothing was sent): another one of the group, or a fallback, may.
      if (!(err instanceof DeploymentRefusal)) throw err;
      refused.add(deployment.id);
      last = { error: err, kind: 'deployment' };
      attempt--;
      continue;
    }
    const permit = await admit(deployment, r, deadline);
    if (permit instanceof GatewayError) {
      refused.add(deployment.id);
      last = { error: permit, kind: 'deployment' };
      attempt--;
      continue;
    }
    r.health.started(deployment.id);
    const started = performance.now();
    const attemptLifetime = r.lifetime.child();
    try {
      const result = await r.attempt(call, attemptLifetime);
      r.health.succeeded(deployment.id, performance.now() - started, call.usage?.total_tokens ?? 0);
      return { call, result, permit };
    } catch (err) {
      permit.settle(call.usage?.total_tokens ?? 0);
      // A failed attempt is over; a successful one stays tied to the request (a stream is still running).
      r.lifetime.release(attemptLifetime);
      if (!(err instanceof GatewayError)) {
        r.health.abandoned(deployment.id);
        throw err;
      }
      const kind = failureKind(err);
      // Only what the deployment got wrong counts against it; a context overflow or refusal is the prompt's.
      if (kind === 'deployment') {
        r.health.failed(deployment.id, err, r.settings);
        failed.add(deployment.id);
      } else r.health.abandoned(deployment.id);
      last = { error: err, kind };
      const retrying = kind === 'deployment' && r.lifetime.reason === undefined && attempt < r.settings.numRetries;
      if (r.logger?.isLevelEnabled('debug')) {
        r.logger.debug(
          {
            requestId: r.requestId,
            model: group.modelName,
            deployment: `${deployment.provider}/${deployment.upstreamModel}`,
            deploymentId: deployment.id,
            status: err.status,
            failure: kind,
            retrying,
            error: err.message,
          },
          'attempt failed',
        );
      }
      if (kind !== 'deployment' || r.lifetime.reason !== undefined) return last;
      if (retrying) await backoff(err, attempt, group, r, deadline, elsewhere);
    }
  }
  return last!;
}

export async function routeCall<C extends RoutableCall, T>(r: RouteRequest<C, T>): Promise<Routed<C, T>> {
  const deadline = Date.now() + 1000 * r.settings.requestTimeoutS;
  const first = r.router.resolve(r.modelName);
  const tried = new Set([first.modelName]);
  // A group that is all cooling fails as a deployment failure, so the chain that counts for it is `fallbacks`.
  const outcome = await tryGroup(first, r, deadline, anyFallback(r.router, fallbackChain(first.modelName, 'deployment', r.settings), tried));
  if ('result' in outcome) return outcome;
  let failure = outcome;
  const chain = fallbackChain(first.modelName, outcome.kind, r.settings);
  for (const [index, name] of chain.entries()) {
    if (tried.has(name) || r.lifetime.reason !== undefined) continue;
    tried.add(name);
    const group = resolveFallback(r.router, name);
    if (!group) continue;
    if (r.logger?.isLevelEnabled('debug'))
      r.logger.debug({ requestId: r.requestId, from: first.modelName, to: group.modelName, failure: failure.kind }, 'falling back');
    const next = await tryGroup(group, r, deadline, anyFallback(r.router, chain.slice(index + 1), tried));
    if ('result' in next) return next;
    failure = next;
  }
  throw failure.error;
}
