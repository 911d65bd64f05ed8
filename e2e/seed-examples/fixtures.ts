/**
 * The seed-example fixtures (`seed-*.yaml` beside this file): what each seed's documentation tells a user to run,
 * copied from the documentation, with `litellm` written `npm start --` and providers replaced by the mock providers
 * (an `api_base`, or the provider's base-URL environment variable, pointed at `{mock}`). Those two, and the
 * gateway's host:port (the runner rewrites `0.0.0.0:8000` to the test's port, keeping `0.0.0.0`), are the only
 * changes made to an example; anything else that had to change is said in the example's `note`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const FIXTURES_DIR = new URL('.', import.meta.url).pathname;

/** How the gateway an example talks to is started; examples with the same `start` share one gateway. */
export interface GatewayStart {
  /** `npm start -- …` as documented (`litellm` → `npm start --`); an argument naming one of `files` is that file. */
  command: string;
  /** Environment the documentation exports (`export X=…`), provider base URLs pointed at `{mock}`. */
  env?: Record<string, string>;
  /** Files the documentation has the user write (config.yaml, config.json, .env), by the path the command names. */
  files?: Record<string, string>;
  /** Services the documentation has the user run beside the gateway: `redis` (a private redis-server; `{redis_port}`). */
  services?: 'redis'[];
}

/** An OpenAI-client snippet: run with the official `openai` npm SDK, which sends the same HTTP request. */
export interface ClientCall {
  base_url: string;
  api_key: string;
  model: string;
  messages: { role: 'user' | 'system' | 'assistant'; content: string }[];
  stream?: boolean;
}

export interface Expectation {
  /** HTTP status of each curl, in order. */
  status?: number[];
  /** Exit code of the shell script or CLI command (default 0). */
  exit?: number;
  /** Text the output (curl bodies, the CLI's stdout) contains. */
  output_contains?: string[];
  /** Text the output must not contain. */
  output_lacks?: string[];
  /** The mock provider received (since the example began) requests whose path contains this text. */
  upstream_path?: string;
  /** How many such requests (default: at least one). */
  upstream_count?: number;
  /** The model those requests named (body or Azure deployment). */
  upstream_model?: string;
}

export interface SeedExample {
  id: string;
  /** Where the documentation says it (URL#section). */
  source: string;
  start?: GatewayStart;
  /** Shell commands, verbatim: curl calls, or `npm start -- --test` / `--health` (run as the CLI in its own process). */
  run?: string[];
  /** The documented client snippet (Python), kept verbatim for reference; `client` is the request it makes. */
  snippet?: string;
  client?: ClientCall;
  expect?: Expectation;
  /** Anything changed besides the allowed replacements, and why. */
  note?: string;
  /** Not run: the example needs something this machine cannot have (a real cloud account, a missing client). */
  skip?: string;
  /** Run, and expected to fail this way (the test fails if it starts working, so the mark gets removed). */
  known_failure?: string;
}

export interface SeedFixture {
  seed: string;
  title: string;
  sources: Record<string, string>;
  examples: SeedExample[];
}

export function loadSeedFixtures(): SeedFixture[] {
  return readdirSync(FIXTURES_DIR)
    .filter((name) => /^seed-.*\.yaml$/.test(name))
    .sort()
    .map((name) => parse(readFileSync(join(FIXTURES_DIR, name), 'utf8')) as SeedFixture);
}

/** `0.0.0.0:8000` (and the other documented gateway addresses) → `0.0.0.0:<port>`: where the test's gateway listens. */
export function rewriteGatewayAddress(text: string, port: number): string {
  return text.replace(/(?<![\w.-])(?:0\.0\.0\.0|localhost|127\.0\.0\.1|<your-proxy-address>|proxyhost):(?:8000|4000|8080)\b/g, `0.0.0.0:${port}`);
}

/** `{mock}` → the mock providers' base URL. */
export function withMock(text: string, mockUrl: string): string {
  return text.replaceAll('{mock}', mockUrl);
}

/** Splits a documented command line into words: backslash-newline continuations, single and double quotes. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  let inWord = false;
  const text = command.replace(/\\\n/g, ' ');
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unbalanced ${quote} in: ${command}`);
  if (inWord) words.push(current);
  return words;
}

/** The arguments after `npm start --`. */
export function npmStartArgs(command: string): string[] {
  const words = shellWords(command);
  if (words.slice(0, 3).join(' ') !== 'npm start --') throw new Error(`not an \`npm start --\` command: ${command}`);
  return words.slice(3);
}
