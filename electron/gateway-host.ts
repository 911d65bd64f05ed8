/**
 * Supervises the gateway's utility process: spawns it through an injected `spawn` (Electron's
 * utilityProcess.fork in main.ts; a fake or child_process.fork in tests), drives the proxy-lifecycle state
 * machine with what the process reports, restarts it with backoff after a crash, and carries request/response
 * messages (ids, timeouts) to it. A hung or crashed gateway never blocks main: every call has a timeout and a
 * stop that does not finish in time ends with kill().
 */
import { classifyPortOwner, type PortConflict, readPidRecord } from './port-policy.ts';
import { DEFAULT_BACKOFF, initialMachine, transition, type BackoffPolicy, type ProxyEffect, type ProxyEvent, type ProxyMachine } from './proxy-lifecycle.ts';
import {
  isFromUtility,
  type FromUtility,
  type SecretStoreInfo,
  type ToUtility,
  type UtilityCall,
  type UtilityCalls,
  type UtilityError,
  type UtilityStatus,
} from './utility-protocol.ts';

/** The part of Electron's UtilityProcess (and of a wrapped ChildProcess) the host uses. */
export interface UtilityChild {
  postMessage(message: ToUtility): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number | null) => void): unknown;
  kill(): unknown;
  readonly pid?: number | undefined;
}

export type SpawnUtility = () => UtilityChild;

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface HostLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface GatewayHostOptions {
  spawn: SpawnUtility;
  dataDir: string;
  debug?: boolean;
  /** Who holds a port that is in use (default: probe /health/liveliness + our pid file). */
  classifyPort?: (port: number, ownPid: number | undefined) => Promise<PortConflict>;
  clock?: Clock;
  backoff?: BackoffPolicy;
  /** status / admin-token (default 5 s). */
  requestTimeoutMs?: number;
  /** start: the first one creates the database and may wait on a keychain prompt (default 120 s). */
  startTimeoutMs?: number;
  /** stop: in-flight requests get up to 5 s in the gateway, then the process is killed (default 15 s). */
  stopTimeoutMs?: number;
  logger?: HostLogger;
}

export interface HostSnapshot {
  machine: ProxyMachine;
  /** From the running gateway's last status (kept after it stops: what the tray last knew). */
  secretStore?: SecretStoreInfo;
}

export class UtilityCallError extends Error {
  constructor(
    readonly code: UtilityError['code'] | 'timeout' | 'exited' | 'no-process',
    message: string,
  ) {
    super(message);
    this.name = 'UtilityCallError';
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: unknown;
}

interface Child {
  proc: UtilityChild;
  generation: number;
  pending: Map<number, Pending>;
  exited: boolean;
  killTimer?: unknown;
}

const silent: HostLogger = { info: () => undefined, warn: () => undefined };

export class GatewayHost {
  private machine: ProxyMachine = initialMachine();
  private child: Child | undefined;
  private generation = 0;
  private nextId = 1;
  private retryTimer: unknown;
  private secretStore: SecretStoreInfo | undefined;
  private readonly listeners = new Set<(snapshot: HostSnapshot) => void>();
  private readonly clock: Clock;
  private readonly logger: HostLogger;

  constructor(private readonly options: GatewayHostOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silent;
  }

  snapshot(): HostSnapshot {
    return { machine: this.machine, ...(this.secretStore ? { secretStore: this.secretStore } : {}) };
  }

