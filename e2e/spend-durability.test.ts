/**
 * A spend row is durable before its response finishes: after `kill -9` under load, every request that
 * returned 200 has its row once the gateway starts again (it replays its spend journal), and the key's
 * spend equals the sum of its rows.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMockProviders, type MockProviders } from './mock-providers/index.ts';

const ROOT = new URL('..', import.meta.url).pathname;
let mock: MockProviders;

beforeAll(async () => {
  mock = await startMockProviders({ record: false });
});
afterAll(async () => {
  await mock?.close();
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

it('keeps the spend row of every answered request through kill -9', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-kill9-'));
  const configFile = join(dataDir, 'config.yaml');
  writeFileSync(
    configFile,
    `model_list:\n  - model_name: gpt-4o\n    litellm_params: { model: openai/gpt-4o, api_base: "${mock.url}/v1", api_key: sk-up }\ngeneral_settings:\n  master_key: sk-1234\n`,
  );
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const startGateway = () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--config', configFile, '--port', String(port), '--data-dir', dataDir], {
      cwd: ROOT,
      env: { ...process.env, LITELLM_MASTER_KEY: '', LLM_GATEWAY_SECRET_BACKEND: 'memory' },
      stdio: 'ignore',
    });
    return { proc, exited: new Promise((resolve) => proc.on('exit', resolve)) };
  };
  const live = () =>
    expect
      .poll(
        () =>
          fetch(`${base}/health/liveliness`).then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 15_000, interval: 100 },
      )
      .toBe(200);
  const { proc: child, exited } = startGateway();
  try {
    await live();
    const generated = await fetch(`${base}/key/generate`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-1234', 'content-type': 'application/json' },
      body: JSON.stringify({ key_alias: 'load' }),
    });
    const { key } = (await generated.json()) as { key: string };

    const answered: string[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        try {
          const res = await fetch(`${base}/v1/chat/completions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'count this call' }] }),
          });
          await res.text();
          if (res.status === 200) answered.push(res.headers.get('x-litellm-call-id')!);
        } catch {
          return; // the gateway is gone
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await expect.poll(() => answered.length, { timeout: 10_000, interval: 20 }).toBeGreaterThan(200);
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await exited;

    // The next start imports what the killed process had only journaled, then stops cleanly.
    const again = startGateway();
    await live();
    // The restarted gateway counts the replayed spend in memory too (what /key/info and budgets read).
    const info = await fetch(`${base}/key/info?key=${key}`, { headers: { authorization: 'Bearer sk-1234' } });
    const { info: restarted } = (await info.json()) as { info: { spend: number } };
    again.proc.kill('SIGTERM');
    await again.exited;

    const db = new Database(join(dataDir, 'gateway.db'));
    try {
      const ids = new Set((db.prepare('SELECT request_id FROM spend_logs').all() as { request_id: string }[]).map((r) => r.request_id));
      const missing = answered.filter((id) => !ids.has(id));
      expect(missing).toEqual([]);
      const sum = db.prepare('SELECT SUM(cost_nanos) AS total FROM spend_logs WHERE key_alias = ?').get('load') as { total: number };
      const spent = db.prepare('SELECT spend_nanos FROM keys WHERE key_alias = ?').get('load') as { spend_nanos: number };
      expect(sum.total).toBeGreaterThan(0);
      expect(spent.spend_nanos).toBe(sum.total);
      expect(restarted.spend).toBe(sum.total / 1e9);
    } finally {
      db.close();
    }
  } finally {
    child.kill('SIGKILL');
  }
}, 40_000);
