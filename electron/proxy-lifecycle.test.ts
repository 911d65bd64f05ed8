import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  initialMachine,
  isActive,
  isSettled,
  staleInstance,
  transition,
  type ProxyEvent,
  type ProxyMachine,
} from './proxy-lifecycle.ts';

function run(events: ProxyEvent[], start: ProxyMachine = initialMachine()) {
  let machine = start;
  const effects = [];
  for (const event of events) {
    const next = transition(machine, event);
    machine = next.machine;
    effects.push(...next.effects);
  }
  return { machine, effects };
}

const started = (at = 0, port = 4000): ProxyEvent => ({ type: 'started', url: `http://127.0.0.1:${port}`, port, at });

describe('backoff', () => {
  it('doubles from 1 s and caps at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelay(n))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(backoffDelay(0)).toBe(1000);
    expect(backoffDelay(1e9)).toBe(30_000);
    expect(backoffDelay(3, { initialMs: 100, maxMs: 250, stableAfterMs: 1 })).toBe(250);
  });
});

describe('proxy lifecycle', () => {
  it('stopped → starting → running → stopping → stopped', () => {
    let step = transition(initialMachine(), { type: 'start', port: 4000 });
    expect(step.machine.state).toEqual({ status: 'starting', port: 4000 });
    expect(step.effects).toEqual([{ type: 'spawn', port: 4000 }]);
    step = transition(step.machine, started(5));
    expect(step.machine.state).toEqual({ status: 'running', port: 4000, url: 'http://127.0.0.1:4000', since: 5 });
    expect(isActive(step.machine.state)).toBe(true);
    step = transition(step.machine, { type: 'stop' });
    expect(step.machine.state.status).toBe('stopping');
    expect(step.effects).toEqual([{ type: 'request-stop' }]);
    step = transition(step.machine, { type: 'exited', code: 0, at: 10 });
    expect(step.machine.state).toEqual({ status: 'stopped' });
    expect(step.machine.crashes).toBe(0);
  });

  it('a crash restarts with growing backoff, and a start resumes it', () => {
    let { machine, effects } = run([{ type: 'start', port: 4000 }, started(0), { type: 'exited', code: 1, at: 1000 }]);
    expect(machine.state).toMatchObject({ status: 'restarting', port: 4000, attempt: 1, delayMs: 1000, retryAt: 2000 });
    expect(machine.state.status === 'restarting' && machine.state.reason).toContain('code 1');
    expect(effects.at(-1)).toEqual({ type: 'schedule-retry', delayMs: 1000 });
    expect(machine.crashes).toBe(1);

    ({ machine, effects } = run([{ type: 'retry-due', at: 2000 }], machine));
    expect(machine.state).toEqual({ status: 'starting', port: 4000 });
    expect(effects).toEqual([{ type: 'spawn', port: 4000 }]);

    // Crashes while starting (or soon after) keep doubling the delay.
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      ({ machine } = run([{ type: 'exited', code: null, at: 3000 + i }], machine));
      if (machine.state.status === 'restarting') delays.push(machine.state.delayMs);
      ({ machine } = run([{ type: 'retry-due', at: 4000 + i }], machine));
    }
    expect(delays).toEqual([2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(machine.crashes).toBe(8);
    expect(machine.lastCrash?.reason).toContain('killed');
  });

  it('a stable run resets the backoff; a short one does not', () => {
    let { machine } = run([
      { type: 'start', port: 4000 },
      started(0),
      { type: 'exited', code: 1, at: 10 },
      { type: 'retry-due', at: 1010 },
      started(1020),
      { type: 'exited', code: 1, at: 2000 },
    ]);
    expect(machine.state).toMatchObject({ status: 'restarting', attempt: 2, delayMs: 2000 });
    ({ machine } = run([{ type: 'retry-due', at: 4000 }, started(4000), { type: 'exited', code: 1, at: 4000 + DEFAULT_BACKOFF.stableAfterMs }], machine));
    expect(machine.state).toMatchObject({ status: 'restarting', attempt: 1, delayMs: 1000 });
    expect(machine.crashes).toBe(3);
  });

  it('stop while restarting cancels the retry; start while restarting starts now', () => {
    const crashed = run([{ type: 'start', port: 4000 }, started(0), { type: 'exited', code: 1, at: 1 }]).machine;
    const stopped = transition(crashed, { type: 'stop' });
    expect(stopped.machine.state).toEqual({ status: 'stopped' });
    expect(stopped.effects).toEqual([{ type: 'cancel-retry' }]);
    const now = transition(crashed, { type: 'start', port: 4000 });
    expect(now.machine.state).toEqual({ status: 'starting', port: 4000 });
    expect(now.effects).toEqual([{ type: 'cancel-retry' }, { type: 'spawn', port: 4000 }]);
    // A late retry timer after the stop does nothing.
    expect(transition(stopped.machine, { type: 'retry-due', at: 5 }).machine.state).toEqual({ status: 'stopped' });
  });

  it('port in use → port-conflict, probed, never another port; retry starts on the same port', () => {
    let step = transition(run([{ type: 'start', port: 4000 }]).machine, { type: 'port-in-use', port: 4000 });
    expect(step.machine.state).toEqual({ status: 'port-conflict', port: 4000, owner: 'checking' });
    expect(step.effects).toEqual([{ type: 'request-stop' }, { type: 'probe-port', port: 4000 }]);
    // The idle utility process leaving is expected, not a crash.
    step = transition(step.machine, { type: 'exited', code: 0, at: 1 });
    expect(step.machine.state.status).toBe('port-conflict');
    expect(step.machine.crashes).toBe(0);
    step = transition(step.machine, { type: 'port-owner', port: 4000, owner: 'ours-stale', pid: 1234 });
    expect(step.machine.state).toEqual({ status: 'port-conflict', port: 4000, owner: 'ours-stale', pid: 1234 });
    // A late answer about another port is ignored.
    expect(transition(step.machine, { type: 'port-owner', port: 4001, owner: 'foreign' }).machine).toBe(step.machine);
    step = transition(step.machine, { type: 'start', port: 4000 });
    expect(step.machine.state).toEqual({ status: 'starting', port: 4000 });
    expect(step.effects).toEqual([{ type: 'spawn', port: 4000 }]);
  });

  it('a failed start (bad config) waits for the user instead of restarting', () => {
    let step = transition(run([{ type: 'start', port: 4000 }]).machine, { type: 'start-failed', message: 'config.yaml: model_list[0] needs a model' });
    expect(step.machine.state).toEqual({ status: 'failed', port: 4000, message: 'config.yaml: model_list[0] needs a model' });
    expect(step.effects).toEqual([{ type: 'request-stop' }]);
    step = transition(step.machine, { type: 'exited', code: 0, at: 1 });
    expect(step.machine.state.status).toBe('failed');
    expect(step.effects).toEqual([]);
    expect(transition(step.machine, { type: 'stop' }).machine.state).toEqual({ status: 'stopped' });
  });

  it('a start on another port while running restarts there (Choose port)', () => {
    let step = transition(run([{ type: 'start', port: 4000 }, started()]).machine, { type: 'start', port: 4100 });
    expect(step.machine.state).toEqual({ status: 'stopping', port: 4000, afterStop: { restartOn: 4100 } });
    expect(step.effects).toEqual([{ type: 'request-stop' }]);
    step = transition(step.machine, { type: 'exited', code: 0, at: 1 });
    expect(step.machine.state).toEqual({ status: 'starting', port: 4100 });
    expect(step.effects).toEqual([{ type: 'spawn', port: 4100 }]);
    // The same port while running: nothing to do.
    const running = run([{ type: 'start', port: 4000 }, started()]).machine;
    expect(transition(running, { type: 'start', port: 4000 })).toEqual({ machine: running, effects: [] });
  });

  it('ignores events that do not fit the state', () => {
    const stopped = initialMachine();
    for (const event of [
      started(),
      { type: 'exited', code: 1, at: 0 },
      { type: 'retry-due', at: 0 },
      { type: 'port-in-use', port: 4000 },
      { type: 'start-failed', message: 'x' },
      { type: 'stop' },
    ] as ProxyEvent[]) {
      expect(transition(stopped, event).machine.state, event.type).toEqual({ status: 'stopped' });
      expect(transition(stopped, event).effects, event.type).toEqual([]);
    }
    const running = run([{ type: 'start', port: 4000 }, started()]).machine;
    expect(transition(running, started(9)).machine).toBe(running);
  });
});

describe('what main asks of a state', () => {
  it('settled: running, failed, or a port conflict whose owner is known', () => {
    expect(isSettled({ status: 'running', port: 4000, url: 'http://127.0.0.1:4000', since: 0 })).toBe(true);
    expect(isSettled({ status: 'failed', port: 4000, message: 'bad config' })).toBe(true);
    expect(isSettled({ status: 'port-conflict', port: 4000, owner: 'foreign' })).toBe(true);
    expect(isSettled({ status: 'port-conflict', port: 4000, owner: 'checking' })).toBe(false);
    expect(isSettled({ status: 'starting', port: 4000 })).toBe(false);
    expect(isSettled({ status: 'restarting', port: 4000, attempt: 1, delayMs: 1000, retryAt: 1000, reason: 'x' })).toBe(false);
    expect(isSettled({ status: 'stopped' })).toBe(false);
  });

  it('a stale instance only for our own earlier gateway with a known pid', () => {
    expect(staleInstance({ status: 'port-conflict', port: 4000, owner: 'ours-stale', pid: 42 })).toEqual({ port: 4000, owner: 'ours-stale', pid: 42 });
    expect(staleInstance({ status: 'port-conflict', port: 4000, owner: 'ours-stale' })).toBeUndefined();
    expect(staleInstance({ status: 'port-conflict', port: 4000, owner: 'gateway', pid: 42 })).toBeUndefined();
    expect(staleInstance({ status: 'stopped' })).toBeUndefined();
  });
});
