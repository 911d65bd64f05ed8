/**
 * Hot reload: watches config.yaml and puts each valid new version into service. The folder is watched, not the
 * file, so editors that save by writing a new file and renaming it over the old one (vim, VS Code, the
 * gateway's own atomic writes) are seen too. Changes are debounced; a file whose content is what the gateway
 * already runs (its own write, a touch) is ignored; an invalid file is logged with its problems and the running
 * config is kept.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../observe/logger.ts';
import type { ApplyConfig, ConfigFile } from './config-file.ts';

export const DEFAULT_DEBOUNCE_MS = 200;

export interface WatchConfigOptions {
  configFile: ConfigFile;
  /** Puts a new config into service (the gateway's reload); throws, keeping the old one, when it cannot run. */
  apply: ApplyConfig;
  logger: Logger;
  debounceMs?: number;
}

/** Starts watching; returns the function that stops it. */
export function watchConfigFile(options: WatchConfigOptions): () => void {
  const { configFile, logger } = options;
  const name = basename(configFile.path);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher;

  const check = () => {
    timer = undefined;
    try {
      const loaded = configFile.reloadIfChanged(options.apply);
      if (!loaded) return;
      for (const warning of loaded.warnings) logger.warn(warning);
      const count = loaded.resolved.model_list.length;
      logger.info(`${name} reloaded: ${count} ${count === 1 ? 'model' : 'models'}`);
    } catch (error) {
      logger.error(`${error instanceof Error ? error.message : String(error)}\n${name} was not reloaded; the running config is kept.`);
    }
  };

  try {
    watcher = watch(dirname(configFile.path), { persistent: false }, (_event, changed) => {
      // Other files in the folder (gateway.db, its WAL, temp files) change all the time. `..data` is how
      // Kubernetes swaps a mounted ConfigMap; no name at all happens on some platforms.
      const file = changed?.toString();
      if (file && file !== name && !file.startsWith('..')) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(check, options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    });
  } catch (error) {
    logger.warn(`Cannot watch ${configFile.path} for changes (${(error as Error).message}); edits take effect after a restart.`);
    return () => undefined;
  }
  watcher.on('error', (error) => logger.warn(`Stopped watching ${configFile.path} for changes: ${error.message}`));

  return () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    watcher.close();
  };
}
