import { describe, expect, it } from 'vitest';
import { thrownBy } from '../test-support/fixtures.ts';
import { CliError, USAGE, parseCli } from './args.ts';

const cliError = (argv: string[]) => thrownBy(() => parseCli(argv), CliError);

describe('parseCli', () => {
  it('defaults: port 4000 on 127.0.0.1, every switch off', () => {
    expect(parseCli([])).toEqual({
      config: undefined,
      model: undefined,
      alias: undefined,
      apiBase: undefined,
      apiVersion: undefined,
      port: 4000,
      host: '127.0.0.1',
      debug: false,
      detailedDebug: false,
      temperature: undefined,
      maxTokens: undefined,
      requestTimeout: undefined,
      dropParams: false,
      addFunctionToPrompt: false,
      test: false,
      health: false,
      printMasterKey: false,
      dataDir: undefined,
      version: false,
      help: false,
    });
  });

  it("reads LiteLLM's flags", () => {
    const flags = parseCli([
      '--model',
      'ollama/llama3',
      '--alias',
      'llama',
      '--api_base',
      'http://gpu:11434',
      '--api_version',
      '2024-06-01',
      '--port',
      '8080',
      '--host',
      '0.0.0.0',
      '--temperature',
      '0.7',
      '--max_tokens',
      '512',
      '--request_timeout',
      '30.5',
      '--drop_params',
      '--debug',
      '--detailed_debug',
      '--telemetry',
      'False',
    ]);
    expect(flags).toMatchObject({
      model: 'ollama/llama3',
      alias: 'llama',
      apiBase: 'http://gpu:11434',
      apiVersion: '2024-06-01',
      port: 8080,
      host: '0.0.0.0',
      temperature: 0.7,
      maxTokens: 512,
      requestTimeout: 30.5,
      dropParams: true,
      debug: true,
      detailedDebug: true,
    });
  });

  it('accepts short flags and --flag=value', () => {
    expect(parseCli(['-c', 'my.yaml', '-m', 'gpt-4o', '--port=0'])).toMatchObject({ config: 'my.yaml', model: 'gpt-4o', port: 0 });
    expect(parseCli(['-v']).version).toBe(true);
    expect(parseCli(['-h']).help).toBe(true);
  });

  it('treats dashes and underscores alike', () => {
    expect(parseCli(['--api-base', 'http://a']).apiBase).toBe('http://a');
    expect(parseCli(['--api-base=http://b']).apiBase).toBe('http://b');
    expect(parseCli(['--max-tokens', '5', '--drop-params', '--detailed-debug', '--request-timeout', '9'])).toMatchObject({
      maxTokens: 5,
      dropParams: true,
      detailedDebug: true,
      requestTimeout: 9,
    });
    expect(parseCli(['--data_dir', '/tmp/gw']).dataDir).toBe('/tmp/gw');
    expect(parseCli(['--data-dir=/tmp/gw2']).dataDir).toBe('/tmp/gw2');
  });

  it('--print-master-key, in either spelling', () => {
    expect(parseCli(['--print-master-key']).printMasterKey).toBe(true);
    expect(parseCli(['--print_master_key', '--data-dir', '/tmp/gw']).printMasterKey).toBe(true);
    expect(USAGE).toContain('--print-master-key');
  });

  it('keeps `=` inside values', () => {
    expect(parseCli(['--api_base=http://h/?a=b']).apiBase).toBe('http://h/?a=b');
  });

  it('validates numbers with a clear message', () => {
    expect(cliError(['--port', 'abc']).message).toBe('--port must be a port number (0-65535), got `abc`.');
    expect(cliError(['--port', '70000']).message).toContain('--port must be a port number');
    expect(cliError(['--port', '40.5']).message).toContain('--port must be a port number');
    expect(cliError(['--port=']).message).toContain('--port must be a port number');
    expect(cliError(['--temperature', '3']).message).toBe('--temperature must be a number from 0 to 2, got `3`.');
    expect(cliError(['--max_tokens', '0']).message).toBe('--max_tokens must be a positive whole number, got `0`.');
    expect(cliError(['--max_tokens', '1.5']).message).toContain('positive whole number');
    expect(cliError(['--request_timeout', '0']).message).toBe('--request_timeout must be a positive number of seconds, got `0`.');
    expect(cliError(['--temperature', 'hot']).message).toContain('got `hot`');
  });

  it('rejects unknown flags and positionals with the usage', () => {
    const unknown = cliError(['--nope']);
    expect(unknown.message).toContain('--nope');
    expect(unknown.message).toContain(USAGE);
    expect(cliError(['serve']).message).toContain(USAGE);
    expect(cliError(['--port']).message).toContain(USAGE);
  });

  it("takes the seeds' single-dash spellings of long flags; one-letter flags stay short", () => {
    expect(parseCli(['-config', 'config.yaml', '-port', '8080'])).toMatchObject({ config: 'config.yaml', port: 8080 });
    expect(parseCli(['-config=my.yaml']).config).toBe('my.yaml');
    expect(parseCli(['-health']).health).toBe(true);
    expect(parseCli(['-test']).test).toBe(true);
    expect(parseCli(['-detailed_debug', '-drop-params'])).toMatchObject({ detailedDebug: true, dropParams: true });
    expect(parseCli(['-c', 'a.yaml', '-m', 'gpt-4o'])).toMatchObject({ config: 'a.yaml', model: 'gpt-4o' });
    // A short flag with its value attached is still that.
    expect(parseCli(['-cmy.yaml']).config).toBe('my.yaml');
    expect(cliError(['-nope']).message).toMatch(/^Unknown option '-nope'/);
    expect(cliError(['-nope']).message).toContain(USAGE);
    expect(parseCli(['-vh'])).toMatchObject({ version: true, help: true });
  });

  it('--num_workers N: a whole number of at least 1 (one worker runs; startup says why)', () => {
    expect(parseCli([]).numWorkers).toBeUndefined();
    expect(parseCli(['--num_workers', '4']).numWorkers).toBe(4);
    expect(parseCli(['--num-workers=1']).numWorkers).toBe(1);
    expect(cliError(['--num_workers', '0']).message).toBe('--num_workers must be a whole number of at least 1, got `0`.');
    expect(cliError(['--num_workers', 'many']).message).toContain('got `many`');
    expect(USAGE).toContain('--num_workers');
  });

  it('--add_function_to_prompt (LiteLLM spelling, dashed and single-dash too)', () => {
    expect(parseCli(['--add_function_to_prompt']).addFunctionToPrompt).toBe(true);
    expect(parseCli(['-add-function-to-prompt']).addFunctionToPrompt).toBe(true);
    expect(USAGE).toContain('--add_function_to_prompt');
  });

  it('--telemetry False is accepted and changes nothing (the gateway sends no telemetry)', () => {
    expect(parseCli(['--telemetry', 'False'])).toEqual(parseCli([]));
    expect(USAGE).toMatch(/--telemetry .*nothing is ever sent/);
  });

  it('--update-prices with or without a source, in either spelling', () => {
    expect(parseCli([]).updatePrices).toBeUndefined();
    expect(parseCli(['--update-prices']).updatePrices).toBe('');
    expect(parseCli(['--update-prices', '--data-dir', '/tmp/d'])).toMatchObject({ updatePrices: '', dataDir: '/tmp/d' });
    expect(parseCli(['--update_prices', 'https://example.com/p.json']).updatePrices).toBe('https://example.com/p.json');
    expect(parseCli(['--update-prices=./prices.json']).updatePrices).toBe('./prices.json');
  });
});
