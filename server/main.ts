/**
 * `npm start -- [flags]`: the headless gateway in the foreground, LiteLLM proxy's CLI. Also `--test`, `--health`,
 * `--print-master-key` (the first two against a gateway that is already running) and `--update-prices`, which
 * stores a new price table in the data dir and exits.
 */
import { ConfigError } from './config/index.ts';
import { CliError, parseCli, USAGE, type CliFlags } from './cli/args.ts';
import { runHealthCheck, runTestRequest } from './cli/client-commands.ts';
import { clientMasterKey, configuredMasterKey } from './cli/master-key-command.ts';
import { updatePricesCommand } from './cli/update-prices-command.ts';
import { DeploymentError } from './router/deployments.ts';
import { serveGateway } from './serve.ts';
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
  if (flags.updatePrices !== undefined) {
    console.log(await updatePricesCommand(flags));
    return 0;
  }
  if (flags.test || flags.health) return runClientCommand(flags);
  await serveGateway({ flags, handleSignals: true });
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
