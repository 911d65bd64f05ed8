/**
 * What the router knows about each deployment from live traffic: cooldowns (LiteLLM's allowed_fails
 * within a minute, or a 429 with its Retry-After), requests in flight, latency and recent tokens.
 * Kept by deployment id across config reloads, so a reload does not forgive a failing deployment. A wildcard
 * deployment's concrete copies have ids of their own (model-router.ts), so each model it serves has its own record.
 *
 * For the dashboard (passive health): the outcomes of the last 5 minutes, at most the last 200 calls
 * (success rate, latency p50/p95 of the successful ones), the last error (masked), and the last
 * active check (/health or the background checks).
 */
import type { GatewayError } from '../core/errors.ts';
import { maskKeysIn } from '../observe/mask-keys.ts';
import type { Deployment } from '../providers/types.ts';
import { toSnapshot, type DeploymentSnapshot } from './deployment-snapshot.ts';
import { parseWildcardCopyId } from './model-router.ts';
import { OutcomeRing } from './outcome-ring.ts';
import type { CheckResult, DeploymentView, LastError } from './deployment-view.ts';

export type { CheckResult, DeploymentView, LastError };

const MINUTE_MS = 60_000;
/** Weight of the newest sample in the latency average. */
const LATENCY_SMOOTHING = 0.2;
/** The passive-health window: calls of the last 5 minutes… */
export const STATS_WINDOW_MS = 5 * MINUTE_MS;
/** …at most this many (the newest). */
export const STATS_WINDOW_CALLS = 200;
/** Upstream error messages are cut to this length for the dashboard. */
const MAX_ERROR_CHARS = 500;

interface DeploymentState {
  failures: number[];
  coolUntil: number;
  inFlight: number;
  latencyMs: number | undefined;
  tokens: { at: number; n: number }[];
  successes: number;
  errors: number;
  recent: OutcomeRing;
  lastError: LastError | undefined;
  lastCheck: CheckResult | undefined;
}

export class DeploymentHealth {
  private readonly states = new Map<string, DeploymentState>();

  private stateOf(id: string): DeploymentState {
    let state = this.states.get(id);
    if (!state) {
      state = {
        failures: [],
        coolUntil: 0,
        inFlight: 0,
        latencyMs: undefined,
        tokens: [],
        successes: 0,
        errors: 0,
        recent: new OutcomeRing(STATS_WINDOW_CALLS),
        lastError: undefined,
        lastCheck: undefined,
      };
      this.states.set(id, state);
    }
    return state;
  }

  coolingUntil(id: string, now = Date.now()): number | undefined {
    const until = this.states.get(id)?.coolUntil ?? 0;
    return until > now ? until : undefined;
  }

  started(id: string): void {
    this.stateOf(id).inFlight++;
  }

  succeeded(id: string, latencyMs: number, tokens: number, now = Date.now()): void {
    const state = this.stateOf(id);
    state.inFlight = Math.max(0, state.inFlight - 1);
    state.successes++;
    state.latencyMs = state.latencyMs === undefined ? latencyMs : state.latencyMs + LATENCY_SMOOTHING * (latencyMs - state.latencyMs);
    if (tokens > 0) state.tokens.push({ at: now, n: tokens });
    state.recent.push(now, true, latencyMs);
  }

  /** A failed call: cools the deployment down after a 429, or after more than `allowedFails` failures in a minute. */
  failed(id: string, error: GatewayError, policy: { allowedFails: number; cooldownS: number }, now = Date.now()): void {
    const state = this.stateOf(id);
    state.inFlight = Math.max(0, state.inFlight - 1);
    state.errors++;
    state.lastError = { message: maskKeysIn(error.message).slice(0, MAX_ERROR_CHARS), status: error.status, at: now };
    state.recent.push(now, false);
    state.failures = state.failures.filter((at) => at > now - MINUTE_MS);
    state.failures.push(now);
    const retryAfterS = Number(error.headers['retry-after']);
    if (error.status === 429) {
      state.coolUntil = now + 1000 * (Number.isFinite(retryAfterS) && retryAfterS > 0 ? retryAfterS : policy.cooldownS);
    } else if (state.failures.length > policy.allowedFails) {
      state.coolUntil = now + 1000 * policy.cooldownS;
    }
  }

  /** The call ended without a verdict on the deployment (the client left). */
  abandoned(id: string): void {
    const state = this.stateOf(id);
    state.inFlight = Math.max(0, state.inFlight - 1);
  }

  inFlight(id: string): number {
    return this.states.get(id)?.inFlight ?? 0;
  }

  latencyMs(id: string): number | undefined {
    return this.states.get(id)?.latencyMs;
  }

  tokensLastMinute(id: string, now = Date.now()): number {
    const state = this.states.get(id);
    if (!state) return 0;
    state.tokens = state.tokens.filter((t) => t.at > now - MINUTE_MS);
    return state.tokens.reduce((sum, t) => sum + t.n, 0);
  }

  /** Records an active check's outcome (its error is masked here). */
  checked(id: string, result: CheckResult): void {
    const error = result.error === undefined ? {} : { error: maskKeysIn(result.error).slice(0, MAX_ERROR_CHARS) };
    this.stateOf(id).lastCheck = { ...result, ...error };
  }

  lastCheck(id: string): CheckResult | undefined {
    return this.states.get(id)?.lastCheck;
  }

  view(id: string, now = Date.now()): DeploymentView {
    const state = this.states.get(id);
    return {
      now,
      coolUntil: state?.coolUntil ?? 0,
      inFlight: state?.inFlight ?? 0,
      window: state?.recent.summary(now - STATS_WINDOW_MS) ?? { requests: 0, errors: 0, latencies: [], last: undefined },
      totalSuccesses: state?.successes ?? 0,
      totalErrors: state?.errors ?? 0,
      lastError: state?.lastError,
      lastCheck: state?.lastCheck,
    };
  }

  /**
   * Passive and active health of these deployments, for the dashboard (GET /admin/deployments/health). A
   * wildcard deployment is followed by the concrete models it has served (their own ids, by id), since each
   * has health and cooldown of its own.
   */
  snapshot(deployments: readonly Deployment[], now = Date.now()): DeploymentSnapshot[] {
    return deployments.flatMap((d) => [toSnapshot(d, this.view(d.id, now)), ...this.copiesOf(d).map((copy) => toSnapshot(copy, this.view(copy.id, now)))]);
  }

  /** The concrete copies of a wildcard deployment (`openai/*`) that have a record here. */
  private copiesOf(d: Deployment): Deployment[] {
    if (!d.upstreamModel.includes('*')) return [];
    const copies: Deployment[] = [];
    for (const id of this.states.keys()) {
      const upstreamModel = parseWildcardCopyId(id, d.id);
      if (upstreamModel !== undefined) copies.push({ ...d, id, upstreamModel });
    }
    return copies.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
