/**
 * Seed 003's command line in its own process: `npm start -- --config config.json` listens on config.json's
 * `port` and serves its routes; `--port N` wins over it. Secrets go to the encrypted file in the test's data
 * folder, never to the OS keychain of whoever runs the tests.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMockProviders, type MockProviders } from './mock-providers/index.ts';
import { freePort, killCliProcesses, runCli, untilLive } from './support/cli-process.ts';

let mock: MockProviders;

beforeAll(async () => {
  mock = await startMockProviders();
});
afterAll(async () => {
  killCliProcesses();
  await mock?.close();
});

/** Starts `server/main.ts` (what `npm start` runs) and resolves once /health/liveliness answers on `port`. */
async function startCli(args: string[], port: number): Promise<void> {
  await untilLive(port, runCli(args));
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
