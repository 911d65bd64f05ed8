/**
 * The headless gateway's CLI in its own process, as people run it (`node --import tsx server/main.ts …`), for the
 * e2e files that test the command line. Secrets go to the encrypted file in the data folder
 * (LLM_GATEWAY_SECRET_BACKEND), never to the OS keychain of whoever runs the tests; LITELLM_MASTER_KEY and
 * LLM_GATEWAY_DATA_DIR from the caller's environment are cleared so a test sees only what it sets.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const ROOT = new URL('../..', import.meta.url).pathname;

export interface CliRun {
  child: ChildProcess;
  /** stdout and stderr as they arrived, interleaved. */
  output: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];

/** Kills every process runCli started (call it from afterAll). */
export function killCliProcesses(): void {
  for (const child of children.splice(0)) child.kill('SIGKILL');
}

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, LITELLM_MASTER_KEY: '', LLM_GATEWAY_DATA_DIR: '', LLM_GATEWAY_SECRET_BACKEND: 'encrypted-file', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Resolves once `/health/liveliness` answers 200; fails with the process's output if it exits or takes 15 s. */
export async function untilLive(port: number, run: CliRun): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const res = await fetch(`http://127.0.0.1:${port}/health/liveliness`).catch(() => undefined);
    if (res?.status === 200) return;
    if (run.child.exitCode !== null) throw new Error(`gateway exited early:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gateway did not become live:\n${run.output()}`);
}
