/**
 * What the real-client tests share: where the clients are installed (this folder's own node_modules, made by
 * `npm ci --prefix e2e/clients`), the skip-or-fail rule when they are not, and `runCli`, which runs one CLI
 * headless in a throwaway HOME and working folder with a minimal environment and a hard timeout.
 *
 * Without the clients and with CI unset, every client test is skipped and the run ends with one notice line
 * (e2e/support/clients-setup.ts); with CI set, the tests run and fail.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject } from 'vitest';
import { CLIENTS_MISSING, CLIENTS_MODULES, clientsSkipped } from './installed.ts';
import { contentText, echoAnswer, lastUserText, type MockProviders, type RecordedRequest } from '../mock-providers/index.ts';
import { admin, type SpendLogJson } from '../support/admin.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from '../support/gateway.ts';

/** Generous: a CLI run takes a second or two, but a cold start of a 400 MB binary on a busy machine can take more. */
export const CLIENT_TIMEOUT_MS = 60_000;

/**
 * A describe block for one client: skipped (and noted once for the run's one-line notice) when the clients
 * are not installed and CI is unset; otherwise run, with a timeout that fits a CLI run.
 */
export function describeClient(name: string, body: () => void): void {
  if (clientsSkipped) {
    const log = inject('clientsSkipLog');
    if (log) appendFileSync(log, `${name}\n`);
    else console.warn(`Client tests skipped (${name}): ${CLIENTS_MISSING}`);
    describe.skip(name, body);
    return;
  }
  describe(name, { timeout: CLIENT_TIMEOUT_MS * 2 }, () => {
    // In CI without the clients: one clear reason instead of each test's ENOENT.
    beforeAll(() => {
      if (!existsSync(CLIENTS_MODULES)) throw new Error(CLIENTS_MISSING);
    });
    body();
  });
}

/**
 * For the enclosing describe block: a gateway on the mock providers whose config.yaml has one model (`litellmParams`
 * made from the mocks' URL, optionally a `modelInfo` line) and a master key, started before its tests and closed
 * after. The returned function gives the running gateway inside a test.
 */
export function gatewayWithOneModel(model: string, litellmParams: (mockUrl: string) => string, masterKey: string, modelInfo = ''): () => GatewayOnMocks {
  let running: GatewayOnMocks | undefined;
  beforeAll(async () => {
    running = await startGatewayOnMocks(
      (mockUrl) => `
model_list:
  - model_name: ${model}
    litellm_params: ${litellmParams(mockUrl)}
    ${modelInfo}
general_settings:
  master_key: ${masterKey}
`,
    );
  });
  afterAll(() => running?.close());
  return () => {
    if (!running) throw new Error('the gateway did not start');
    return running;
  };
}

/** A CLI installed in e2e/clients/node_modules/.bin. */
export function clientBin(name: string): string {
  return join(CLIENTS_MODULES, '.bin', name);
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The throwaway HOME the CLI ran with (removed by `cleanupCliTemps`). */
  home: string;
  /** The throwaway working folder. */
  cwd: string;
}

export interface CliOptions {
  /** Client-specific variables: base URL, key, telemetry opt-outs. Nothing else of the test's environment leaks in. */
  env: Record<string, string>;
  /** Writes config files into the fresh HOME before the run. */
  prepareHome?: (home: string) => void;
  timeoutMs?: number;
}

const temps: string[] = [];

/** Removes every HOME and working folder runCli made (an afterAll of each file). */
export function cleanupCliTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Runs `bin args…` (args may be made from the HOME, for config paths in it) with stdin closed, in a fresh temp working folder, HOME a fresh temp folder, PATH only this
 * Node's folder and the system's, plus `env`. Kills the whole process group after the timeout and fails.
 */
export async function runCli(bin: string, argsIn: string[] | ((home: string) => string[]), options: CliOptions): Promise<CliRun> {
  const home = mkdtempSync(join(tmpdir(), 'llm-gateway-client-home-'));
  const cwd = mkdtempSync(join(tmpdir(), 'llm-gateway-client-cwd-'));
  temps.push(home, cwd);
  options.prepareHome?.(home);
  const args = typeof argsIn === 'function' ? argsIn(home) : argsIn;
  const env = {
    PATH: [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(delimiter),
    HOME: home,
    TMPDIR: tmpdir(),
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    NO_COLOR: '1',
    ...options.env,
  };
  const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timeoutMs = options.timeoutMs ?? CLIENT_TIMEOUT_MS;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    // The CLI's own children (Codex's native binary, tools it started) are in its process group.
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // It ended just now.
    }
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolve(exitCode));
  }).finally(() => clearTimeout(timer));
  if (timedOut) throw new Error(`${bin} ${args.join(' ')} did not end within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`);
  return { code, stdout, stderr, home, cwd };
}

