/**
 * Stored Responses API answers are kept 30 days by default, as OpenAI keeps them, then pruned (at start and
 * every hour); general_settings.stored_responses_retention_period sets another period, "" keeps them until deleted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogRing } from '../server/observe/log-ring.ts';
import { ResponseStore } from '../server/responses/response-store.ts';
import { databasePath, openDatabase } from '../server/store/database.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';

const DAY = 86_400_000;

const config = (general: string) => (mockUrl: string) =>
  `
model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-up }
general_settings:
  master_key: sk-1234
${general}
`;

let dir: string;
let running: GatewayOnMocks | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A data folder whose database holds responses created `ages` days ago. */
function dataDirWith(ages: Record<string, number>): string {
  dir = mkdtempSync(join(tmpdir(), 'llmgw-responses-retention-'));
  const db = openDatabase(databasePath(dir));
  const store = new ResponseStore(db);
  for (const [id, age] of Object.entries(ages)) {
    store.save({
      id,
      keyId: null,
      previousId: null,
      model: 'gpt-4o',
      inputItems: [],
      response: { id, object: 'response', output: [] },
      createdAt: Date.now() - age * DAY,
    });
  }
  db.close();
  return dir;
}

/** Resolves with the first log line (already written, or to come) that says `text`. */
function logLine(ring: LogRing, text: string): Promise<string> {
  const seen = ring.tail().find((line) => line.includes(text));
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const stop = ring.subscribe((line) => {
      if (!line.includes(text)) return;
      stop();
      resolve(line);
    });
  });
}

const retrieve = (id: string) => fetch(`${running!.gw.url}/v1/responses/${id}`, { headers: { authorization: 'Bearer sk-1234' } });

describe('stored responses retention', () => {
  it('prunes responses older than 30 days at start by default', async () => {
    running = await startGatewayOnMocks(config(''), {}, { dataDir: dataDirWith({ resp_old: 45, resp_recent: 3 }), logLevel: 'info' });
    expect(JSON.parse(await logLine(running.gw.ring, 'deleted stored responses'))).toMatchObject({ deleted: 1 });
    expect((await retrieve('resp_old')).status).toBe(404);
    expect((await retrieve('resp_recent')).status).toBe(200);
  });

  it('follows stored_responses_retention_period', async () => {
    running = await startGatewayOnMocks(
      config('  stored_responses_retention_period: 2d'),
      {},
      { dataDir: dataDirWith({ resp_week: 7, resp_new: 0 }), logLevel: 'info' },
    );
    expect(JSON.parse(await logLine(running.gw.ring, 'deleted stored responses'))).toMatchObject({ deleted: 1 });
    expect((await retrieve('resp_week')).status).toBe(404);
    expect((await retrieve('resp_new')).status).toBe(200);
  });
});
