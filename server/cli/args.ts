/**
 * The command line, LiteLLM proxy's flags (plus --data-dir). `--flag_name` and `--flag-name` both work, and so does
 * a single dash before a long name (`-config f`, `-health`, `-test`), as the seeds' texts write them.
 */
import { parseArgs } from 'node:util';

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  model: { type: 'string', short: 'm' },
  alias: { type: 'string' },
  api_base: { type: 'string' },
  api_version: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  debug: { type: 'boolean' },
  detailed_debug: { type: 'boolean' },
  temperature: { type: 'string' },
  max_tokens: { type: 'string' },
  request_timeout: { type: 'string' },
  drop_params: { type: 'boolean' },
  add_function_to_prompt: { type: 'boolean' },
  test: { type: 'boolean' },
  health: { type: 'boolean' },
  'print-master-key': { type: 'boolean' },
  telemetry: { type: 'string' },
  num_workers: { type: 'string' },
  'data-dir': { type: 'string' },
  'update-prices': { type: 'string' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface CliFlags {
  config?: string;
  model?: string;
  alias?: string;
  apiBase?: string;
  apiVersion?: string;
  port: number;
  /** --port was given: it wins over a config's own port (LLProxy's config.json `port`). */
  portGiven?: boolean;
  host: string;
  debug: boolean;
  detailedDebug: boolean;
  temperature?: number;
  maxTokens?: number;
  requestTimeout?: number;
  dropParams: boolean;
  /** `--add_function_to_prompt`: litellm_settings.add_function_to_prompt (tools as prompt text for providers without tools). */
  addFunctionToPrompt: boolean;
  test: boolean;
  health: boolean;
  /** Print the data dir's master key (config.yaml's general_settings.master_key, resolved) and exit. */
  printMasterKey: boolean;
  dataDir?: string;
  /** `--num_workers N` (LiteLLM's uvicorn workers): accepted; the gateway runs one process, and says so when N > 1. */
  numWorkers?: number;
  /**
   * `--update-prices [FILE|URL]`: replace the price table in the data dir and exit. '' when given without a
   * source (LiteLLM's public cost map); undefined when not given.
   */
  updatePrices?: string;
  version: boolean;
  help: boolean;
}

export class CliError extends Error {}

export const USAGE = `Usage: npm start -- [options]

  -c, --config FILE        LiteLLM-format config.yaml (default: the starter config in the data dir)
  -m, --model NAME         serve this one model (e.g. openai/gpt-4o, ollama/llama3); every requested name goes to it
      --alias NAME         the model name clients use for --model
      --api_base URL       upstream base URL for --model
      --api_version V      upstream API version for --model (Azure)
      --port N             port to listen on (default 4000)
      --host H             address to bind (default 127.0.0.1; anything else needs a master key)
      --temperature T      default temperature
      --max_tokens N       default max_tokens
      --request_timeout S  seconds before an upstream call is abandoned (default 600)
      --drop_params        drop parameters a provider does not accept instead of failing
      --add_function_to_prompt
                           for providers without tools, write the request's functions into the system prompt
      --debug              one log line per request
      --detailed_debug     also log each upstream request as a curl command (secrets masked)
      --test               send a test chat request to the running gateway and print the answer
      --health             print the running gateway's /health report
      --print-master-key   print the master key of config.yaml in the data dir (or --config) and exit
      --telemetry BOOL     accepted for LiteLLM compatibility; nothing is ever sent anywhere
      --num_workers N      accepted for LiteLLM compatibility: one process serves (several need team mode)
      --data-dir DIR       where config.yaml and the database live (default: the OS app-data folder)
      --update-prices [FILE|URL]
                           replace the price table with LiteLLM's newest cost map (default URL), or with FILE or URL,
                           after checking it; stored in the data dir, used from the next call of a running gateway; exits
  -v, --version            print the version
  -h, --help               print this help

A single dash works for the long names too (-config FILE, -health, -test).`;

const LONG_NAMES = Object.keys(OPTIONS);
const SHORTS = Object.values(OPTIONS).filter((o): o is typeof o & { short: string } => 'short' in o);
const SHORT_WITH_VALUE = new Set(SHORTS.filter((o) => o.type === 'string').map((o) => o.short));
const SHORT_SWITCHES = new Set(SHORTS.filter((o) => o.type === 'boolean').map((o) => o.short));

/** The option a long name means, with dashes and underscores alike (`api-base` → `api_base`); undefined when none. */
function longOption(name: string): string | undefined {
  return [name, name.replace(/-/g, '_'), name.replace(/_/g, '-')].find((c) => LONG_NAMES.includes(c));
}

/**
 * `--api-base` → `--api_base`, `--data_dir` → `--data-dir`: people type both. `-config` → `--config`: a single dash
 * before a whole long name (never before one letter: `-c file`, `-cfile` stay short flags).
 */
function normaliseFlag(token: string): string {
  const dashes = token.startsWith('--') ? 2 : token.startsWith('-') ? 1 : 0;
  if (dashes === 0) return token;
  const [name = '', ...value] = token.slice(dashes).split('=');
  if (dashes === 1 && name.length < 2) return token;
  const match = longOption(name);
  if (dashes === 1 && match === undefined) {
    // `-cmy.yaml`, `-vh`: one-letter flags as parseArgs reads them. Anything else would be misread letter by letter.
    const first = name[0] ?? '';
    if (SHORT_WITH_VALUE.has(first) || [...name].every((letter) => SHORT_SWITCHES.has(letter))) return token;
    throw new CliError(`Unknown option '${token}'.\n\n${USAGE}`);
  }
  return `--${match ?? name}${value.length ? `=${value.join('=')}` : ''}`;
}

/** Flags whose value may be left out; parseArgs has no such option, so an empty value stands for "none given". */
const OPTIONAL_VALUE = new Set(['--update-prices']);

function withOptionalValues(args: string[]): string[] {
  const out: string[] = [];
  args.forEach((arg, i) => {
    out.push(arg);
    const next = args[i + 1];
    if (OPTIONAL_VALUE.has(arg) && (next === undefined || next.startsWith('-'))) out.push('');
  });
  return out;
}

function toNumber(flag: string, value: string | undefined, check: (n: number) => boolean, expected: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n)) throw new CliError(`--${flag} must be ${expected}, got \`${value}\`.`);
  return n;
}

