import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCli } from '../server/cli/args.ts';
import { PID_FILE } from './port-policy.ts';
import { messagePortPort, runUtility, UTILITY_CHILD_ENV, type ServeModule, type ServingGateway } from './utility-entry.ts';
import type { FromUtility, UtilityRequest } from './utility-protocol.ts';

const MASTER_KEY = 'sk-master-0123456789abcdef';
const dirs: string[] = [];
const channels: MessageChannel[] = [];
const servers: Server[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmgw-utility-'));
  dirs.push(dir);
  return dir;
}

/** The stand-in server module: records what it was given; `behaviour` decides how serveGateway ends. */
function fakeServer(behaviour: 'ok' | 'port-in-use' | 'bad-config' = 'ok') {
  const calls: { flags: unknown; handleSignals: unknown; logDestination: unknown; printNotice: unknown }[] = [];
  let closed = 0;
  const server: ServeModule = {
    parseCli,
    isPortInUse: (err) => (err as Error).name === 'PortInUseError',
    async serveGateway(options): Promise<ServingGateway> {
      calls.push({ flags: options.flags, handleSignals: options.handleSignals, logDestination: options.logDestination, printNotice: options.printNotice });
      if (behaviour === 'port-in-use') throw Object.assign(new Error('Port 4000 is in use'), { name: 'PortInUseError', port: 4000 });
      if (behaviour === 'bad-config') throw new Error('config.yaml: model_list[0].litellm_params.model is required');
      return {
        url: `http://127.0.0.1:${options.flags.port}`,
        host: '127.0.0.1',
        port: options.flags.port,
        dataDir: options.flags.dataDir ?? '',
        configPath: join(options.flags.dataDir ?? '', 'config.yaml'),
        secretStore: Object.assign({ kind: 'keychain' as const, weakerProtection: false }, { masterKey: MASTER_KEY }),
        masterKey: () => MASTER_KEY,
        close: async () => void closed++,
      };
    },
  };
  return { server, calls, closed: () => closed };
}

