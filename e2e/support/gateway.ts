/**
 * Starts a real gateway on an ephemeral loopback port from config.yaml text, exactly as `npm start`
 * would load it, and hands tests an official `openai` SDK client pointed at it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { parseConfig } from '../../server/config/index.ts';
import { ConfigFile } from '../../server/config/config-file.ts';
import { watchConfigFile } from '../../server/config/watch.ts';
import { createGateway, type Gateway } from '../../server/gateway.ts';
import { createLogger } from '../../server/observe/logger.ts';
import type { LogRing } from '../../server/observe/log-ring.ts';
import { MemorySecretStore, secretResolvers, type SecretStore } from '../../server/secrets/index.ts';
import { startMockProviders, type MockProviders } from '../mock-providers/index.ts';

export interface TestGatewayOptions {
  /**
   * Where the database (gateway.db, a real SQLite file in WAL mode) lives: a folder, or `true` for a fresh
   * temporary folder that close() removes. Without it the database is in memory.
   */
  dataDir?: string | true;
  /** Provider secrets: `keychain/NAME` references in the config resolve from here, and /admin/secrets serves it (with `configFile`, one in memory unless given). */
  secrets?: SecretStore;
  /** Log level of the gateway's logger (default silent). Lines at this level and above land in `ring`, never on stdout. */
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /**
   * Run from a real config.yaml, as `npm start` does: the config text is written to config.yaml in the data
   * folder (so `dataDir` is needed), the admin API's edits (models, routing, import) go to that file, and edits
   * to the file hot-reload. Literal api keys sent to /model/new land in `secrets`.
   */
  configFile?: boolean;
  /** Serve the dashboard from this folder (the built renderer/dist) at /ui/. */
  uiDir?: string;
}

export interface TestGateway {
  gateway: Gateway;
  url: string;
  /** The gateway's in-memory log ring (what the dashboard tails). */
  ring: LogRing;
  /** The database folder, when the gateway has one. */
  dataDir?: string;
  /** The config.yaml the gateway runs from (with `configFile: true`). */
  configPath?: string;
  /** The OpenAI SDK against the gateway, with retries off so each test sees exactly one attempt. */
  client(apiKey?: string): OpenAI;
  close(): Promise<void>;
}

export async function startTestGateway(
  configYaml: string,
  env: Record<string, string | undefined> = {},
  options: TestGatewayOptions = {},
): Promise<TestGateway> {
  // With a config file, API edits need a store for the secrets they take out of it (one in memory by default).
  const secrets = options.secrets ?? (options.configFile ? new MemorySecretStore() : undefined);
  const resolvers = secrets ? { resolvers: secretResolvers(secrets) } : {};
  const { logger, ring } = createLogger({ level: options.logLevel ?? 'silent', destination: null });
  const tempDir = options.dataDir === true ? mkdtempSync(join(tmpdir(), 'llm-gateway-e2e-')) : undefined;
  const dataDir = tempDir ?? (typeof options.dataDir === 'string' ? options.dataDir : undefined);
  const removeTemp = () => {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };
  let configFile: ConfigFile | undefined;
  if (options.configFile) {
    if (!dataDir) {
      removeTemp();
      throw new Error('startTestGateway: configFile needs a dataDir');
    }
    const path = join(dataDir, 'config.yaml');
    writeFileSync(path, configYaml, { mode: 0o600 });
    configFile = new ConfigFile(path, { env, ...resolvers, ...(secrets ? { secrets } : {}) }, logger);
  }
  const load = () => (configFile ? configFile.load() : parseConfig(configYaml, 'config.yaml', { env, ...resolvers }));
  let gateway: Gateway;
  let url: string;
  try {
    const loaded = load();
    gateway = await createGateway({
      config: loaded.resolved,
      env: loaded.env,
      port: 0,
      logger,
      ring,
      ...(dataDir ? { dataDir } : {}),
      ...(configFile ? { configFile } : {}),
      ...(options.uiDir ? { uiDir: options.uiDir } : {}),
      ...(secrets
        ? {
            secrets,
            reloadConfig: () => {
              const next = load();
              return { config: next.resolved, env: next.env };
            },
          }
        : {}),
    });
  } catch (err) {
    removeTemp();
    throw err;
  }
  try {
    url = await gateway.listen();
  } catch (err) {
    await gateway.close().catch(() => undefined);
    removeTemp();
    throw err;
  }
  const running = gateway;
  const stopWatching = configFile ? watchConfigFile({ configFile, apply: (next) => running.reload(next.resolved, next.env), logger }) : undefined;
  return {
    gateway,
    url,
    ring,
    ...(dataDir ? { dataDir } : {}),
    ...(configFile ? { configPath: configFile.path } : {}),
    client: (apiKey = 'sk-1234') => new OpenAI({ apiKey, baseURL: `${url}/v1`, maxRetries: 0, timeout: 15_000 }),
    close: async () => {
      stopWatching?.();
      try {
        await gateway.close();
      } finally {
        removeTemp();
      }
    },
  };
}

