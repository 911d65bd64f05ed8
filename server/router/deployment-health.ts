/**
 * What the router knows about each deployment from live traffic: cooldowns (LiteLLM's allowed_fails
 * within a minute, or a 429 with its Retry-After), requests in flight, latency and recent tokens.
 * Kept by deployment id across config reloads, so a reload does not forgive a failing deployment.
 */
import type { GatewayError } from '../http/errors.ts';

const MINUTE_MS = 60_000;
/** Weight of the newest sample in the latency average. */
const LATENCY_SMOOTHING = 0.2;

interface DeploymentState {
  failures: number[];
  coolUntil: number;
  inFlight: number;
  latencyMs: number | undefined;
  tokens: { at: number; n: number }[];
  successes: number;
  errors: number;
  lastError: string | undefined;
}

export class DeploymentHealth {
  private readonly states = new Map<string, DeploymentState>();

  private stateOf(id: string): DeploymentState {
    let state = this.states.get(id);
    if (!state) {
      state = { failures: [], coolUntil: 0, inFlight: 0, latencyMs: undefined, tokens: [], successes: 0, errors: 0, lastError: undefined };
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
  }

  /** A failed call: cools the deployment down after a 429, or after more than `allowedFails` failures in a minute. */
  failed(id: string, error: GatewayError, policy: { allowedFails: number; cooldownS: number }, now = Date.now()): void {
    const state = this.stateOf(id);
    state.inFlight = Math.max(0, state.inFlight - 1);
    state.errors++;
    state.lastError = error.message;
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
}
