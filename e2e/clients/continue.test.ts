/**
 * The Continue CLI (@continuedev/cli, `cn`, pinned in e2e/clients/package.json) run headless with `cn -p` and a
 * config.yaml whose one model is `provider: openai` with `apiBase` at the gateway — what the README tells users.
 * It streams POST /v1/chat/completions with its tools (stream_options.include_usage); the mock answers with a call
 * to the first tool, Continue sends back the tool's error as a `tool` message, and the mock echoes that.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, it } from 'vitest';
import { cleanupCliTemps, clientBin, describeClient, expectEveryCallBilled, expectSuccess, expectToolLoop, gatewayWithOneModel, runCli } from './support.ts';

const MASTER_KEY = 'sk-gateway-master-cn';
const MODEL = 'gpt-4o';

afterAll(cleanupCliTemps);

describeClient('Continue CLI', () => {
  const running = gatewayWithOneModel(MODEL, (mockUrl) => `{ model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-openai-upstream }`, MASTER_KEY);

  it('cn -p streams chat completions with tools through the gateway, runs the tool loop, and every turn is billed', async () => {
    const { mock, gw } = running();
    const configPath = (home: string) => join(home, '.continue', 'gateway.yaml');
    const run = await runCli(clientBin('cn'), (home) => ['-p', 'Say hello to the gateway', '--config', configPath(home)], {
      prepareHome: (home) => {
        mkdirSync(join(home, '.continue', 'index'), { recursive: true });
        writeFileSync(
          configPath(home),
          [
            'name: LLM Gateway',
            'version: 1.0.0',
            'schema: v1',
            'models:',
            `  - name: ${MODEL} via the gateway`,
            '    provider: openai',
            `    model: ${MODEL}`,
            `    apiBase: ${gw.url}/v1`,
            `    apiKey: ${MASTER_KEY}`,
            '    roles: [chat, edit, apply]',
            '',
          ].join('\n'),
        );
        // Its own setting: never install a newer release over itself (the check itself cannot be turned off).
        writeFileSync(join(home, '.continue', 'index', 'globalContext.json'), JSON.stringify({ autoUpdateCli: false }));
      },
      env: { CONTINUE_CLI_ENABLE_TELEMETRY: '0', CONTINUE_METRICS_ENABLED: '0' },
    });
    expectSuccess(run);

    const turns = expectToolLoop(run, mock, '/v1/chat/completions');
    await expectEveryCallBilled(gw.url, MASTER_KEY, turns.length, 'chat', MODEL);
  });
});