/** The mock providers and a gateway configured against them, for a test file's beforeAll/afterAll. */
export interface GatewayOnMocks {
  mock: MockProviders;
  gw: TestGateway;
  /** Closes the gateway, then the mock providers. */
  close(): Promise<void>;
}

/** Starts the mock providers, then a gateway from `config(mock.url)`; closes the mocks again if the gateway fails to start. */
export async function startGatewayOnMocks(
  config: (mockUrl: string) => string,
  env: Record<string, string | undefined> = {},
  options: TestGatewayOptions = {},
): Promise<GatewayOnMocks> {
  const mock = await startMockProviders();
  let gw: TestGateway;
  try {
    gw = await startTestGateway(config(mock.url), env, options);
  } catch (err) {
    await mock.close();
    throw err;
  }
  return {
    mock,
    gw,
    close: async () => {
      await gw.close();
      await mock.close();
    },
  };
}

/** LiteLLM's quick-start config (seed 000 style), with every api_base pointed at the mock providers. */
export function seedConfig(mockUrl: string): string {
  return `
model_list:
  - model_name: gpt-3.5-turbo
    litellm_params:
      model: azure/chatgpt-v-2
      api_base: ${mockUrl}/
      api_version: 2023-05-15
      api_key: os.environ/AZURE_API_KEY
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_base: ${mockUrl}/v1
      api_key: os.environ/OPENAI_API_KEY
  - model_name: claude-3
    litellm_params:
      model: anthropic/claude-3-haiku-20240307
      api_base: ${mockUrl}
      api_key: os.environ/ANTHROPIC_API_KEY
  - model_name: gpt-3.5-turbo-instruct
    litellm_params:
      model: openai/gpt-3.5-turbo-instruct
      api_base: ${mockUrl}/v1
      api_key: os.environ/OPENAI_API_KEY
  - model_name: text-embedding-ada-002
    litellm_params:
      model: azure/azure-embedding-model
      api_base: ${mockUrl}
      api_key: os.environ/AZURE_API_KEY
      api_version: "2023-05-15"
  - model_name: llama3
    llm_params:
      model: hosted_vllm/meta-llama/Meta-Llama-3-8B-Instruct
      api_base: ${mockUrl}
      api_key: os.environ/VLLM_API_KEY
litellm_settings:
  drop_params: True
  set_verbose: False
  request_timeout: 30
general_settings:
  master_key: sk-1234
`;
}

export const SEED_ENV = {
  AZURE_API_KEY: 'azure-key-abcd1234',
  OPENAI_API_KEY: 'sk-openai-test-5678',
  ANTHROPIC_API_KEY: 'sk-ant-test-9012',
  VLLM_API_KEY: 'vllm-token-3456',
};
