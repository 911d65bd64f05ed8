import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordConfigChecks } from '../../e2e/support/config-checks.ts';
import { createLogger } from '../observe/logger.ts';
import { ConfigFile } from './config-file.ts';
import type { LoadedConfig } from './load.ts';
import { watchConfigFile } from './watch.ts';

const config = (...names: string[]) =>
  `# my comment\nmodel_list:\n${names.map((n) => `  - model_name: ${n}\n    litellm_params: { model: mock/echo }\n`).join('')}`;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function setup(initial = config('a')) {
  const dir = mkdtempSync(join(tmpdir(), 'config-watch-'));
  const path = join(dir, 'config.yaml');
  writeFileSync(path, initial);
  const file = new ConfigFile(path);
  file.load();
  // Each check the watcher makes: a test that expects no reload waits for the check where it would have happened.
  const checks = recordConfigChecks(file);
  const { logger, ring } = createLogger({ level: 'info', destination: null });
  const applied: LoadedConfig[] = [];
  const stop = watchConfigFile({ configFile: file, apply: (loaded) => void applied.push(loaded), logger, debounceMs: 50 });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), stop);
  const lines = () => ring.tail().map((line) => JSON.parse(line) as { level: number; msg: string });
  return { dir, path, file, applied, lines, stop, checks };
}

const names = (loaded: LoadedConfig | undefined) => loaded?.raw.model_list.map((e) => e.model_name);

async function until(condition: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('watchConfigFile', () => {
  it('applies a changed file once, debounced, and logs how many models it has', async () => {
    const { path, applied, lines, checks } = setup();
    writeFileSync(path, config('a', 'b'));
    writeFileSync(path, config('a', 'b', 'c'));
    await checks.seen(config('a', 'b', 'c'));
    // Both writes' events fell within one debounce: one check, of the final file.
    expect(checks.list.map((c) => [c.outcome, c.text])).toEqual([['reloaded', config('a', 'b', 'c')]]);
    expect(applied.map(names)).toEqual([['a', 'b', 'c']]);
    expect(
      lines()
        .filter((l) => l.level === 30)
        .map((l) => l.msg),
    ).toEqual(['config.yaml reloaded: 3 models']);
  });

  it('sees a file replaced by rename, as editors save', async () => {
    const { dir, path, applied } = setup();
    const temp = join(dir, 'config.yaml.swp');
    writeFileSync(temp, config('renamed'));
    renameSync(temp, path);
    await until(() => applied.length > 0);
    expect(names(applied[0])).toEqual(['renamed']);
  });

  it('keeps the running config on an invalid file and logs its problems at error level', async () => {
    const { path, file, applied, lines } = setup();
    writeFileSync(path, 'model_list:\n  - model_name: broken\n');
    await until(() => lines().some((l) => l.level === 50));
    const error = lines().find((l) => l.level === 50)?.msg ?? '';
    expect(error).toContain(`Invalid config file ${path}`);
    expect(error).toMatch(/model_list\[0\]\.litellm_params \(line 2, column 5\): missing/);
    expect(error).toContain('the running config is kept');
    expect(applied).toEqual([]);
    expect(names(file.current)).toEqual(['a']);
    // Fixing it reloads.
    writeFileSync(path, config('fixed'));
    await until(() => applied.length > 0);
    expect(names(applied[0])).toEqual(['fixed']);
  });

  it('ignores the gateway’s own writes and files beside config.yaml', async () => {
    const { dir, path, file, applied, lines, checks } = setup();
    writeFileSync(join(dir, 'gateway.db-wal'), 'x');
    file.addModel({ model_name: 'added', litellm_params: { model: 'mock/echo' } });
    // The watcher does look at config.yaml after the gateway's write: that check, and any other, reloads nothing.
    await checks.seen(readFileSync(path, 'utf8'));
    expect(checks.list.map((c) => c.outcome)).toEqual(['unchanged']);
    expect(applied).toEqual([]);
    expect(lines().filter((l) => l.msg.includes('reloaded'))).toEqual([]);
  });

  it('stops', async () => {
    const { path, applied, stop, checks } = setup();
    stop();
    // A second watcher on the same file, slower (100 ms against 50): when it has reloaded, the stopped one would have too.
    const probe = new ConfigFile(path);
    probe.load();
    const probed: LoadedConfig[] = [];
    cleanups.push(
      watchConfigFile({
        configFile: probe,
        apply: (loaded) => void probed.push(loaded),
        logger: createLogger({ level: 'silent', destination: null }).logger,
        debounceMs: 100,
      }),
    );
    writeFileSync(path, config('after-stop'));
    await until(() => probed.length > 0);
    expect(names(probed[0])).toEqual(['after-stop']);
    expect(checks.list).toEqual([]);
    expect(applied).toEqual([]);
  });
});
