/**
 * OpenAI's Codex CLI (@openai/codex, pinned in e2e/clients/package.json) run headless with `codex exec` and the
 * README's ~/.codex/config.toml: a custom `model_providers` entry at the gateway with `wire_api = "responses"`
 * (the only wire Codex accepts now) and the key in an environment variable, plus its update-check, analytics and
 * feedback opt-outs. It streams POST /v1/responses for its default model, with its tools inside the input (an
 * `additional_tools` item) — config.yaml routes that name to an openai/ deployment (Responses served natively)
 * and, in a second gateway, to an anthropic/ one (translated to /v1/messages and back).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupCliTemps, clientBin, describeClient, expectEveryCallBilled, expectSuccess, gatewayWithOneModel, mockFinalAnswer, runCli } from './support.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The model Codex 0.171.0 asks for when nothing chooses one (docs/clients.md). */
const DEFAULT_MODEL = 'gpt-6.2-sol';
const MASTER_KEY = 'sk-gateway-master-codex';
/** Not in the bundled price table: priced in the deployment so the spend row has a cost. */
const PRICE = 'model_info: { input_cost_per_token: 0.00000125, output_cost_per_token: 0.00001 }';

const DEPLOYMENTS = {
  openai: {
    params: (mockUrl: string) => `{ model: openai/${DEFAULT_MODEL}, api_base: "${mockUrl}/v1", api_key: sk-openai-upstream }`,
    upstreamPath: '/v1/responses',
  },
  anthropic: {
    params: (mockUrl: string) => `{ model: anthropic/claude-sonnet-4-5, api_base: "${mockUrl}", api_key: sk-ant-upstream }`,
    upstreamPath: '/v1/messages',
  },
} as const;

/** The README's config, with the gateway's address. */
function codexConfig(gatewayUrl: string): string {
  return `model_provider = "llm-gateway"
check_for_update_on_startup = false

[model_providers.llm-gateway]
name = "LLM Gateway"
base_url = "${gatewayUrl}/v1"
env_key = "LLM_GATEWAY_API_KEY"
wire_api = "responses"

[analytics]
enabled = false

[feedback]
enabled = false
`;
}

afterAll(cleanupCliTemps);

describeClient('Codex', () => {
  for (const [kind, deployment] of Object.entries(DEPLOYMENTS)) {
    describe(`its default model on an ${kind}/ deployment`, () => {
      const running = gatewayWithOneModel(DEFAULT_MODEL, deployment.params, MASTER_KEY, PRICE);

      it('codex exec streams an answer through /v1/responses, and every call is billed', async () => {
        const { mock, gw } = running();
        // --skip-git-repo-check: the working folder is a fresh temp folder, not a git repository.
        const run = await runCli(clientBin('codex'), ['exec', '--skip-git-repo-check', 'Say hello to the gateway'], {
          prepareHome: (home) => {
            mkdirSync(join(home, '.codex'));
            writeFileSync(join(home, '.codex', 'config.toml'), codexConfig(gw.url));
          },
          env: { LLM_GATEWAY_API_KEY: MASTER_KEY },
        });
        expectSuccess(run);

        const calls = mock.requests.filter((r) => r.path === deployment.upstreamPath);
        expect(calls.length).toBeGreaterThanOrEqual(1);
        expect((calls[0]!.body as { stream?: boolean }).stream).toBe(true);
        // Codex prints the final answer alone on stdout (its banner and progress go to stderr).
        expect(run.stdout.trim()).toBe(mockFinalAnswer(calls[calls.length - 1]!).trim());
        expect(run.stdout).toContain('echo: ');

        const rows = await expectEveryCallBilled(gw.url, MASTER_KEY, calls.length, 'responses', DEFAULT_MODEL);
        for (const row of rows) expect(row.custom_llm_provider).toBe(kind);
      });
    });
  }
});
