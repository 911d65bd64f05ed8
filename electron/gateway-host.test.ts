import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayHost, UtilityCallError, type Clock, type UtilityChild } from './gateway-host.ts';
import type { ProxyMachine } from './proxy-lifecycle.ts';
import type { ToUtility } from './utility-protocol.ts';

// ── A fake clock and a fake utility process, for the timing rules ─────────────────────────────────────────
class FakeClock implements Clock {
  time = 0;
  private nextHandle = 1;
  private timers = new Map<number, { at: number; fn: () => void }>();
  now = () => this.time;
  setTimeout = (fn: () => void, ms: number) => {
    const handle = this.nextHandle++;
    this.timers.set(handle, { at: this.time + ms, fn });
    return handle;
  };
  clearTimeout = (handle: unknown) => void this.timers.delete(handle as number);
  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].fn();
      await flush();
    }
    this.time = until;
  }
  pending(): number {
    return this.timers.size;
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

class FakeChild implements UtilityChild {
  sent: ToUtility[] = [];
  kills = 0;
  readonly pid = 4321;
  private messageListeners: ((m: unknown) => void)[] = [];
  private exitListeners: ((code: number | null) => void)[] = [];
  postMessage(message: ToUtility): void {
    this.sent.push(message);
  }
  on(event: 'message' | 'exit', listener: (value: never) => void): this {
    if (event === 'message') this.messageListeners.push(listener as (m: unknown) => void);
    else this.exitListeners.push(listener as (code: number | null) => void);
    return this;
  }
  kill(): boolean {
    this.kills++;
    return true;
  }
  reply(type: ToUtility['type'], result: unknown): void {
    const request = this.sent.find((m) => m.type === type);
    if (!request) throw new Error(`no ${type} request`);
    for (const l of this.messageListeners) l({ type: 'reply', id: request.id, ok: true, result });
  }
  fail(type: ToUtility['type'], code: string, message: string): void {
    const request = this.sent.find((m) => m.type === type);
    if (!request) throw new Error(`no ${type} request`);
    for (const l of this.messageListeners) l({ type: 'reply', id: request.id, ok: false, error: { code, message } });
  }
  exit(code: number | null): void {
    for (const l of this.exitListeners) l(code);
  }
}

function fakeHost(options: { classify?: 'foreign' | 'ours-stale' } = {}) {
  const clock = new FakeClock();
  const children: FakeChild[] = [];
  const host = new GatewayHost({
    spawn: () => {
      const child = new FakeChild();
      children.push(child);
      return child;
    },
    dataDir: '/data',
    clock,
    classifyPort: async (port) => (options.classify === 'ours-stale' ? { port, owner: 'ours-stale', pid: 77 } : { port, owner: 'foreign' }),
  });
  const seen: string[] = [];
  host.onChange(({ machine }) => seen.push(machine.state.status));
  return { host, clock, children, seen, last: () => children.at(-1)! };
}

const running = { state: 'running', pid: 4321, url: 'http://127.0.0.1:4000', port: 4000, secretStore: { kind: 'keychain', weakerProtection: false } };

describe('gateway host (fake process)', () => {
  it('spawns, sends start with the port and data folder, and is running on the answer', async () => {
    const { host, last, seen } = fakeHost();
    host.start(4000);
    expect(last().sent).toEqual([{ id: 1, type: 'start', port: 4000, dataDir: '/data' }]);
    last().reply('start', running);
    await flush();
    expect(host.snapshot()).toMatchObject({
      machine: { state: { status: 'running', url: 'http://127.0.0.1:4000' } },
      secretStore: { kind: 'keychain', weakerProtection: false },
    });
    expect(host.url()).toBe('http://127.0.0.1:4000');
    expect(seen).toEqual(['starting', 'running']);
  });

  it('asks for the admin token only while running, and times out a silent process', async () => {
    const { host, last, clock } = fakeHost();
    expect(await host.adminToken()).toBeUndefined();
    host.start(4000);
    last().reply('start', running);
    await flush();
    const token = host.adminToken();
    await flush();
    last().reply('admin-token', { token: 'sk-master' });
    expect(await token).toBe('sk-master');
    const silent = expect(host.call('status', {})).rejects.toMatchObject({ code: 'timeout' });
    await clock.advance(5000);
    await silent;
  });

  it('stop: asks the process, which exits; kills it when it does not within the timeout', async () => {
    const { host, last, clock } = fakeHost();
    host.start(4000);
    last().reply('start', running);
    await flush();
    let stopped = false;
    void host.stop().then(() => (stopped = true));
    expect(last().sent.at(-1)).toMatchObject({ type: 'stop' });
    expect(host.snapshot().machine.state.status).toBe('stopping');
    await clock.advance(14_999);
    expect(last().kills).toBe(0);
    await clock.advance(1);
    expect(last().kills).toBe(1);
    last().exit(null);
    await flush();
    expect(stopped).toBe(true);
    expect(host.snapshot().machine.state).toEqual({ status: 'stopped' });
  });

  it('a crash restarts after 1 s, 2 s, 4 s … and the tray hears each step', async () => {
    const { host, children, clock, seen } = fakeHost();
    host.start(4000);
    children[0]!.reply('start', running);
    await flush();
    children[0]!.exit(1);
    expect(host.snapshot().machine.state).toMatchObject({ status: 'restarting', delayMs: 1000 });
    await clock.advance(999);
    expect(children).toHaveLength(1);
    await clock.advance(1);
    expect(children).toHaveLength(2);
    children[1]!.exit(1); // dies while starting
    expect(host.snapshot().machine.state).toMatchObject({ status: 'restarting', delayMs: 2000 });
    await clock.advance(2000);
    expect(children).toHaveLength(3);
    children[2]!.reply('start', running);
    await flush();
    expect(host.snapshot().machine).toMatchObject({ state: { status: 'running' }, crashes: 2 });
    expect(seen).toEqual(['starting', 'running', 'restarting', 'starting', 'restarting', 'starting', 'running']);
  });

  it('port in use: stops the idle process and finds out who holds the port', async () => {
    const { host, last } = fakeHost({ classify: 'ours-stale' });
    host.start(4000);
    last().fail('start', 'port-in-use', 'listen EADDRINUSE: address already in use 127.0.0.1:4000');
    await flush();
    await flush();
    expect(host.snapshot().machine.state).toEqual({ status: 'port-conflict', port: 4000, owner: 'ours-stale', pid: 77 });
    expect(last().sent.at(-1)).toMatchObject({ type: 'stop' });
    last().exit(0);
    expect(host.snapshot().machine.state.status).toBe('port-conflict');
  });

  it('a start that fails (bad config) is shown, not retried', async () => {
    const { host, last, children, clock } = fakeHost();
    host.start(4000);
    last().fail('start', 'start-failed', 'config.yaml: model_list must be a list');
    await flush();
    expect(host.snapshot().machine.state).toEqual({ status: 'failed', port: 4000, message: 'config.yaml: model_list must be a list' });
    last().exit(0);
    await clock.advance(60_000);
    expect(children).toHaveLength(1);
  });

  it('a start that never answers fails and the process is killed', async () => {
    const { host, last, clock } = fakeHost();
    host.start(4000);
    await clock.advance(120_000);
    expect(host.snapshot().machine.state).toMatchObject({ status: 'failed', message: expect.stringMatching(/did not answer/) });
    expect(last().kills).toBe(1);
  });

  it('ignores an old process that exits after a new one started', async () => {
    const { host, children } = fakeHost();
    host.start(4000);
    children[0]!.fail('start', 'port-in-use', 'in use');
    await flush();
    await flush();
    host.start(4000); // Retry before the old idle process is gone
    expect(children).toHaveLength(2);
    expect(children[0]!.kills).toBe(1);
    children[0]!.exit(0);
    expect(host.snapshot().machine.state).toEqual({ status: 'starting', port: 4000 });
    children[1]!.reply('start', running);
    await flush();
    expect(host.snapshot().machine.state.status).toBe('running');
  });

  it('rejects calls when no process runs', async () => {
    const { host } = fakeHost();
    await expect(host.call('status', {})).rejects.toBeInstanceOf(UtilityCallError);
    expect(await host.status()).toBeUndefined();
    await host.stop(); // already stopped: resolves at once
  });
});

// ── Real processes: the host supervising forked Node children that speak the real protocol ────────────────
const fixture = fileURLToPath(new URL('./test-support/fake-utility-child.ts', import.meta.url));
const forked: ChildProcess[] = [];
const servers: Server[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const child of forked.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function spawnFixture(env: Record<string, string> = {}): () => UtilityChild {
  return () => {
    const child = fork(fixture, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    forked.push(child);
    return {
      pid: child.pid,
      postMessage: (message) => void child.send(message),
      on: (event: 'message' | 'exit', listener: (value: never) => void) => child.on(event, listener as (value: unknown) => void),
      kill: () => child.kill(),
    } as UtilityChild;
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmgw-host-'));
  dirs.push(dir);
  return dir;
}

const settled = (host: GatewayHost, status: string) => host.waitFor((m: ProxyMachine) => m.state.status === status);

describe('gateway host (forked processes)', () => {
  it('starts a real child, reads its status and token, stops it cleanly', async () => {
    const port = await freePort();
    const host = new GatewayHost({ spawn: spawnFixture({ FAKE_MASTER_KEY: 'sk-fixture' }), dataDir: tempDir() });
    host.start(port);
    await settled(host, 'running');
    expect(host.url()).toBe(`http://127.0.0.1:${port}`);
    expect((await fetch(`http://127.0.0.1:${port}/health/liveliness`)).status).toBe(200);
    expect(await host.status()).toMatchObject({ state: 'running', port, secretStore: { kind: 'file', weakerProtection: true } });
    expect(await host.adminToken()).toBe('sk-fixture');
    await host.stop();
    expect(forked[0]!.exitCode).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/health/liveliness`)).rejects.toThrow();
  });

  it('restarts a crashed child with backoff', async () => {
    const port = await freePort();
    const host = new GatewayHost({
      spawn: spawnFixture({ FAKE_CRASH_AFTER_MS: '300' }),
      dataDir: tempDir(),
      backoff: { initialMs: 50, maxMs: 200, stableAfterMs: 60_000 },
    });
    host.start(port);
    await settled(host, 'running');
    await settled(host, 'restarting');
    expect(host.snapshot().machine).toMatchObject({ crashes: 1, lastCrash: { reason: 'the gateway process exited with code 3' } });
    await settled(host, 'running');
    expect(forked.length).toBeGreaterThanOrEqual(2);
    await host.stop();
  });

  it('reports a port held by another program as a foreign port conflict', async () => {
    const blocker = createServer((_req, res) => res.writeHead(404).end());
    servers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const host = new GatewayHost({ spawn: spawnFixture(), dataDir: tempDir() });
    host.start(port);
    const machine = await host.waitFor((m) => m.state.status === 'port-conflict' && m.state.owner !== 'checking');
    expect(machine.state).toEqual({ status: 'port-conflict', port, owner: 'foreign' });
    // The idle child was told to go.
    await new Promise<void>((resolve) => (forked[0]!.exitCode !== null ? resolve() : forked[0]!.once('exit', () => resolve())));
    expect(forked[0]!.exitCode).toBe(0);
  });
});
