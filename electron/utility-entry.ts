/**
 * What runs inside the gateway's utility process. Main talks to it over `process.parentPort` (Electron); the
 * tests fork it under plain Node (`LLM_GATEWAY_UTILITY_CHILD=1`, messages over the IPC channel) or drive
 * `runUtility` in-process over a MessagePort. Requests (see utility-protocol.ts):
 *
 * - `start {port, dataDir}`: starts the gateway through the server's entry function — the same one
 *   `npm start` runs (first start: starter config.yaml, master key in the SecretStore, SQLite) — logging to
 *   `<dataDir>/logs/gateway.log`, and answers its status, or `port-in-use`, or `start-failed`;
 * - `status`: state, url, port, secret store kind — never a secret;
 * - `admin-token`: the current master key, for the preload hand-over. Only main holds this port;
 * - `stop`: finishes in-flight requests, closes SQLite, answers, exits 0. SIGTERM does the same (that is how a
 *   new app instance stops a stale one it finds on the port).
 */
import { createWriteStream, mkdirSync, renameSync, rmSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { CliFlags } from '../server/cli/args.ts';
import type { ServeOptions, ServingGateway } from '../server/serve.ts';
import { logsDir } from './first-run.ts';
import { PID_FILE, type PidRecord } from './port-policy.ts';
import {
  isToUtility,
  type FromUtility,
  type StartRequest,
  type ToUtility,
  type UtilityError,
  type UtilityState,
  type UtilityStatus,
} from './utility-protocol.ts';

// ── The server's entry function: server/serve.ts, the startup `npm start` runs. ────────────────────────────
export type { ServeOptions, ServingGateway };

export interface ServeModule {
  serveGateway(options: ServeOptions): Promise<ServingGateway>;
  parseCli(argv: string[]): CliFlags;
  isPortInUse(err: unknown): boolean;
}

/**
 * server/serve.ts and server/cli/args.ts, loaded when the first `start` arrives (so the protocol tests run
 * without loading the gateway); esbuild bundles both into utility-entry.js.
 */
export async function loadServer(): Promise<ServeModule> {
  const [serve, args] = await Promise.all([import('../server/serve.ts'), import('../server/cli/args.ts')]);
  return {
    serveGateway: serve.serveGateway,
    parseCli: args.parseCli,
    isPortInUse: (err) => err instanceof serve.PortInUseError || (err as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE',
  };
}

// ── The port to main. ─────────────────────────────────────────────────────────────────────────────────────
export interface UtilityPort {
  onMessage(handler: (message: unknown) => void): void;
  postMessage(message: FromUtility): void;
}

/** Electron's process.parentPort: messages arrive as MessageEvents ({ data }). */
export function electronParentPort(parentPort: {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}): UtilityPort {
  return { onMessage: (handler) => void parentPort.on('message', (event) => handler(event.data)), postMessage: (message) => parentPort.postMessage(message) };
}

/** A Node child forked with an IPC channel (tests). */
export function nodeProcessPort(proc: NodeJS.Process = process): UtilityPort {
  return {
    onMessage: (handler) => void proc.on('message', handler),
    postMessage: (message) => {
      proc.send?.(message);
    },
  };
}

/** A worker_threads MessagePort (in-process tests). */
export function messagePortPort(port: { on(event: 'message', listener: (value: unknown) => void): unknown; postMessage(value: unknown): void }): UtilityPort {
  return { onMessage: (handler) => void port.on('message', handler), postMessage: (message) => port.postMessage(message) };
}

// ── The entry. ────────────────────────────────────────────────────────────────────────────────────────────
export const GATEWAY_LOG_FILE = 'gateway.log';
const MAX_LOG_BYTES = 10 * 1024 * 1024;

/** logs/gateway.log, appended; moved to gateway.log.1 first when it has grown past 10 MB. */
export function openGatewayLog(dataDir: string): WriteStream {
  const dir = logsDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, GATEWAY_LOG_FILE);
  try {
    if (statSync(file).size > MAX_LOG_BYTES) renameSync(file, `${file}.1`);
  } catch {
    // No log yet.
  }
  return createWriteStream(file, { flags: 'a', mode: 0o600 });
}

export interface UtilityDeps {
  server: () => Promise<ServeModule>;
  /** Called after `stop` was answered. */
  exit: (code: number) => void;
  pid: number;
  openLog?: (dataDir: string) => NodeJS.WritableStream & { end(callback?: () => void): unknown };
  now?: () => Date;
}

export interface RunningUtility {
  /** Stops the gateway if it runs (SIGTERM, or the test's end). */
  shutdown(): Promise<void>;
  state(): UtilityState;
}

function errorReply(id: number, error: UtilityError): FromUtility {
  return { type: 'reply', id, ok: false, error };
}

export function runUtility(port: UtilityPort, deps: UtilityDeps): RunningUtility {
  let state: UtilityState = 'idle';
  let gateway: ServingGateway | undefined;
  let log: (NodeJS.WritableStream & { end(callback?: () => void): unknown }) | undefined;
  let startDone: Promise<void> = Promise.resolve();
  let stopping: Promise<void> | undefined;
  let dataDir: string | undefined;

  const status = (): UtilityStatus => ({
    state,
    pid: deps.pid,
    ...(gateway
      ? {
          url: gateway.url,
          port: gateway.port,
          dataDir: gateway.dataDir,
          configPath: gateway.configPath,
          // Copied field by field: whatever else the server adds to its object never reaches main by accident.
          secretStore: { kind: gateway.secretStore.kind, weakerProtection: gateway.secretStore.weakerProtection },
        }
      : {}),
  });

  const closeLog = () =>
    new Promise<void>((resolve) => {
      if (!log) return resolve();
      const stream = log;
      log = undefined;
      stream.end(() => resolve());
    });

  const pidFile = () => (dataDir ? join(dataDir, PID_FILE) : undefined);

  async function start(id: number, request: StartRequest): Promise<FromUtility> {
    if (state !== 'idle') return errorReply(id, { code: 'busy', message: `The gateway is ${state}.` });
    if (!Number.isInteger(request.port) || typeof request.dataDir !== 'string' || request.dataDir === '') {
      return errorReply(id, { code: 'bad-request', message: 'start needs a port and a data folder.' });
    }
    state = 'starting';
    dataDir = request.dataDir;
    let server: ServeModule;
    try {
      server = await deps.server();
    } catch (err) {
      state = 'idle';
      return errorReply(id, { code: 'start-failed', message: `The gateway code could not be loaded: ${(err as Error).message}` });
    }
    try {
      log = deps.openLog ? deps.openLog(request.dataDir) : openGatewayLog(request.dataDir);
      const flags = server.parseCli(['--port', String(request.port), '--data-dir', request.dataDir, ...(request.debug ? ['--debug'] : [])]);
      // No first-run notice on stdout (it shows the new master key): the desktop hands the key to its window
      // instead, and the key stays in the SecretStore.
      gateway = await server.serveGateway({ flags, logDestination: log, handleSignals: false, printNotice: () => undefined });
      state = 'running';
      const record: PidRecord = { pid: deps.pid, port: gateway.port, startedAt: (deps.now?.() ?? new Date()).toISOString() };
      try {
        writeFileSync(join(request.dataDir, PID_FILE), `${JSON.stringify(record)}\n`, { mode: 0o600 });
      } catch {
        // Only used to recognise a stale instance later; never worth failing the start.
      }
      return { type: 'reply', id, ok: true, result: status() };
    } catch (err) {
      state = 'idle';
      gateway = undefined;
      const message = (err as Error).message ?? String(err);
      log?.write(`${JSON.stringify({ level: 50, time: Date.now(), msg: `The desktop gateway did not start: ${message}` })}\n`);
      await closeLog();
      if (server.isPortInUse(err)) return errorReply(id, { code: 'port-in-use', port: request.port, message });
      return errorReply(id, { code: 'start-failed', message });
    }
  }

  function stop(): Promise<void> {
    stopping ??= (async () => {
      await startDone;
      state = 'stopping';
      const running = gateway;
      gateway = undefined;
      try {
        await running?.close();
      } finally {
        const file = pidFile();
        if (file && running) rmSync(file, { force: true });
        await closeLog();
        state = 'stopped';
      }
    })();
    return stopping;
  }

  async function handle(message: ToUtility): Promise<FromUtility> {
    switch (message.type) {
      case 'start': {
        const result = start(message.id, message);
        startDone = result.then(() => undefined);
        return result;
      }
      case 'status':
        return { type: 'reply', id: message.id, ok: true, result: status() };
      case 'admin-token':
        if (state !== 'running' || !gateway) return errorReply(message.id, { code: 'not-running', message: 'The gateway is not running.' });
        return { type: 'reply', id: message.id, ok: true, result: { token: gateway.masterKey() ?? null } };
      case 'stop':
        await stop();
        return { type: 'reply', id: message.id, ok: true, result: { stopped: true } };
    }
  }

  port.onMessage((message) => {
    if (!isToUtility(message)) return;
    void handle(message).then(
      (reply) => {
        port.postMessage(reply);
        // Give the reply time to leave before the process goes.
        if (message.type === 'stop') setTimeout(() => deps.exit(0), 100);
      },
      (err: unknown) => {
        port.postMessage(errorReply(message.id, { code: 'start-failed', message: (err as Error).message ?? String(err) }));
        if (message.type === 'stop') setTimeout(() => deps.exit(1), 100);
      },
    );
  });
  port.postMessage({ type: 'ready', pid: deps.pid });
  return { shutdown: stop, state: () => state };
}

/** Env var that makes a plain-Node child (tests) run the entry over its IPC channel. */
export const UTILITY_CHILD_ENV = 'LLM_GATEWAY_UTILITY_CHILD';

function startInThisProcess(port: UtilityPort): void {
  const utility = runUtility(port, { server: loadServer, exit: (code) => process.exit(code), pid: process.pid });
  const fatal = (err: unknown) => {
    port.postMessage({ type: 'fatal', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    setTimeout(() => process.exit(1), 100);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  let signalled = false;
  const onSignal = () => {
    if (signalled) process.exit(1);
    signalled = true;
    utility.shutdown().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', onSignal);
  // Ctrl+C in the terminal of `npm run desktop` reaches the whole process group: main decides when the gateway
  // stops (it sends `stop` while quitting), so the utility process does not act on it itself.
  process.on('SIGINT', () => undefined);
}

const electronPort = (process as { parentPort?: Parameters<typeof electronParentPort>[0] | null }).parentPort;
if (electronPort) startInThisProcess(electronParentPort(electronPort));
else if (process.env[UTILITY_CHILD_ENV] === '1' && typeof process.send === 'function') startInThisProcess(nodeProcessPort());
