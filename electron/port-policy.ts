/**
 * The port policy: clients are configured for one port (4000 by default), so the desktop app never moves to
 * another port on its own. When the port is taken it finds out by whom — an LLM Gateway that the desktop app
 * started earlier and lost track of (a crash of the main process leaves its gateway running), some other
 * gateway (`npm start` in a terminal, LiteLLM), or another program — and the tray says so, offering "Stop it"
 * for our own stale gateway and "Retry" / "Choose port" always. A port the user chooses is validated here and
 * remembered in the desktop settings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_PORT = 4000;
/** Ports below 1024 need administrator rights on macOS and Linux; the desktop app never asks for them. */
export const MIN_PORT = 1024;
export const MAX_PORT = 65535;

export type PortCheck = { ok: true; port: number } | { ok: false; message: string };

/** A port the user typed (string or number): a whole number from 1024 to 65535. */
export function validatePort(input: unknown): PortCheck {
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : '';
  if (!/^\d{1,5}$/.test(text)) return { ok: false, message: `Enter a port number from ${MIN_PORT} to ${MAX_PORT}.` };
  const port = Number(text);
  if (port < MIN_PORT || port > MAX_PORT) {
    return { ok: false, message: `${port} is not usable: choose a port from ${MIN_PORT} to ${MAX_PORT} (lower ports need administrator rights).` };
  }
  return { ok: true, port };
}

/** Written by the utility process while its gateway listens, removed when it stops cleanly. */
export const PID_FILE = 'desktop-gateway.pid.json';

export interface PidRecord {
  pid: number;
  port: number;
  startedAt: string;
}

export function parsePidRecord(text: string): PidRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<PidRecord>;
    if (!Number.isInteger(value.pid) || (value.pid as number) <= 0) return undefined;
    if (!Number.isInteger(value.port)) return undefined;
    return { pid: value.pid as number, port: value.port as number, startedAt: typeof value.startedAt === 'string' ? value.startedAt : '' };
  } catch {
    return undefined;
  }
}

export function readPidRecord(dataDir: string): PidRecord | undefined {
  try {
    return parsePidRecord(readFileSync(join(dataDir, PID_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether a process with this id exists (EPERM: it exists but belongs to someone else). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const LIVELINESS_TIMEOUT_MS = 1500;

/** GET http://127.0.0.1:<port>/health/liveliness: does an LLM gateway (ours or LiteLLM) answer there? */
export async function probeLiveliness(port: number, options: { fetch?: typeof fetch; timeoutMs?: number } = {}): Promise<boolean> {
  const doFetch = options.fetch ?? fetch;
  try {
    const response = await doFetch(`http://127.0.0.1:${port}/health/liveliness`, {
      signal: AbortSignal.timeout(options.timeoutMs ?? LIVELINESS_TIMEOUT_MS),
      redirect: 'error',
    });
    if (response.status !== 200) return false;
    const body: unknown = JSON.parse(await response.text());
    // LiteLLM's body, which this gateway keeps: the JSON string "I'm alive!".
    return typeof body === 'string' && /alive/i.test(body);
  } catch {
    return false;
  }
}

/**
 * Who holds the port: `ours-stale` (a gateway the desktop app started, per its pid file, still alive and
 * answering — the tray offers to stop it), `gateway` (an LLM gateway answers but not one we started, e.g.
 * `npm start`), `foreign` (something else).
 */
export type PortOwner = 'ours-stale' | 'gateway' | 'foreign';

export interface PortConflict {
  port: number;
  owner: PortOwner;
  /** For `ours-stale`: the process to stop. */
  pid?: number;
}

export interface ClassifyDeps {
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** The pid file our utility process writes (default: read from the data dir given). */
  readPidRecord: () => PidRecord | undefined;
  isAlive?: (pid: number) => boolean;
  /** Our own current child, which must never be taken for a stale one. */
  ownPid?: number;
}

export async function classifyPortOwner(port: number, deps: ClassifyDeps): Promise<PortConflict> {
  const answers = await probeLiveliness(port, { ...(deps.fetch ? { fetch: deps.fetch } : {}), ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) });
  if (!answers) return { port, owner: 'foreign' };
  const record = deps.readPidRecord();
  const isAlive = deps.isAlive ?? processIsAlive;
  if (record && record.port === port && record.pid !== deps.ownPid && isAlive(record.pid)) return { port, owner: 'ours-stale', pid: record.pid };
  return { port, owner: 'gateway' };
}

/** What the tray and the status page say about a conflict. */
export function describeConflict(conflict: Pick<PortConflict, 'port' | 'owner'> | { port: number; owner: 'checking' }): { title: string; detail: string } {
  const title = `Port ${conflict.port} is in use`;
  switch (conflict.owner) {
    case 'checking':
      return { title, detail: 'Checking what is listening there…' };
    case 'ours-stale':
      return { title, detail: `An earlier LLM Gateway started by this app is still running on port ${conflict.port}. Stop it, then start again.` };
    case 'gateway':
      return {
        title,
        detail: `Another LLM gateway already answers on port ${conflict.port} (for example \`npm start\` in a terminal, or LiteLLM). Stop it where it runs, or choose another port for this app.`,
      };
    case 'foreign':
      return {
        title,
        detail: `Another program listens on port ${conflict.port}. Close it and retry, or choose another port (your clients must then use it too).`,
      };
  }
}

export interface StopStaleDeps {
  kill: (pid: number, signal: NodeJS.Signals) => void;
  isAlive: (pid: number) => boolean;
  /** Does a gateway still answer /health/liveliness on the port (after ours is gone: someone else took it)? */
  answers: (port: number) => Promise<boolean>;
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
}

/**
 * Stops our stale gateway: SIGTERM (it finishes in-flight requests and closes SQLite), waits for it to go,
 * SIGKILL as a last resort. Resolves to whether the port is free of it.
 */
export async function stopStaleInstance(conflict: PortConflict, deps: StopStaleDeps): Promise<boolean> {
  if (conflict.owner !== 'ours-stale' || conflict.pid === undefined) return false;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = (deps.timeoutMs ?? 10_000) / 250;
  const pid = conflict.pid;
  try {
    deps.kill(pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
  for (let i = 0; i < deadline; i++) {
    // Gone means the port is released; still answering or still closing means wait.
    if (!deps.isAlive(pid)) return !(await deps.answers(conflict.port));
    await sleep(250);
  }
  try {
    deps.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  await sleep(250);
  return !deps.isAlive(pid);
}
