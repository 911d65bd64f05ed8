/**
 * The seeds' command lines, verbatim but for `litellm` → `npm start --`, against the CLI in its own process:
 * single-dash long flags (`-config f`, `-port N`, `-health`, `-test`), `--num_workers 4` and `--telemetry False`;
 * a config that names logging callbacks the gateway does not run (one warning each); the quick-start curl (at
 * 0.0.0.0, its body ending in `],\n }`); `--model` errors that name the flag. Secrets go to the encrypted file in
 * each test's data folder, never to the OS keychain of whoever runs the tests.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, killCliProcesses, runCli, untilLive } from './support/cli-process.ts';

afterAll(killCliProcesses);

/** How many lines of `output` contain `text`. */
const linesWith = (output: string, text: string) => output.split('\n').filter((line) => line.includes(text)).length;

const CONFIG = `model_list:
  - model_name: gpt-3.5-turbo
    litellm_params:
      model: mock/echo
llm_settings:
  drop_params: True
  success_callback: ["langfuse", "posthog"]
  failure_callback: ["sentry", "langfuse"]
general_settings:
  master_key: sk-1234
`;

/** LiteLLM's quick-start curl body, as its docs print it. */
const QUICK_START_BODY = ` {
      "model": "gpt-3.5-turbo",
      "messages": [
        {
          "role": "user",
          "content": "what llm are you"
        }
      ],
    }
`;

describe("the seeds' command lines", () => {
  it('npm start -- -config config.yaml -port N --num_workers 4 --telemetry False: serves, says what it does not do once each; -test and -health answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-seed-cli-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, CONFIG);
    const port = await freePort();
    const server = runCli(['-config', file, '-port', String(port), '--num_workers', '4', '--telemetry', 'False', '--data-dir', dir]);
    await untilLive(port, server);

    // curl --location 'http://0.0.0.0:4000/chat/completions' --header 'Content-Type: application/json' --data ' {… ],\n }'
    const res = await fetch(`http://0.0.0.0:${port}/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer sk-1234' },
      body: QUICK_START_BODY,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe('Echo: what llm are you');

    const output = server.output();
    expect(linesWith(output, '--num_workers 4: LLM Gateway runs one worker')).toBe(1);
    for (const name of ['langfuse', 'posthog', 'sentry']) expect(linesWith(output, `\`${name}\` is not run by LLM Gateway`), name).toBe(1);
    expect(output).not.toContain('unknown key `llm_settings`');

    const test = runCli(['-test', '-port', String(port)], { LITELLM_MASTER_KEY: 'sk-1234' });
    expect(await test.exited).toBe(0);
    expect(test.output()).toContain('gpt-3.5-turbo: Echo:');
    const health = runCli(['-health', '-port', String(port)], { LITELLM_MASTER_KEY: 'sk-1234' });
    expect(await health.exited).toBe(0);
    expect(JSON.parse(health.output().slice(health.output().indexOf('{')))).toMatchObject({ healthy_count: 1, unhealthy_count: 0 });

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 60_000);

  it('--model errors name the flag; unknown flags, single-dash or not, keep a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-seed-cli-'));
    const bad = runCli(['--model', 'nosuchprovider/model-x', '--port', String(await freePort()), '--data-dir', dir]);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('Error: --model nosuchprovider/model-x: provider `nosuchprovider` is not supported');
    expect(bad.output()).not.toContain('model_list[0]');

    for (const flag of ['-nope', '--nope']) {
      const unknown = runCli([flag]);
      expect(await unknown.exited).toBe(2);
      expect(unknown.output()).toContain(`Unknown option '${flag}'`);
      expect(unknown.output()).toContain('Usage: npm start');
    }
  }, 60_000);
});