  /** Called after every state change (the tray rebuilds its menu). Returns an unsubscribe function. */
  onChange(listener: (snapshot: HostSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The running gateway's base URL (http://127.0.0.1:4000), or undefined. */
  url(): string | undefined {
    return this.machine.state.status === 'running' ? this.machine.state.url : undefined;
  }

  start(port: number): void {
    this.dispatch({ type: 'start', port });
  }

  /** Stops the gateway (in-flight requests finish, SQLite closes); resolves once the process is gone. */
  async stop(): Promise<void> {
    this.dispatch({ type: 'stop' });
    await this.waitFor((m) => m.state.status === 'stopped');
  }

  /** Resolves when the machine satisfies `predicate` (at once if it already does). */
  waitFor(predicate: (machine: ProxyMachine) => boolean): Promise<ProxyMachine> {
    if (predicate(this.machine)) return Promise.resolve(this.machine);
    return new Promise((resolve) => {
      const off = this.onChange(({ machine }) => {
        if (!predicate(machine)) return;
        off();
        resolve(machine);
      });
    });
  }

  /** The gateway's master key, for the preload hand-over; undefined when it is not running or has none. */
  async adminToken(): Promise<string | undefined> {
    if (this.machine.state.status !== 'running') return undefined;
    const { token } = await this.call('admin-token', {});
    return token ?? undefined;
  }

  /** The utility process's own view (state, url, secret store); undefined when no process runs. */
  async status(): Promise<UtilityStatus | undefined> {
    if (!this.child || this.child.exited) return undefined;
    const status = await this.call('status', {});
    if (status.secretStore) this.secretStore = status.secretStore;
    return status;
  }

  /** One request to the utility process, answered or rejected within its timeout. */
  call<K extends UtilityCall>(type: K, request: UtilityCalls[K]['request'], timeoutMs?: number): Promise<UtilityCalls[K]['response']> {
    const child = this.child;
    if (!child || child.exited) return Promise.reject(new UtilityCallError('no-process', 'The gateway process is not running.'));
    const id = this.nextId++;
    const ms = timeoutMs ?? this.options.requestTimeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        child.pending.delete(id);
        reject(new UtilityCallError('timeout', `The gateway process did not answer \`${type}\` within ${Math.round(ms / 1000)} s.`));
      }, ms);
      child.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      try {
        child.proc.postMessage({ id, type, ...request } as ToUtility);
      } catch (err) {
        this.clock.clearTimeout(timer);
        child.pending.delete(id);
        reject(new UtilityCallError('exited', `Could not reach the gateway process: ${(err as Error).message}`));
      }
    });
  }

  private dispatch(event: ProxyEvent): void {
    const { machine, effects } = transition(this.machine, event, this.options.backoff ?? DEFAULT_BACKOFF);
    const changed = machine !== this.machine;
    this.machine = machine;
    for (const effect of effects) this.run(effect);
    if (changed) for (const listener of [...this.listeners]) listener(this.snapshot());
  }

  private run(effect: ProxyEffect): void {
    switch (effect.type) {
      case 'spawn':
        this.spawn(effect.port);
        return;
      case 'request-stop':
        this.requestStop();
        return;
      case 'schedule-retry':
        this.cancelRetry();
        this.retryTimer = this.clock.setTimeout(() => {
          this.retryTimer = undefined;
          this.dispatch({ type: 'retry-due', at: this.clock.now() });
        }, effect.delayMs);
        return;
      case 'cancel-retry':
        this.cancelRetry();
        return;
      case 'probe-port':
        void this.probe(effect.port);
        return;
    }
  }

  private cancelRetry(): void {
    if (this.retryTimer === undefined) return;
    this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private async probe(port: number): Promise<void> {
    const classify =
      this.options.classifyPort ??
      ((p: number, ownPid: number | undefined) =>
        classifyPortOwner(p, { readPidRecord: () => readPidRecord(this.options.dataDir), ...(ownPid ? { ownPid } : {}) }));
    try {
      const conflict = await classify(port, this.child?.proc.pid);
      this.dispatch({ type: 'port-owner', port, owner: conflict.owner, ...(conflict.pid !== undefined ? { pid: conflict.pid } : {}) });
    } catch (err) {
      this.logger.warn(`Could not find out what holds port ${port}: ${(err as Error).message}`);
      this.dispatch({ type: 'port-owner', port, owner: 'foreign' });
    }
  }

  private spawn(port: number): void {
    const old = this.child;
    if (old && !old.exited) {
      // Never two gateways: an old process still around is killed before the new one starts.
      this.logger.warn('A previous gateway process was still running; killing it.');
      old.proc.kill();
    }
    const generation = ++this.generation;
    let proc: UtilityChild;
    try {
      proc = this.options.spawn();
    } catch (err) {
      this.dispatch({ type: 'start-failed', message: `Could not start the gateway process: ${(err as Error).message}` });
      return;
    }
    const child: Child = { proc, generation, pending: new Map(), exited: false };
    this.child = child;
    proc.on('message', (message) => this.onMessage(child, message));
    proc.on('exit', (code) => this.onExit(child, code));
    const request = { port, dataDir: this.options.dataDir, ...(this.options.debug ? { debug: true } : {}) };
    this.call('start', request, this.options.startTimeoutMs ?? 120_000).then(
      (status) => {
        if (this.child !== child) return;
        if (status.secretStore) this.secretStore = status.secretStore;
        this.dispatch({ type: 'started', url: status.url ?? `http://127.0.0.1:${port}`, port: status.port ?? port, at: this.clock.now() });
      },
      (err: unknown) => {
        if (this.child !== child || !(err instanceof UtilityCallError)) return;
        if (err.code === 'exited' || err.code === 'no-process') return; // the exit event reports it
        if (err.code === 'port-in-use') {
          this.dispatch({ type: 'port-in-use', port });
          return;
        }
        this.logger.warn(`The gateway did not start: ${err.message}`);
        this.dispatch({ type: 'start-failed', message: err.message });
        if (err.code === 'timeout') child.proc.kill();
      },
    );
  }

  private requestStop(): void {
    const child = this.child;
    if (!child || child.exited) {
      // Nothing to wait for: report the exit right away (after this dispatch finishes).
      queueMicrotask(() => this.dispatch({ type: 'exited', code: 0, at: this.clock.now() }));
      return;
    }
    const ms = this.options.stopTimeoutMs ?? 15_000;
    child.killTimer = this.clock.setTimeout(() => {
      if (child.exited) return;
      this.logger.warn(`The gateway did not stop within ${Math.round(ms / 1000)} s; killing it.`);
      child.proc.kill();
    }, ms);
    this.call('stop', {}, ms).catch(() => undefined);
  }

  private onMessage(child: Child, message: unknown): void {
    if (!isFromUtility(message)) return;
    const typed: FromUtility = message;
    if (typed.type === 'ready') return;
    if (typed.type === 'fatal') {
      this.logger.warn(`The gateway process failed: ${typed.message}`);
      return;
    }
    const pending = child.pending.get(typed.id);
    if (!pending) return;
    child.pending.delete(typed.id);
    this.clock.clearTimeout(pending.timer);
    if (typed.ok) pending.resolve(typed.result);
    else pending.reject(new UtilityCallError(typed.error.code, typed.error.message));
  }

  private onExit(child: Child, code: number | null): void {
    if (child.exited) return;
    child.exited = true;
    if (child.killTimer !== undefined) this.clock.clearTimeout(child.killTimer);
    for (const [id, pending] of child.pending) {
      this.clock.clearTimeout(pending.timer);
      pending.reject(new UtilityCallError('exited', 'The gateway process exited.'));
      child.pending.delete(id);
    }
    if (this.child !== child) return;
    if (code !== 0 && code !== null) this.logger.warn(`The gateway process exited with code ${code}.`);
    this.dispatch({ type: 'exited', code, at: this.clock.now() });
  }
}
