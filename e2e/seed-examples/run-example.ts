/**
 * Runs one seed example: starts the gateway its `start` describes (the CLI's own code, `parseCli` → `serveGateway`,
 * in this process: one gateway per distinct start, shared by the examples that use it), runs its commands verbatim
 * (curl through bash; `npm start -- --test|--health` as the CLI in its own process) and reports every expectation
 * that did not hold.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { parseCli } from '../../server/cli/args.ts';
import { serveGateway, type ServingGateway } from '../../server/serve.ts';
import type { FramedMockProviders } from '../mock-providers/framed-server.ts';
import type { MockProviders } from '../mock-providers/index.ts';
import { freePort, runCli } from '../support/cli-process.ts';
import { startRedis, type StartedRedis } from '../support/redis.ts';
import { npmStartArgs, rewriteGatewayAddress, withMock, type GatewayStart, type SeedExample } from './fixtures.ts';

/** The mock providers: `{mock}` (HTTP+JSON providers) and `{framed}` (AWS event-stream, NDJSON: Bedrock, SageMaker). */
export interface SeedMocks {
  mock: MockProviders;
  framed: FramedMockProviders;
}

/** Where each mock's request log stands now. */
const mark = (mocks: SeedMocks) => ({ mock: mocks.mock.requests.length, framed: mocks.framed.requests.length });

/** The upstream calls both mocks recorded since `since`, as path and model. */
function upstreamCallsSince(mocks: SeedMocks, since: ReturnType<typeof mark>): { path: string; model: string | undefined }[] {
  return [
    ...mocks.mock.requests.slice(since.mock).map((r) => ({ path: r.path, model: r.model })),
    ...mocks.framed.requests.slice(since.framed).map((r) => ({ path: r.path, model: r.target })),
  ];
}

const withMocks = (text: string, mocks: SeedMocks, redis?: StartedRedis) =>
  withMock(text, mocks.mock.url)
    .replaceAll('{framed}', mocks.framed.url)
    .replaceAll('{redis_port}', String(redis?.port ?? ''));

export interface StartedSeedGateway {
  port: number;
  env: Record<string, string>;
  serving?: ServingGateway;
  /** Why it did not start (examples that need it fail with this). */
  startError?: string;
  close(): Promise<void>;
}

/** `KEY=value` lines of a .env file (compose's env_file), comments and blank lines skipped. */
function dotenv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) env[match[1]!] = match[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

/** Starts the gateway as `npm start -- <args>` does, on a free port, with the documented environment. */
export async function startSeedGateway(start: GatewayStart, mocks: SeedMocks): Promise<StartedSeedGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-seed-example-'));
  const port = await freePort();
  // The Redis the documentation has the user run (its REDIS_HOST / REDIS_PORT): a private redis-server.
  const redis = start.services?.includes('redis') ? await startRedis() : undefined;
  const sub = (text: string) => withMocks(text, mocks, redis);
  // A documented file path (`/path/to/config.yaml`) names the file the test writes for it.
  const paths = new Map<string, string>();
  for (const [name, text] of Object.entries(start.files ?? {})) {
    const path = join(dir, name.replace(/^.*\//, ''));
    writeFileSync(path, sub(text));
    paths.set(name, path);
  }
  const fileEnv = start.files?.['.env'] !== undefined ? dotenv(sub(start.files['.env'])) : {};
  const env = {
    LLM_GATEWAY_SECRET_BACKEND: 'encrypted-file',
    ...fileEnv,
    ...Object.fromEntries(Object.entries(start.env ?? {}).map(([k, v]) => [k, sub(v)])),
  };
  let args: string[];
  try {
    args = npmStartArgs(sub(start.command)).map((arg) => paths.get(arg) ?? arg);
  } catch (err) {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
    return { port, env, startError: `the command line does not parse: ${(err as Error).message}`, close: async () => {} };
  }
  const portAt = args.findIndex((a) => a === '--port' || a === '-port');
  if (portAt >= 0) args[portAt + 1] = String(port);
  else args.push('--port', String(port));
  args.push('--data-dir', dir);

  // The documentation's `export`s, for this gateway's lifetime (examples run one at a time).
  const saved = new Map<string, string | undefined>();
  for (const key of ['LITELLM_MASTER_KEY', 'LLM_GATEWAY_DATA_DIR', ...Object.keys(env)]) saved.set(key, process.env[key]);
  delete process.env.LITELLM_MASTER_KEY;
  delete process.env.LLM_GATEWAY_DATA_DIR;
  Object.assign(process.env, env);
  const restore = () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  const cleanup = async (serving?: ServingGateway) => {
    await serving?.close();
    await redis?.stop();
    restore();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const serving = await serveGateway({ flags: parseCli(args), logDestination: null });
    return { port, env, serving, close: () => cleanup(serving) };
  } catch (err) {
    return { port, env, startError: (err as Error).message, close: () => cleanup() };
  }
}

/** Each curl's HTTP status goes to a file; the body to stdout as usual (so `$(curl … | jq -r .key)` still works). */
const CURL_STATUS_WRAPPER = `curl() {
  local out rc
  out=$(command curl -sS -w '\\n%{http_code}' "$@"); rc=$?
  printf '%s\\n' "\${out##*$'\\n'}" >> "$SEED_STATUS_FILE"
  printf '%s\\n' "\${out%$'\\n'*}"
  return $rc
}
`;

interface Outcome {
  output: string;
  statuses: number[];
  exit: number;
}

function runShell(script: string, env: Record<string, string>): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-seed-curl-'));
  const statusFile = join(dir, 'status');
  writeFileSync(statusFile, '');
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', `${CURL_STATUS_WRAPPER}set -e\n${script}`],
      { env: { ...process.env, ...env, SEED_STATUS_FILE: statusFile }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const statuses = readFileSync(statusFile, 'utf8').split('\n').filter(Boolean).map(Number);
        rmSync(dir, { recursive: true, force: true });
        resolve({ output: stdout + stderr, statuses, exit: error ? ((error as { code?: number }).code ?? 1) : 0 });
      },
    );
  });
}

