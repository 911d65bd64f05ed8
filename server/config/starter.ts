import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.ts';
import { MASTER_KEY_REFERENCE, MASTER_KEY_SECRET } from './master-key.ts';

/**
 * The config.yaml written on first run. It must work offline out of the box (the first model is the built-in
 * mock provider) and teach the LiteLLM format by example, so the other providers are there, commented out.
 */
export const STARTER_CONFIG_YAML = `# LLM Gateway configuration — the same format as LiteLLM proxy's config.yaml,
# so a config can move between the two unchanged.
#
# Clients (OpenAI SDKs, Aider, Continue, Open WebUI, Claude Code, …) ask for a model by its
# model_name; the gateway sends the call to a deployment listed under that name. Several
# entries with the same model_name are load-balanced and fail over to each other.
#
# Secrets: never paste keys here. Write \`os.environ/NAME\` and the gateway reads the
# environment variable NAME when it loads this file.

model_list:
  # Built-in offline mock: answers by echoing your last message. No account, no network.
  # Try it: curl http://localhost:4000/v1/chat/completions -H 'Content-Type: application/json' \\
  #           -d '{"model": "mock-gpt", "messages": [{"role": "user", "content": "hello"}]}'
  - model_name: mock-gpt
    litellm_params:
      model: mock/echo
      # mock_response: "A fixed answer instead of the echo"
      # mock_latency: 250          # milliseconds before answering

  # OpenAI
  # - model_name: gpt-4o
  #   litellm_params:
  #     model: openai/gpt-4o
  #     api_key: os.environ/OPENAI_API_KEY
  #     rpm: 500                   # requests per minute this deployment may take

  # Azure OpenAI: model is azure/<your deployment name>. Quote api_version so YAML keeps it as text.
  # - model_name: gpt-4o
  #   litellm_params:
  #     model: azure/my-gpt-4o-deployment
  #     api_base: os.environ/AZURE_API_BASE      # https://<resource>.openai.azure.com
  #     api_key: os.environ/AZURE_API_KEY
  #     api_version: "2024-06-01"

  # Anthropic
  # - model_name: claude-sonnet
  #   litellm_params:
  #     model: anthropic/claude-sonnet-4-5
  #     api_key: os.environ/ANTHROPIC_API_KEY

  # Ollama on this machine (no key needed)
  # - model_name: llama3
  #   litellm_params:
  #     model: ollama/llama3.1
  #     api_base: http://localhost:11434

litellm_settings:
  # num_retries: 2               # retries on the same model before falling back
  # request_timeout: 600         # seconds for a whole upstream call
  # drop_params: true            # drop parameters a provider does not support instead of failing
  # fallbacks: [{ gpt-4o: [claude-sonnet] }]

router_settings:
  # routing_strategy: simple-shuffle

general_settings:
  # The admin key for the dashboard and the /key/* endpoints. Required before serving other machines.
  # master_key: os.environ/LLM_GATEWAY_MASTER_KEY

# environment_variables:         # set here, visible to os.environ/ references above
#   AZURE_API_BASE: https://my-resource.openai.azure.com
`;

export interface StarterOptions {
  /**
   * The first run generated a master key into the SecretStore: where it is kept, in words for the comment
   * (`the OS keychain`). The starter then has `master_key: keychain/LLM_GATEWAY_MASTER_KEY`, and its example
   * request sends the key. Without it, the starter has no master key (the example is commented out).
   */
  masterKeyIn?: string;
}

/** The starter config.yaml: STARTER_CONFIG_YAML, or with a generated master key (see StarterOptions). */
export function starterConfigYaml(options: StarterOptions = {}): string {
  if (options.masterKeyIn === undefined) return STARTER_CONFIG_YAML;
  return STARTER_CONFIG_YAML.replace(
    STARTER_CURL,
    `  # Built-in offline mock: answers by echoing your last message. No account, no network.
  # Try it, with the master key (general_settings below):
  #   curl http://localhost:4000/v1/chat/completions -H 'Content-Type: application/json' \\
  #     -H "Authorization: Bearer $(npm start --silent -- --print-master-key)" \\
  #     -d '{"model": "mock-gpt", "messages": [{"role": "user", "content": "hello"}]}'
`,
  ).replace(
    STARTER_GENERAL_SETTINGS,
    `general_settings:
  # The admin key for the dashboard and the /key/* endpoints; every request needs it (or a virtual key).
  # Generated on first run and kept in ${options.masterKeyIn} as ${MASTER_KEY_SECRET};
  # rotate it in the dashboard's Settings. \`npm start -- --print-master-key\` prints it.
  master_key: ${MASTER_KEY_REFERENCE}
`,
  );
}

const STARTER_CURL = `  # Built-in offline mock: answers by echoing your last message. No account, no network.
  # Try it: curl http://localhost:4000/v1/chat/completions -H 'Content-Type: application/json' \\
  #           -d '{"model": "mock-gpt", "messages": [{"role": "user", "content": "hello"}]}'
`;

const STARTER_GENERAL_SETTINGS = `general_settings:
  # The admin key for the dashboard and the /key/* endpoints. Required before serving other machines.
  # master_key: os.environ/LLM_GATEWAY_MASTER_KEY
`;

/**
 * Makes sure `dataDir/config.yaml` exists, writing the starter config on first run. An existing file is never
 * touched, even if it is invalid: it is the user's.
 */
export function ensureStarterConfig(dataDir: string, options: StarterOptions = {}): { path: string; created: boolean } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'config.yaml');
  if (existsSync(path)) return { path, created: false };
  const created = writeFileAtomic(path, starterConfigYaml(options), { mode: 0o600, overwrite: false });
  return { path, created };
}
