/**
 * Claude Code (@anthropic-ai/claude-code, pinned in e2e/clients/package.json) run headless with `claude -p`
 * and its DEFAULT settings against the gateway: only ANTHROPIC_BASE_URL and a key, plus its telemetry,
 * auto-update and error-reporting opt-outs. It sends POST /v1/messages?beta=true, streaming, with its tools,
 * for its default model; config.yaml routes that name to an anthropic/ deployment (relayed natively) and, in
 * a second gateway, to an openai/ one (translated). The mock answers the first turn with a call to the first
 * tool (arguments Claude Code rejects), Claude Code sends the error back as a tool result, and the mock
 * echoes that: so one run proves the stream, the tool call and the tool-result turn, and both turns are billed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupCliTemps, clientBin, describeClient, expectEveryCallBilled, expectSuccess, expectToolLoop, gatewayWithOneModel, runCli } from './support.ts';

/** The model Claude Code 2.1.332 asks for when nothing chooses one (docs/clients.md). */
const DEFAULT_MODEL = 'claude-opus-5-5';
const MASTER_KEY = 'sk-gateway-master-cc';
/** Not in the bundled price table: priced in the deployment so the spend row has a cost. */
const PRICE = 'model_info: { input_cost_per_token: 0.000005, output_cost_per_token: 0.000025 }';

const DEPLOYMENTS = {
  anthropic: {
    params: (mockUrl: string) => `{ model: anthropic/${DEFAULT_MODEL}, api_base: "${mockUrl}", api_key: sk-ant-upstream }`,
    upstreamPath: '/v1/messages',
    // Both of Claude Code's ways to pass a key: x-api-key here, Authorization: Bearer below.
    auth: { ANTHROPIC_API_KEY: MASTER_KEY },
  },
  openai: {
    params: (mockUrl: string) => `{ model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-openai-upstream }`,
    upstreamPath: '/v1/chat/completions',
    auth: { ANTHROPIC_AUTH_TOKEN: MASTER_KEY },
  },
} as const;

afterAll(cleanupCliTemps);

describeClient('Claude Code', () => {
  for (const [kind, deployment] of Object.entries(DEPLOYMENTS)) {
    describe(`its default model on an ${kind}/ deployment`, () => {
      const running = gatewayWithOneModel(DEFAULT_MODEL, deployment.params, MASTER_KEY, PRICE);

      it('claude -p streams an answer with tools through /v1/messages, runs the tool loop, and every turn is billed', async () => {
        const { mock, gw } = running();
        const run = await runCli(clientBin('claude'), ['-p', 'Say hello to the gateway'], {
          env: {
            ANTHROPIC_BASE_URL: gw.url,
            ...deployment.auth,
            DISABLE_TELEMETRY: '1',
            DISABLE_AUTOUPDATER: '1',
            DISABLE_ERROR_REPORTING: '1',
            CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          },
        });
        expectSuccess(run);

        const turns = expectToolLoop(run, mock, deployment.upstreamPath);
        const rows = await expectEveryCallBilled(gw.url, MASTER_KEY, turns.length, 'messages', DEFAULT_MODEL);
        for (const row of rows) {
          expect(row.metadata.stream).toBe(true);
          expect(row.custom_llm_provider).toBe(kind);
        }
      });
    });
  }
});
