/**
 * Records each check the config watcher makes (ConfigFile.reloadIfChanged, server/config/watch.ts): the text it
 * found and whether it reloaded. A test that expects the watcher NOT to reload (the gateway's own write) waits for
 * the check that saw the file as it is now, the moment a reload would have happened, instead of sleeping.
 *
 *   const checks = recordConfigChecks(configFile);
 *   …the gateway writes config.yaml…
 *   await checks.seen(readFileSync(path, 'utf8'));
 *   expect(checks.reloads()).toBe(0);
 */
import { readFileSync } from 'node:fs';
import type { ConfigFile } from '../../server/config/config-file.ts';

export interface ConfigCheck {
  text: string;
  outcome: 'reloaded' | 'unchanged' | 'rejected';
}

export interface ConfigChecks {
  readonly list: ConfigCheck[];
  /** How many checks put a new config into service. */
  reloads(): number;
  /** Resolves once a check has read exactly `text` (rejects after `timeoutMs`, a safety net only). */
  seen(text: string, timeoutMs?: number): Promise<ConfigCheck>;
}

export function recordConfigChecks(configFile: ConfigFile): ConfigChecks {
  const list: ConfigCheck[] = [];
  const reloadIfChanged = configFile.reloadIfChanged.bind(configFile);
  configFile.reloadIfChanged = (apply) => {
    let text = '';
    try {
      text = readFileSync(configFile.path, 'utf8');
    } catch {
      // Unreadable at this moment (mid-rename): the check itself will say so.
    }
    const check: ConfigCheck = { text, outcome: 'unchanged' };
    list.push(check);
    try {
      const loaded = reloadIfChanged(apply);
      if (loaded) check.outcome = 'reloaded';
      return loaded;
    } catch (error) {
      check.outcome = 'rejected';
      throw error;
    }
  };
  return {
    list,
    reloads: () => list.filter((c) => c.outcome === 'reloaded').length,
    async seen(text, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = list.find((c) => c.text === text);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`the config watcher never checked this text; it checked:\n${list.map((c) => c.text).join('\n---\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}