function harness(server: ServeModule) {
  const channel = new MessageChannel();
  channels.push(channel);
  const received: FromUtility[] = [];
  const waiters: (() => void)[] = [];
  channel.port2.on('message', (m: FromUtility) => {
    received.push(m);
    for (const w of waiters.splice(0)) w();
  });
  const exit = vi.fn();
  const log = new Writable({ write: (_c, _e, done) => done() });
  const utility = runUtility(messagePortPort(channel.port1), {
    server: async () => server,
    exit,
    pid: 4242,
    openLog: () => log,
    now: () => new Date('2026-01-02T03:04:05Z'),
  });
  let nextId = 1;
  async function request(message: UtilityRequest): Promise<FromUtility> {
    const id = nextId++;
    channel.port2.postMessage({ ...message, id });
    for (;;) {
      const reply = received.find((m) => m.type === 'reply' && m.id === id);
      if (reply) return reply;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }
  return { request, received, exit, utility };
}

describe('utility entry (in-process, over a MessagePort)', () => {
  it('says it is ready, starts the gateway as npm start does (no signal handling), answers status without a secret', async () => {
    const dataDir = tempDir();
    const fake = fakeServer();
    const { request, received } = harness(fake.server);
    const started = await request({ type: 'start', port: 4100, dataDir });
    expect(received[0]).toEqual({ type: 'ready', pid: 4242 });
    expect(started).toEqual({
      type: 'reply',
      id: 1,
      ok: true,
      result: {
        state: 'running',
        pid: 4242,
        url: 'http://127.0.0.1:4100',
        port: 4100,
        dataDir,
        configPath: join(dataDir, 'config.yaml'),
        secretStore: { kind: 'keychain', weakerProtection: false },
      },
    });
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatchObject({ flags: { port: 4100, host: '127.0.0.1', dataDir, debug: false }, handleSignals: false });
    expect(fake.calls[0]!.logDestination).toBeInstanceOf(Writable);
    // The first-run notice (it prints the new master key) is not written to the utility process's stdout.
    expect(fake.calls[0]!.printNotice).toBeTypeOf('function');
    const status = await request({ type: 'status' });
    expect(status).toMatchObject({ ok: true, result: { state: 'running', url: 'http://127.0.0.1:4100' } });
    // No secret anywhere in what start and status answered (the fake even planted one in its secretStore object).
    expect(JSON.stringify([started, status])).not.toContain(MASTER_KEY);
    expect(JSON.stringify([started, status])).not.toMatch(/sk-/);
    expect(JSON.parse(readFileSync(join(dataDir, PID_FILE), 'utf8'))).toEqual({ pid: 4242, port: 4100, startedAt: '2026-01-02T03:04:05.000Z' });
  });

  it('hands the master key to main only while running', async () => {
    const { request } = harness(fakeServer().server);
    expect(await request({ type: 'admin-token' })).toMatchObject({ ok: false, error: { code: 'not-running' } });
    await request({ type: 'start', port: 4100, dataDir: tempDir() });
    expect(await request({ type: 'admin-token' })).toMatchObject({ ok: true, result: { token: MASTER_KEY } });
  });

  it('stops cleanly: closes the gateway, removes the pid file, answers, then exits 0', async () => {
    const dataDir = tempDir();
    const fake = fakeServer();
    const { request, exit, utility } = harness(fake.server);
    await request({ type: 'start', port: 4100, dataDir });
    expect(await request({ type: 'stop' })).toEqual({ type: 'reply', id: 2, ok: true, result: { stopped: true } });
    expect(fake.closed()).toBe(1);
    expect(existsSync(join(dataDir, PID_FILE))).toBe(false);
    expect(utility.state()).toBe('stopped');
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
    // A second stop (SIGTERM racing the message) does not close twice.
    await utility.shutdown();
    expect(fake.closed()).toBe(1);
  });

  it('answers port-in-use so main can show the conflict', async () => {
    const { request, utility } = harness(fakeServer('port-in-use').server);
    expect(await request({ type: 'start', port: 4000, dataDir: tempDir() })).toEqual({
      type: 'reply',
      id: 1,
      ok: false,
      error: { code: 'port-in-use', port: 4000, message: 'Port 4000 is in use' },
    });
    expect(utility.state()).toBe('idle');
  });

  it('answers start-failed with the reason for any other failure', async () => {
    const { request } = harness(fakeServer('bad-config').server);
    expect(await request({ type: 'start', port: 4000, dataDir: tempDir() })).toMatchObject({
      ok: false,
      error: { code: 'start-failed', message: expect.stringMatching(/model is required/) },
    });
  });

  it('refuses a second start and malformed requests', async () => {
    const { request } = harness(fakeServer().server);
    expect(await request({ type: 'start', port: 4000, dataDir: '' } as never)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    await request({ type: 'start', port: 4100, dataDir: tempDir() });
    expect(await request({ type: 'start', port: 4101, dataDir: tempDir() })).toMatchObject({ ok: false, error: { code: 'busy' } });
  });
});

// ── The real thing: the entry under plain Node with the real server (server/serve.ts) ────────────────────
const root = fileURLToPath(new URL('..', import.meta.url));
const serveExists = existsSync(join(root, 'server', 'serve.ts'));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function forkEntry(dataDir: string) {
  const child = fork(fileURLToPath(new URL('./utility-entry.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    // Never the developer's keychain or data folder: the encrypted-file store in a temp folder.
    env: { ...process.env, [UTILITY_CHILD_ENV]: '1', LLM_GATEWAY_SECRET_BACKEND: 'encrypted-file', LLM_GATEWAY_DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  const received: FromUtility[] = [];
  child.on('message', (m: FromUtility) => received.push(m));
  let nextId = 1;
  const request = async (message: UtilityRequest, timeoutMs = 60_000): Promise<FromUtility> => {
    const id = nextId++;
    child.send({ ...message, id });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const reply = received.find((m) => m.type === 'reply' && m.id === id);
      if (reply) return reply;
      if (child.exitCode !== null) throw new Error(`the utility process exited with ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no reply to ${message.type}`);
  };
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, request, exited, received };
}

const realGateway = serveExists
  ? 'utility entry under plain Node with the real gateway'
  : 'utility entry under plain Node with the real gateway — skipped: server/serve.ts (serveGateway, npm start’s startup) does not exist yet';
describe(realGateway, () => {
  it.skipIf(!serveExists)('starts the gateway, answers status, serves /health/liveliness, stops cleanly (exit 0)', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const { request, exited, received } = forkEntry(dataDir);
    const started = await request({ type: 'start', port, dataDir });
    expect(started).toMatchObject({
      ok: true,
      result: { state: 'running', port, url: `http://127.0.0.1:${port}`, secretStore: { kind: 'file', weakerProtection: true } },
    });
    expect(received[0]).toMatchObject({ type: 'ready' });
    const response = await fetch(`http://127.0.0.1:${port}/health/liveliness`);
    expect(response.status).toBe(200);
    expect(await response.json()).toBe("I'm alive!");
    const status = await request({ type: 'status' });
    expect(status).toMatchObject({ ok: true, result: { state: 'running', port } });
    // First run: the starter config and the database are there.
    expect(existsSync(join(dataDir, 'config.yaml'))).toBe(true);
    const token = await request({ type: 'admin-token' });
    expect(token).toMatchObject({ ok: true });
    const key = token.type === 'reply' && token.ok ? (token.result as { token: string | null }).token : null;
    if (key) expect(JSON.stringify([started, status])).not.toContain(key);
    expect(await request({ type: 'stop' })).toMatchObject({ ok: true, result: { stopped: true } });
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/health/liveliness`)).rejects.toThrow();
    expect(existsSync(join(dataDir, PID_FILE))).toBe(false);
  });

  it.skipIf(!serveExists)('answers port-in-use when the port is taken', async () => {
    const blocker = createServer((_req, res) => res.writeHead(404).end());
    servers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const dataDir = tempDir();
    const { request, exited } = forkEntry(dataDir);
    expect(await request({ type: 'start', port, dataDir })).toMatchObject({ ok: false, error: { code: 'port-in-use', port } });
    expect(await request({ type: 'stop' })).toMatchObject({ ok: true });
    expect(await exited).toBe(0);
  });
});