export function parseCli(argv: string[]): CliFlags {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; strict: true; allowPositionals: false }>>['values'];
  try {
    ({ values } = parseArgs({ args: withOptionalValues(argv.map(normaliseFlag)), options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${USAGE}`);
  }
  return {
    config: values.config,
    model: values.model,
    alias: values.alias,
    apiBase: values.api_base,
    apiVersion: values.api_version,
    port: toNumber('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a port number (0-65535)') ?? 4000,
    ...(values.port !== undefined ? { portGiven: true } : {}),
    host: values.host ?? '127.0.0.1',
    debug: values.debug ?? false,
    detailedDebug: values.detailed_debug ?? false,
    temperature: toNumber('temperature', values.temperature, (n) => n >= 0 && n <= 2, 'a number from 0 to 2'),
    maxTokens: toNumber('max_tokens', values.max_tokens, (n) => Number.isInteger(n) && n > 0, 'a positive whole number'),
    requestTimeout: toNumber('request_timeout', values.request_timeout, (n) => n > 0, 'a positive number of seconds'),
    dropParams: values.drop_params ?? false,
    addFunctionToPrompt: values.add_function_to_prompt ?? false,
    test: values.test ?? false,
    health: values.health ?? false,
    printMasterKey: values['print-master-key'] ?? false,
    dataDir: values['data-dir'],
    ...(values.num_workers !== undefined
      ? { numWorkers: toNumber('num_workers', values.num_workers, (n) => Number.isInteger(n) && n >= 1, 'a whole number of at least 1') }
      : {}),
    ...(values['update-prices'] !== undefined ? { updatePrices: values['update-prices'] } : {}),
    version: values.version ?? false,
    help: values.help ?? false,
  };
}
