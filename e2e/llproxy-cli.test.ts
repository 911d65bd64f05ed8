/**
 * Seed 003's command line in its own process: `npm start -- --config config.json` listens on config.json's
 * `port` and serves its routes; `--port N` wins over it. Secrets go to the encrypted file in the test's data
 * folder, never to the OS keychain of whoever runs the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMockProviders, type MockProviders } from './mock-providers/index.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const children: ChildProcess[] = [];
let mock: MockProviders;

beforeAll(async () => {
  mock = await startMockProviders();
});
afterAll(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await mock?.close();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `server/main.ts` (what `npm start` runs) and resolves once /health/liveliness answers on `port`. */
async function startCli(args: string[], port: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, LITELLM_MASTER_KEY: '', LLM_GATEWAY_DATA_DIR: '', LLM_GATEWAY_SECRET_BACKEND: 'encrypted-file' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const res = await fetch(`http://127.0.0.1:${port}/health/liveliness`).catch(() => undefined);
    if (res?.status === 200) return;
    if (child.exitCode !== null) throw new Error(`gateway exited early:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gateway did not become live on ${port}:\n${output}`);
}

function writeConfig(port: number): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gw-llproxy-cli-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ port, routes: { '/openai': { forward: mock.url, provider: 'openai', models: { 'gpt-4': { rpm: 200 } } } } }, null, 2));
  return { file, dir };
}

it("npm start -- --config config.json listens on config.json's port and serves /openai/v1 from its route", async () => {
  const port = await freePort();
  const { file, dir } = writeConfig(port);
  await startCli(['--config', file, '--data-dir', dir], port);
  const client = new OpenAI({ apiKey: 'sk-upstream', baseURL: `http://127.0.0.1:${port}/openai/v1`, maxRetries: 0 });
  const completion = await client.chat.completions.create({ model: 'gpt-4', messages: [{ role: 'user', content: 'hi from the cli' }] });
  expect(completion.choices[0]?.message.content).toContain('hi from the cli');
  expect(mock.requests.at(-1)?.headers.authorization).toBe('Bearer sk-upstream');
});

it('--port wins over config.json’s port', async () => {
  const [configPort, flagPort] = [await freePort(), await freePort()];
  const { file, dir } = writeConfig(configPort);
  await startCli(['--config', file, '--port', String(flagPort), '--data-dir', dir], flagPort);
  expect(
    await fetch(`http://127.0.0.1:${configPort}/health/liveliness`).then(
      (r) => r.status,
      () => 'refused',
    ),
  ).toBe('refused');
});
