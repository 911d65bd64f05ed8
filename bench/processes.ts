/**
 * Child processes of the bench (mock upstream, gateway): started with `node --import tsx`, their output
 * kept (last lines only) for diagnostics, and always killed — on normal exit, error or signal.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface BenchChild {
  name: string;
  process: ChildProcess;
  /** The child's recent stdout + stderr. */
  output(): string;
}

const children = new Set<BenchChild>();
const OUTPUT_LIMIT = 16_000;

/** Kill every child still running, synchronously (usable from an 'exit' handler). */
export function killAllChildren(): void {
  for (const child of children) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  }
  children.clear();
}

process.once('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}

/** `node --import tsx <script> …args` in `cwd`; with an IPC channel when `ipc` is set. */
export function spawnTsx(name: string, cwd: string, script: string, args: string[], ipc = false): BenchChild {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd,
    env: process.env,
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // Always drain the pipes: a full pipe would block a chatty child and skew the figures.
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const child: BenchChild = { name, process: proc, output: () => output };
  children.add(child);
  proc.once('exit', () => children.delete(child));
  return child;
}

function exitDescription(child: BenchChild): string {
  const { exitCode, signalCode } = child.process;
  return `${child.name} exited (${signalCode ?? `code ${exitCode}`}); its last output:\n${child.output().trim() || '(none)'}`;
}

/** The first IPC message of the child (the mock upstream sends `{ url }`). */
export function firstMessage<T>(child: BenchChild, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${child.name} sent nothing within ${timeoutMs} ms:\n${child.output()}`)), timeoutMs);
    child.process.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as T);
    });
    child.process.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(exitDescription(child)));
    });
  });
}

/** Poll `url` until it answers 200, failing fast if the child dies first. */
export async function waitForOk(child: BenchChild, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) throw new Error(exitDescription(child));
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${child.name} did not answer 200 on ${url} within ${timeoutMs} ms; its last output:\n${child.output()}`);
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopChild(child: BenchChild, graceMs = 2000): Promise<void> {
  const proc = child.process;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A port free on 127.0.0.1 right now (the gateway binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
