/**
 * Starting the gateway as `npm start` does — flags → data dir, secret store, config, listen, hot reload — in one
 * function, so the desktop app's utility process runs exactly this and not a second implementation.
 */
import { CliError, type CliFlags } from './cli/args.ts';
import { defaultDataDir } from './cli/data-dir.ts';
import { firstRunNotice, startupConfig } from './cli/startup-config.ts';
import { watchConfigFile } from './config/watch.ts';
import { createGateway } from './gateway.ts';
import { secretStoreInfo } from './http/routes/admin-settings.ts';
import { isLoopbackHost } from './http/security.ts';
import { createLogger } from './observe/logger.ts';
import { openSecretStore, secretResolvers } from './secrets/index.ts';
import { VERSION } from './version.ts';

export interface ServeOptions {
  /** parseCli(argv)'s result; the desktop builds it with its own port and data dir. */
  flags: CliFlags;
  /** Where log lines go besides the dashboard's ring (default stdout; null: the ring only). */
  logDestination?: NodeJS.WritableStream | null;
  /** SIGINT/SIGTERM finish in-flight requests, then exit: for `npm start`, not for a hosted process. */
  handleSignals?: boolean;
  /** Where the first-run notice (with the new master key) goes; default stdout. Never the logger: keys stay out of logs. */
  printNotice?: (text: string) => void;
}

export interface ServingGateway {
  url: string;
  host: string;
  port: number;
  dataDir: string;
  configPath: string | null;
  secretStore: { kind: 'keychain' | 'file' | 'memory'; weakerProtection: boolean };
  /** The master key in force (follows rotation and reloads): for the desktop's hand-over to its own window only. */
  masterKey(): string | undefined;
  /** Stops watching config.yaml, finishes in-flight requests, closes SQLite. */
  close(): Promise<void>;
}

/** The port is taken: the desktop asks whose it is; `npm start` says so and exits. */
export class PortInUseError extends CliError {
  constructor(readonly port: number) {
    super(`Port ${port} is in use: another gateway or program listens there. Stop it, or start with --port N.`);
    this.name = 'PortInUseError';
  }
}

export async function serveGateway(options: ServeOptions): Promise<ServingGateway> {
  const { flags } = options;
  const level = flags.detailedDebug ? 'trace' : flags.debug ? 'debug' : 'info';
  const { logger, ring } = createLogger({ level, ...(options.logDestination !== undefined ? { destination: options.logDestination } : {}) });
  const dataDir = flags.dataDir ?? process.env.LLM_GATEWAY_DATA_DIR ?? defaultDataDir();
  const secrets = openSecretStore({ dataDir, logger });
  const { loaded, source, catchAllModel, notes, configFile, firstRunMasterKey } = startupConfig(flags, dataDir, secretResolvers(secrets), { secrets, logger });
  for (const note of notes) logger.info(note);
  for (const warning of loaded.warnings) logger.warn(warning);

  // --port wins; else the config's own port (LLProxy's config.json has one), else 4000.
  const configPort = loaded.resolved.general_settings.port;
  const port = !flags.portGiven && typeof configPort === 'number' ? configPort : flags.port;
  const gateway = await createGateway({
    config: loaded.resolved,
    env: loaded.env,
    host: flags.host,
    port,
    dataDir,
    secrets,
    reloadConfig: () => {
      const again = configFile ? configFile.load() : startupConfig(flags, dataDir, secretResolvers(secrets)).loaded;
      return { config: again.resolved, env: again.env };
    },
    logger,
    ring,
    ...(catchAllModel ? { catchAllModel } : {}),
    ...(configFile ? { configFile } : {}),
  });
  if (!isLoopbackHost(flags.host) && !gateway.runtime.state.masterKey) {
    logger.warn(
      `\n!!! Listening on ${flags.host} WITHOUT a master key: anyone who can reach this machine can spend your provider credits.\n` +
        '!!! Set general_settings.master_key in config.yaml (or LITELLM_MASTER_KEY), or bind 127.0.0.1.',
    );
  }
  let url: string;
  try {
    url = await gateway.listen();
  } catch (err) {
    await gateway.close().catch(() => {});
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(port);
    throw err;
  }
  const models = gateway.runtime.state.router.modelNames();
  logger.info(`LLM Gateway ${VERSION} listening on ${url} (config: ${source}; data: ${dataDir})`);
  if (firstRunMasterKey) (options.printNotice ?? console.log)(firstRunNotice(url, firstRunMasterKey));
  logger.info(`Models: ${models.join(', ') || '(none)'}${catchAllModel ? ' — every requested model name is served by it' : ''}`);
  // Hot reload: edits to config.yaml take effect without a restart; an invalid edit is logged and ignored.
  const stopWatching = configFile ? watchConfigFile({ configFile, apply: (next) => gateway.reload(next.resolved, next.env), logger }) : undefined;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      stopWatching?.();
      await gateway.close();
    })();
    return closing;
  };

  if (options.handleSignals) {
    let signalled = false;
    const shutdown = (signal: string) => {
      if (signalled) process.exit(1);
      signalled = true;
      logger.info(`${signal}: finishing in-flight requests, then stopping`);
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
  }

  const bound = new URL(url);
  return {
    url,
    host: flags.host,
    port: Number(bound.port),
    dataDir,
    configPath: configFile?.path ?? null,
    secretStore: { kind: secretStoreInfo(secrets).kind, weakerProtection: secrets.weakerProtection },
    masterKey: () => gateway.runtime.state.masterKey,
    close,
  };
}
