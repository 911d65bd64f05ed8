/**
 * The headless gateway as people run it: the CLI in its own process, on the embedded default and with flags.
 * Secrets go to the encrypted file in each test's data folder (LLM_GATEWAY_SECRET_BACKEND), never to the OS
 * keychain of whoever runs the tests.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliRun, freePort, killCliProcesses, runCli, untilLive } from './support/cli-process.ts';

afterAll(killCliProcesses);

const chat = (port: number, model?: string, key?: string) =>
  fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ ...(model ? { model } : {}), messages: [{ role: 'user', content: 'first curl' }] }),
  });

/** The master key a first start prints (once, on stdout), with the dashboard's address. */
function printedMasterKey(output: string, port: number): string {
  const line = new RegExp(
    `Dashboard: http://localhost:${port}/ui/ — master key \\(shown once, also in the encrypted secrets file \\(secrets\\.enc in the data folder\\) as LLM_GATEWAY_MASTER_KEY\\): (sk-[A-Za-z0-9_-]{43})\\n`,
  ).exec(output);
  if (!line?.[1]) throw new Error(`no master key in the output:\n${output}`);
  return line[1];
}

async function untilOutput(run: CliRun, text: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!run.output().includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

describe('npm start', () => {
  it('starts on the embedded default: a starter config with the offline mock model and a generated master key, then --test and --health answer', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-cli-'));
    const port = await freePort();
    const server = runCli(['--data-dir', dataDir, '--port', String(port)]);
    await untilLive(port, server);
    await untilOutput(server, 'Dashboard:');
    const config = readFileSync(join(dataDir, 'config.yaml'), 'utf8');
    expect(config).toContain('model: mock/echo');
    // The first start made a master key: kept in the secret store, referred to from config.yaml, shown once.
    const key = printedMasterKey(server.output(), port);
    expect(config).toContain('  master_key: keychain/LLM_GATEWAY_MASTER_KEY\n');
    expect(config).not.toContain(key);
    expect(readdirSync(dataDir)).toContain('secrets.enc');
    expect(server.output().split(key).length).toBe(2);

    expect((await chat(port)).status).toBe(401);
    const res = await chat(port, undefined, key);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe('Echo: first curl');

    // --print-master-key reads it back from the data folder; --test finds it there too.
    const printed = runCli(['--print-master-key', '--data-dir', dataDir]);
    expect(await printed.exited).toBe(0);
    expect(printed.output().trim().split('\n').at(-1)).toBe(key);

    const test = runCli(['--test', '--port', String(port), '--data-dir', dataDir]);
    expect(await test.exited).toBe(0);
    expect(test.output()).toContain('mock-gpt: Echo:');

    const health = runCli(['--health', '--port', String(port)], { LITELLM_MASTER_KEY: key });
    expect(await health.exited).toBe(0);
    expect(JSON.parse(health.output().slice(health.output().indexOf('{')))).toMatchObject({ healthy_count: 1, unhealthy_count: 0 });

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    // A second start keeps the key: nothing generated, nothing shown.
    const again = runCli(['--data-dir', dataDir, '--port', String(port)]);
    await untilLive(port, again);
    expect(again.output()).not.toContain('Dashboard:');
    expect(again.output()).not.toContain(key);
    expect(readFileSync(join(dataDir, 'config.yaml'), 'utf8')).toBe(config);
    expect((await chat(port, undefined, key)).status).toBe(200);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('--print-master-key says why when there is no key to print', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gw-cli-'));
    const none = runCli(['--print-master-key', '--data-dir', empty]);
    expect(await none.exited).toBe(2);
    expect(none.output()).toContain(`There is no config.yaml in ${empty} yet`);
    writeFileSync(join(empty, 'config.yaml'), 'model_list: []\n');
    const keyless = runCli(['--print-master-key', '--data-dir', empty]);
    expect(await keyless.exited).toBe(2);
    expect(keyless.output()).toContain('has no master key');
    const fromEnv = runCli(['--print-master-key', '--data-dir', empty], { LITELLM_MASTER_KEY: 'sk-from-env-1234' });
    expect(await fromEnv.exited).toBe(0);
    expect(fromEnv.output().trim().split('\n').at(-1)).toBe('sk-from-env-1234');
  });

  it('--model serves one model under every requested name, with --alias', async () => {
    const port = await freePort();
    const server = runCli(['--model', 'mock/echo', '--alias', 'my-model', '--port', String(port), '--data-dir', mkdtempSync(join(tmpdir(), 'gw-cli-'))]);
    await untilLive(port, server);
    expect((await chat(port, 'gpt-4o')).status).toBe(200);
    expect((await chat(port, 'anything-at-all')).status).toBe(200);
    const models = (await (await fetch(`http://127.0.0.1:${port}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(['my-model']);
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('refuses a broken config with the file, the path and the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-cli-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'model_list:\n  - model_name: a\n    litellm_params:\n      api_base: http://x\n');
    const run = runCli(['--config', file, '--port', String(await freePort()), '--data-dir', dir]);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain(file);
    expect(run.output()).toContain('model_list[0].litellm_params.model');
    expect(run.output()).toContain('openai/gpt-4o');
  });

  it('says so when the port is taken', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-cli-'));
    const first = runCli(['--port', String(port), '--data-dir', dataDir]);
    await untilLive(port, first);
    const second = runCli(['--port', String(port), '--data-dir', dataDir]);
    expect(await second.exited).toBe(2);
    expect(second.output()).toContain(`Port ${port} is in use`);
    first.child.kill('SIGTERM');
    await first.exited;
  });

  it('warns loudly when bound beyond loopback without a master key, and rejects unknown flags', async () => {
    const port = await freePort();
    // --model has no config file, so no generated master key.
    const server = runCli(['--model', 'mock/echo', '--host', '0.0.0.0', '--port', String(port), '--data-dir', mkdtempSync(join(tmpdir(), 'gw-cli-'))]);
    await untilLive(port, server);
    expect(server.output()).toContain('WITHOUT a master key');
    server.child.kill('SIGTERM');
    await server.exited;

    const bad = runCli(['--no-such-flag']);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('Usage: npm start');
  });
});
