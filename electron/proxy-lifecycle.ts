/**
 * The proxy lifecycle as a pure state machine: `transition(machine, event)` → the next machine and the effects
 * the host must carry out (spawn the utility process, ask it to stop, schedule a retry, probe the port).
 * gateway-host.ts executes the effects and feeds the outcomes back as events; the tray menu renders the state.
 *
 *   stopped ─start→ starting ─started→ running ─stop→ stopping ─exited→ stopped
 *                     │  └─port-in-use→ port-conflict (probe: ours-stale | gateway | foreign) ─start→ starting
 *                     └─start-failed→ failed ─start→ starting
 *   running/starting ─exited (crash)→ restarting ─(1 s, 2 s, 4 s … 30 s)→ starting
 *
 * A crash after a stable run (≥ stableAfterMs running) starts the backoff over at 1 s.
 */
import type { PortConflict, PortOwner } from './port-policy.ts';

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A run at least this long resets the backoff. */
  stableAfterMs: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = Object.freeze({ initialMs: 1000, maxMs: 30_000, stableAfterMs: 60_000 });

/** Delay before restart attempt `n` (1-based): initial · 2^(n-1), capped. */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(n - 1, 30));
}

export type ProxyState =
  | { status: 'stopped' }
  | { status: 'starting'; port: number }
  | { status: 'running'; port: number; url: string; since: number }
  | { status: 'stopping'; port: number; afterStop?: { restartOn: number } }
  | { status: 'restarting'; port: number; attempt: number; delayMs: number; retryAt: number; reason: string }
  | { status: 'port-conflict'; port: number; owner: PortOwner | 'checking'; pid?: number }
  | { status: 'failed'; port: number; message: string };

export interface ProxyMachine {
  state: ProxyState;
  /** Crashes since the app started. */
  crashes: number;
  /** Crashes in a row without a stable run in between: drives the backoff. */
  consecutiveCrashes: number;
  lastCrash?: { at: number; reason: string };
}

export type ProxyEvent =
  | { type: 'start'; port: number }
  | { type: 'stop' }
  /** The utility process answered `start` with a listening gateway. */
  | { type: 'started'; url: string; port: number; at: number }
  | { type: 'port-in-use'; port: number }
  /** The gateway could not start for another reason (an invalid config.yaml, an unusable keychain…). */
  | { type: 'start-failed'; message: string }
  | { type: 'port-owner'; port: number; owner: PortOwner; pid?: number }
  /** The utility process is gone (asked to stop, or crashed). */
  | { type: 'exited'; code: number | null; at: number }
  | { type: 'retry-due'; at: number };

export type ProxyEffect =
  | { type: 'spawn'; port: number }
  | { type: 'request-stop' }
  | { type: 'schedule-retry'; delayMs: number }
  | { type: 'cancel-retry' }
  | { type: 'probe-port'; port: number };

export function initialMachine(): ProxyMachine {
  return { state: { status: 'stopped' }, crashes: 0, consecutiveCrashes: 0 };
}

/** Whether the user wants the gateway up in this state (the tray shows "Stop proxy"). */
export function isActive(state: ProxyState): boolean {
  return state.status === 'starting' || state.status === 'running' || state.status === 'restarting';
}

/**
 * The state a launch that should show the dashboard waits for: running, or a reason it is not (a failed start,
 * a port conflict whose owner is known).
 */
export function isSettled(state: ProxyState): boolean {
  return state.status === 'running' || state.status === 'failed' || (state.status === 'port-conflict' && state.owner !== 'checking');
}

/** Our own earlier gateway holding the port ("Stop it" is offered), or undefined in any other state. */
export function staleInstance(state: ProxyState): PortConflict | undefined {
  if (state.status !== 'port-conflict' || state.owner !== 'ours-stale' || state.pid === undefined) return undefined;
  return { port: state.port, owner: 'ours-stale', pid: state.pid };
}

