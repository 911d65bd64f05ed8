/** The headless gateway as people run it: the CLI in its own process, on the embedded default and with flags. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function runCli(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, LITELLM_MASTER_KEY: '', LLM_GATEWAY_DATA_DIR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function untilLive(port: number, run: Run): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const res = await fetch(`http://127.0.0.1:${port}/health/liveliness`).catch(() => undefined);
    if (res?.status === 200) return;
    if (run.child.exitCode !== null) throw new Error(`gateway exited early:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gateway did not become live:\n${run.output()}`);
}

const chat = (port: number, model?: string) =>
  fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: 'POST',
    body: JSON.stringify({ ...(model ? { model } : {}), messages: [{ role: 'user', content: 'first curl' }] }),
  });

describe('npm start', () => {
  it('starts on the embedded default: a starter config with the offline mock model, then --test and --health answer', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-cli-'));
    const port = await freePort();
    const server = runCli(['--data-dir', dataDir, '--port', String(port)]);
    await untilLive(port, server);
    expect(existsSync(join(dataDir, 'config.yaml'))).toBe(true);
    expect(readFileSync(join(dataDir, 'config.yaml'), 'utf8')).toContain('model: mock/echo');

    const res = await chat(port);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe('Echo: first curl');

    const test = runCli(['--test', '--port', String(port)]);
    expect(await test.exited).toBe(0);
    expect(test.output()).toContain('mock-gpt: Echo:');

    const health = runCli(['--health', '--port', String(port)]);
    expect(await health.exited).toBe(0);
    expect(JSON.parse(health.output())).toMatchObject({ healthy_count: 1, unhealthy_count: 0 });

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
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
    const server = runCli(['--host', '0.0.0.0', '--port', String(port), '--data-dir', mkdtempSync(join(tmpdir(), 'gw-cli-'))]);
    await untilLive(port, server);
    expect(server.output()).toContain('WITHOUT a master key');
    server.child.kill('SIGTERM');
    await server.exited;

    const bad = runCli(['--no-such-flag']);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('Usage: npm start');
  });
});