/** Asserts the run ended 0, showing what the CLI said when it did not. */
export function expectSuccess(run: CliRun): void {
  expect(run.code, `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`).toBe(0);
}

/**
 * The spend rows of a gateway, once `count` of them exist: the gateway writes a row right after the answer
 * ends, which may be a moment after the CLI has read it and exited.
 */
export async function spendRows(url: string, masterKey: string, count: number): Promise<SpendLogJson[]> {
  const api = admin(url, masterKey);
  await expect.poll(async () => (await api.spendLogs()).rows.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(count);
  return (await api.spendLogs()).rows;
}

/** Runs `action` and returns its result with the spend rows it added (polling until `count` new rows exist). */
export async function billedBy<T>(url: string, masterKey: string, action: () => Promise<T>, count = 1): Promise<{ result: T; rows: SpendLogJson[] }> {
  const api = admin(url, masterKey);
  const before = new Set((await api.spendLogs()).rows.map((row) => row.request_id));
  const result = await action();
  const added = async () => (await api.spendLogs()).rows.filter((row) => !before.has(row.request_id));
  await expect.poll(async () => (await added()).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(count);
  return { result, rows: await added() };
}

/**
 * Asserts the CLI ran a tool loop through the gateway: the mock got at least a tool call turn and a tool result
 * turn on `upstreamPath`, the first streamed with the client's tools, and the CLI printed the mock's last answer.
 * Returns the turns.
 */
export function expectToolLoop(run: CliRun, mock: MockProviders, upstreamPath: string): RecordedRequest[] {
  const turns = mock.requests.filter((r) => r.path === upstreamPath);
  expect(turns.length, 'a tool call turn and a tool result turn').toBeGreaterThanOrEqual(2);
  const first = turns[0]!.body as { stream?: boolean; tools?: unknown[] };
  expect(first.stream).toBe(true);
  expect(first.tools?.length).toBeGreaterThan(0);
  expect(run.stdout.trim()).toBe(mockFinalAnswer(turns[turns.length - 1]!).trim());
  return turns;
}

/** Asserts exactly one priced spend row per upstream call (`calls` of them) for this endpoint and model group; returns the rows. */
export async function expectEveryCallBilled(url: string, masterKey: string, calls: number, endpoint: string, modelGroup: string): Promise<SpendLogJson[]> {
  const rows = await spendRows(url, masterKey, calls);
  expect(rows).toHaveLength(calls);
  for (const row of rows) expectPricedRow(row, endpoint, modelGroup);
  return rows;
}

/** Asserts a successful, metered and priced spend row for this endpoint and model group. */
export function expectPricedRow(row: SpendLogJson | undefined, endpoint: string, modelGroup: string): void {
  expect(row, 'a spend row').toBeDefined();
  expect(row).toMatchObject({ status: 'success', model_group: modelGroup, metadata: expect.objectContaining({ endpoint }) });
  expect(row!.prompt_tokens).toBeGreaterThan(0);
  expect(row!.completion_tokens).toBeGreaterThan(0);
  expect(row!.spend).toBeGreaterThan(0);
  expect((row!.metadata as Record<string, unknown>).cost_source).not.toBe('unpriced');
}

/**
 * What the mock answered to the last request of a tool loop, as text: after a tool result (an OpenAI `tool`
 * message, an Anthropic user turn carrying the tool_result, a Responses `*_call_output` item) it echoes that
 * result, else the last user text (e2e/mock-providers/README.md).
 */
export function mockFinalAnswer(request: RecordedRequest): string {
  type Item = { type?: unknown; role?: unknown; content?: unknown; output?: unknown };
  const body = request.body as { messages?: unknown; input?: unknown } | undefined;
  if (typeof body?.input === 'string') return echoAnswer(body.input);
  const items = (Array.isArray(body?.messages) ? body.messages : Array.isArray(body?.input) ? body.input : []) as Item[];
  const last = items[items.length - 1];
  if (last?.role === 'tool') return echoAnswer(contentText(last.content));
  if (last?.type === 'function_call_output' || last?.type === 'custom_tool_call_output') return echoAnswer(contentText(last.output));
  return echoAnswer(lastUserText(items));
}