function crash(
  machine: ProxyMachine,
  port: number,
  event: { code: number | null; at: number },
  stableRun: boolean,
  policy: BackoffPolicy,
): { machine: ProxyMachine; effects: ProxyEffect[] } {
  const consecutive = stableRun ? 1 : machine.consecutiveCrashes + 1;
  const delayMs = backoffDelay(consecutive, policy);
  const reason = event.code === null ? 'the gateway process was killed' : `the gateway process exited with code ${event.code}`;
  return {
    machine: {
      ...machine,
      crashes: machine.crashes + 1,
      consecutiveCrashes: consecutive,
      lastCrash: { at: event.at, reason },
      state: { status: 'restarting', port, attempt: consecutive, delayMs, retryAt: event.at + delayMs, reason },
    },
    effects: [{ type: 'schedule-retry', delayMs }],
  };
}

const same = (machine: ProxyMachine) => ({ machine, effects: [] as ProxyEffect[] });

export function transition(
  machine: ProxyMachine,
  event: ProxyEvent,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): { machine: ProxyMachine; effects: ProxyEffect[] } {
  const { state } = machine;
  const to = (next: ProxyState, effects: ProxyEffect[] = [], extra: Partial<ProxyMachine> = {}) => ({
    machine: { ...machine, ...extra, state: next },
    effects,
  });

  switch (event.type) {
    case 'start':
      switch (state.status) {
        case 'stopped':
        case 'failed':
        case 'port-conflict':
          // A start by the user begins a fresh backoff series.
          return to({ status: 'starting', port: event.port }, [{ type: 'spawn', port: event.port }], { consecutiveCrashes: 0 });
        case 'restarting':
          return to({ status: 'starting', port: event.port }, [{ type: 'cancel-retry' }, { type: 'spawn', port: event.port }]);
        case 'stopping':
          // Start again once the old process is gone (e.g. "Choose port" while running).
          return to({ ...state, afterStop: { restartOn: event.port } });
        case 'starting':
        case 'running':
          // Already up on some port: a different port means restart there.
          if (state.port === event.port) return same(machine);
          return to({ status: 'stopping', port: state.port, afterStop: { restartOn: event.port } }, [{ type: 'request-stop' }]);
      }
      break;

    case 'stop':
      switch (state.status) {
        case 'starting':
        case 'running':
          return to({ status: 'stopping', port: state.port }, [{ type: 'request-stop' }]);
        case 'stopping':
          return to({ status: 'stopping', port: state.port });
        case 'restarting':
          return to({ status: 'stopped' }, [{ type: 'cancel-retry' }]);
        case 'failed':
        case 'port-conflict':
          return to({ status: 'stopped' });
        case 'stopped':
          return same(machine);
      }
      break;

    case 'started':
      if (state.status !== 'starting') return same(machine);
      return to({ status: 'running', port: event.port, url: event.url, since: event.at });

    case 'port-in-use':
      if (state.status !== 'starting') return same(machine);
      // The host stops the idle utility process; the port is never switched silently.
      return to({ status: 'port-conflict', port: event.port, owner: 'checking' }, [{ type: 'request-stop' }, { type: 'probe-port', port: event.port }]);

    case 'start-failed':
      if (state.status !== 'starting') return same(machine);
      return to({ status: 'failed', port: state.port, message: event.message }, [{ type: 'request-stop' }]);

    case 'port-owner':
      if (state.status !== 'port-conflict' || state.port !== event.port) return same(machine);
      return to({ status: 'port-conflict', port: event.port, owner: event.owner, ...(event.pid !== undefined ? { pid: event.pid } : {}) });

    case 'exited':
      switch (state.status) {
        case 'stopping':
          if (state.afterStop)
            return to({ status: 'starting', port: state.afterStop.restartOn }, [{ type: 'spawn', port: state.afterStop.restartOn }], { consecutiveCrashes: 0 });
          return to({ status: 'stopped' });
        case 'running':
          return crash(machine, state.port, event, event.at - state.since >= policy.stableAfterMs, policy);
        case 'starting':
          return crash(machine, state.port, event, false, policy);
        default:
          // The utility process of a failed start or a port conflict going away: expected.
          return same(machine);
      }

    case 'retry-due':
      if (state.status !== 'restarting') return same(machine);
      return to({ status: 'starting', port: state.port }, [{ type: 'spawn', port: state.port }]);
  }
  return same(machine);
}