async function runCommand(command: string, gateway: StartedSeedGateway): Promise<Outcome> {
  if (!command.startsWith('npm start --')) return runShell(rewriteGatewayAddress(command, gateway.port), gateway.env);
  const args = npmStartArgs(command);
  if (!args.some((a) => a === '--port' || a === '-port')) args.push('--port', String(gateway.port));
  const cli = runCli(args, gateway.env);
  const exit = (await cli.exited) ?? 1;
  return { output: cli.output(), statuses: [], exit };
}

async function runClient(example: SeedExample, gateway: StartedSeedGateway): Promise<Outcome> {
  const call = example.client!;
  const client = new OpenAI({ apiKey: call.api_key, baseURL: rewriteGatewayAddress(call.base_url, gateway.port), maxRetries: 0, timeout: 15_000 });
  try {
    if (call.stream) {
      const stream = await client.chat.completions.create({ model: call.model, messages: call.messages, stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return { output: text, statuses: [200], exit: 0 };
    }
    const completion = await client.chat.completions.create({ model: call.model, messages: call.messages });
    return { output: JSON.stringify(completion), statuses: [200], exit: 0 };
  } catch (err) {
    return { output: String(err), statuses: [(err as { status?: number }).status ?? 0], exit: 1 };
  }
}

/** What did not hold, in words (empty when the example works). */
export async function runSeedExample(example: SeedExample, gateway: StartedSeedGateway, mocks: SeedMocks): Promise<string[]> {
  if (gateway.startError) return [`the gateway did not start: ${gateway.startError}`];
  const before = mark(mocks);
  const outcomes: Outcome[] = [];
  for (const command of example.run ?? []) outcomes.push(await runCommand(command, gateway));
  if (example.client) outcomes.push(await runClient(example, gateway));
  const output = outcomes.map((o) => o.output).join('\n');
  const statuses = outcomes.flatMap((o) => o.statuses);
  const exit = outcomes.find((o) => o.exit !== 0)?.exit ?? 0;
  const expect = example.expect ?? {};
  const problems: string[] = [];
  const shown = output.length > 600 ? `${output.slice(0, 600)}…` : output;
  if (expect.status && JSON.stringify(statuses) !== JSON.stringify(expect.status))
    problems.push(`statuses ${JSON.stringify(statuses)}, expected ${JSON.stringify(expect.status)}; output: ${shown}`);
  if (exit !== (expect.exit ?? 0)) problems.push(`exit ${exit}, expected ${expect.exit ?? 0}; output: ${shown}`);
  for (const text of expect.output_contains ?? []) if (!output.includes(text)) problems.push(`output lacks ${JSON.stringify(text)}: ${shown}`);
  for (const text of expect.output_lacks ?? []) if (output.includes(text)) problems.push(`output contains ${JSON.stringify(text)}: ${shown}`);
  if (expect.upstream_path !== undefined) {
    const since = upstreamCallsSince(mocks, before);
    const calls = since.filter((r) => r.path.includes(expect.upstream_path!));
    const count = expect.upstream_count;
    if (count === undefined ? calls.length === 0 : calls.length !== count)
      problems.push(
        `the mock got ${calls.length} call(s) to …${expect.upstream_path}…, expected ${count ?? 'at least 1'} (got: ${since.map((r) => r.path).join(', ') || 'none'})`,
      );
    if (expect.upstream_model && calls.some((r) => r.model !== expect.upstream_model))
      problems.push(`the mock was asked for ${calls.map((r) => r.model).join(', ')}, expected ${expect.upstream_model}`);
  }
  return problems;
}
