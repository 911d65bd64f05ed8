/** Replaying the spend journal charges each request once, whether or not it was imported before the crash. */
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseConfig } from '../config/index.ts';
import { createGateway } from '../gateway.ts';
import { createLogger } from '../observe/logger.ts';
import { spendRow } from '../spend/test-rows.ts';
import { SPEND_JOURNAL_FILE } from './spend-journal.ts';

const CONFIG = `
model_list:
  - model_name: priced-mock
    litellm_params: { model: mock/echo, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002 }
general_settings: { master_key: sk-master }
`;

async function start(dataDir: string) {
  const { logger } = createLogger({ level: 'silent', destination: null });
  const gateway = await createGateway({ config: parseConfig(CONFIG, 'config.yaml', { env: {} }).resolved, env: {}, port: 0, dataDir, logger });
  return { gateway, url: await gateway.listen() };
}

it('charges a replayed request once', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-replay-'));
  const first = await start(dataDir);
  const admin = { authorization: 'Bearer sk-master', 'content-type': 'application/json' };
  const { key, key_id: keyId } = (await (await fetch(`${first.url}/key/generate`, { method: 'POST', headers: admin, body: '{}' })).json()) as {
    key: string;
    key_id: string;
  };
  const res = await fetch(`${first.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'priced-mock', messages: [{ role: 'user', content: 'bill me' }] }),
  });
  expect(res.status).toBe(200);
  const logs = (await (await fetch(`${first.url}/spend/logs`, { headers: admin })).json()) as Record<string, unknown>[];
  expect(logs).toHaveLength(1);
  const spend = async (url: string) =>
    ((await (await fetch(`${url}/key/info?key=${key}`, { headers: admin })).json()) as { info: { spend: number } }).info.spend;
  const charged = await spend(first.url);
  expect(charged).toBeGreaterThan(0);
  const [imported] = first.gateway.runtime.services.spendLog.query({}, { page: 1, pageSize: 1 }).rows;
  expect(keyId).toMatch(/\S/);
  expect(imported?.keyId).toBe(keyId); // billed to the key that made the call
  await first.gateway.close();

  // A crash after the import but before the journal was emptied leaves the same row in it again.
  appendFileSync(join(dataDir, SPEND_JOURNAL_FILE), `${JSON.stringify(imported)}\n`);

  const second = await start(dataDir);
  expect(await spend(second.url)).toBe(charged);
  const after = (await (await fetch(`${second.url}/spend/logs`, { headers: admin })).json()) as unknown[];
  expect(after).toHaveLength(1);
  await second.gateway.close();
});

it('counts replayed spend in memory at once: /key/info and the budget check include it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-replay-'));
  const admin = { authorization: 'Bearer sk-master', 'content-type': 'application/json' };
  const first = await start(dataDir);
  const generated = await fetch(`${first.url}/key/generate`, { method: 'POST', headers: admin, body: JSON.stringify({ max_budget: 0.001 }) });
  const { key, key_id: keyId } = (await generated.json()) as { key: string; key_id: string };
  await first.gateway.close();

  // What a process killed before its import leaves behind: a row journaled, its key charged nowhere yet.
  const budgetNanos = 1_000_000;
  const journaled = spendRow({
    requestId: 'req-journaled-before-kill',
    keyId,
    keyHash: null,
    keyAlias: null,
    modelGroup: 'priced-mock',
    deploymentId: null,
    provider: 'mock',
    apiBase: null,
    model: 'echo',
    costNanos: budgetNanos,
    startTime: Date.now(),
    endTime: Date.now(),
  });
  appendFileSync(join(dataDir, SPEND_JOURNAL_FILE), `${JSON.stringify(journaled)}\n`);

  const second = await start(dataDir);
  try {
    const info = (await (await fetch(`${second.url}/key/info?key=${key}`, { headers: admin })).json()) as { info: { spend: number } };
    expect(info.info.spend).toBe(0.001);
    const refused = await fetch(`${second.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'priced-mock', messages: [{ role: 'user', content: 'over budget' }], max_tokens: 5 }),
    });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('insufficient_quota');
  } finally {
    await second.gateway.close();
  }
});
