/**
 * A private, throwaway redis-server for tests (Debian package `redis-server`, installed by .ci/run): loopback
 * only, on a free port, no persistence (`--save '' --appendonly no`), its working folder a temp dir removed on
 * stop. Without the program the Redis tests are skipped with a loud reason, except with CI set, where that is
 * a failure (the keychain tests' policy).
 *
 *   const redis = await startRedis();   // { url, host, port, stop() }; startRedis({ password }) for AUTH
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The Debian package that provides redis-server. */
export const REDIS_DEBIAN_PACKAGE = 'redis-server';

const START_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 2_000;

export interface RedisOptions {
  /** Require this password (`--requirepass`). */
  password?: string;
  /** Listen on this port (default: a free one). */
  port?: number;
}

export interface StartedRedis {
  /** redis://127.0.0.1:<port> (redis://:<password>@… with a password) */
  url: string;
  host: string;
  port: number;
  stop(): Promise<void>;
}

export const inCI = Boolean(process.env.CI) && !/^(0|false)$/i.test(process.env.CI ?? '');

function onPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return join(dir, program);
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/** Why the Redis tests cannot run here, or undefined when redis-server is available. */
export function redisUnavailableReason(): string | undefined {
  if (onPath('redis-server')) return undefined;
  return `redis-server not found on PATH (Debian/Ubuntu package: ${REDIS_DEBIAN_PACKAGE}; .ci/run installs it)`;
}

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** One PING over a raw socket; resolves true on +PONG (or NOAUTH: the server is up, it wants a password). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data: Buffer) => {
      reply += data.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
    });
  });
}

async function waitForPong(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`redis-server exited (${child.exitCode ?? child.signalCode}) before answering PING. ${output().trim()}`);
    if (await ping(port)) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer PING within ${START_TIMEOUT_MS} ms. ${output().trim()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

async function startOnce(program: string, options: RedisOptions): Promise<StartedRedis> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'llm-gateway-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning'];
  if (options.password) args.push('--requirepass', options.password);
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Never outlive the test process.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await stopChild(child);
    child.stdout?.destroy();
    child.stderr?.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPong(child, port, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return { url: `redis://${auth}127.0.0.1:${port}`, host: '127.0.0.1', port, stop };
}

/** Starts a private redis-server; throws when redis-server is missing or will not start (three tries, for port races). */
export async function startRedis(options: RedisOptions = {}): Promise<StartedRedis> {
  const program = onPath('redis-server');
  if (!program) throw new Error(redisUnavailableReason());
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(program, options);
    } catch (error) {
      last = error;
    }
  }
  throw last;
}
