/**
 * The encrypted-secrets-file warning is said once per data folder (issue #14): two starts of the real CLI on one
 * data folder (secrets in the encrypted file, as on a server without a keychain) print it once; the second start
 * says where the secrets are in one info line. A fresh data folder hears the warning again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SECRETS_README_SECTION } from '../server/secrets/open-secret-store.ts';
import { freePort, killCliProcesses, runCli, untilLive } from './support/cli-process.ts';

const dirs: string[] = [];
afterAll(() => {
  killCliProcesses();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llm-gateway-warn-once-'));
  dirs.push(dir);
  return dir;
}

/** Starts the gateway on `dir`, waits until it serves, stops it; returns what it printed. */
async function startAndStop(dir: string): Promise<string> {
  const port = await freePort();
  const run = runCli(['--data-dir', dir, '--port', String(port), '--model', 'mock/echo']);
  await untilLive(port, run);
  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(0);
  return run.output();
}

const warnings = (output: string) => output.split('\n').filter((line) => line.includes('which protects them less than an OS keychain'));

describe('the encrypted-file warning', () => {
  it('is printed at the first start on a data folder and not at the second', async () => {
    const dir = dataDir();
    const first = await startAndStop(dir);
    expect(warnings(first)).toHaveLength(1);
    expect(warnings(first)[0]).toContain(SECRETS_README_SECTION);
    expect(first).toContain(join(dir, 'secrets.enc'));

    const second = await startAndStop(dir);
    expect(warnings(second)).toHaveLength(0);
    expect(second).toContain(`weaker than an OS keychain: ${SECRETS_README_SECTION}`);

    // Another data folder is told again.
    expect(warnings(await startAndStop(dataDir()))).toHaveLength(1);
    // Three process starts on a busy machine: a generous bound, not a performance claim.
  }, 120_000);
});
