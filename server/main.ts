/**
 * `npm start -- [flags]`: the headless gateway in the foreground, LiteLLM proxy's CLI. Also `--test`, `--health` and
 * `--print-master-key` (the first two against a gateway that is already running).
 */
import { ConfigError } from './config/index.ts';
import { CliError, parseCli, USAGE, type CliFlags } from './cli/args.ts';
import { runHealthCheck, runTestRequest } from './cli/client-commands.ts';
import { defaultDataDir } from './cli/data-dir.ts';
import { clientMasterKey, configuredMasterKey } from './cli/master-key-command.ts';
import { firstRunNotice, startupConfig } from './cli/startup-config.ts';
import { watchConfigFile } from './config/watch.ts';
import { createGateway } from './gateway.ts';
import { openSecretStore, secretResolvers } from './secrets/index.ts';
import { isLoopbackHost } from './http/security.ts';
import { createLogger } from './observe/logger.ts';
import { DeploymentError } from './router/deployments.ts';
import { VERSION } from './version.ts';

function clientTarget(flags: CliFlags) {
  const host = flags.host === '0.0.0.0' || flags.host === '::' ? '127.0.0.1' : flags.host;
  const key = clientMasterKey(flags);
  return { baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${flags.port}`, ...(key ? { key } : {}) };
}

async function runClientCommand(flags: CliFlags): Promise<number> {
  if (flags.health) {
    const { healthy, report } = await runHealthCheck(clientTarget(flags));
    console.log(JSON.stringify(report, null, 2));
    return healthy ? 0 : 1;
  }
  console.log(await runTestRequest(clientTarget(flags), flags.model));
  return 0;
}

async function serve(flags: CliFlags): Promise<void> {
  const level = flags.detailedDebug ? 'trace' : flags.debug ? 'debug' : 'info';
  const { logger, ring } = createLogger({ level });
  const dataDir = flags.dataDir ?? process.env.LLM_GATEWAY_DATA_DIR ?? defaultDataDir();
  const secrets = openSecretStore({ dataDir, logger });
  const { loaded, source, catchAllModel, notes, configFile, firstRunMasterKey } = startupConfig(flags, dataDir, secretResolvers(secrets), { secrets, logger });
  for (const note of notes) logger.info(note);
  for (const warning of loaded.warnings) logger.warn(warning);

  const gateway = await createGateway({
    config: loaded.resolved,
    env: loaded.env,
    host: flags.host,
    port: flags.port,
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
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(`Port ${flags.port} is in use: another gateway or program listens there. Stop it, or start with --port N.`);
    }
    throw err;
  }
  const models = gateway.runtime.state.router.modelNames();
  logger.info(`LLM Gateway ${VERSION} listening on ${url} (config: ${source}; data: ${dataDir})`);
  // On stdout, not through the logger: the key must not land in the log (or the dashboard's log tail).
  if (firstRunMasterKey) console.log(firstRunNotice(url, firstRunMasterKey));
  logger.info(`Models: ${models.join(', ') || '(none)'}${catchAllModel ? ' — every requested model name is served by it' : ''}`);
  // Hot reload: edits to config.yaml take effect without a restart; an invalid edit is logged and ignored.
  const stopWatching = configFile ? watchConfigFile({ configFile, apply: (next) => gateway.reload(next.resolved, next.env), logger }) : undefined;

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    stopWatching?.();
    logger.info(`${signal}: finishing in-flight requests, then stopping`);
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

async function main(argv: string[]): Promise<number | undefined> {
  const flags = parseCli(argv);
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  if (flags.version) {
    console.log(VERSION);
    return 0;
  }
  if (flags.printMasterKey) {
    console.log(configuredMasterKey(flags));
    return 0;
  }
  if (flags.test || flags.health) return runClientCommand(flags);
  await serve(flags);
  return undefined;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (err: unknown) => {
    const known = err instanceof CliError || err instanceof ConfigError || err instanceof DeploymentError;
    console.error(known ? `Error: ${(err as Error).message}` : err);
    process.exit(known ? 2 : 1);
  },
);
