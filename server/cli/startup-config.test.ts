import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STARTER_CONFIG_YAML } from '../config/starter.ts';
import { EncryptedFileSecretStore } from '../secrets/encrypted-file-store.ts';
import { MemorySecretStore } from '../secrets/memory-store.ts';
import { secretResolvers } from '../secrets/secret-resolvers.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { thrownBy } from '../test-support/fixtures.ts';
import { CliError, parseCli } from './args.ts';
import { configuredMasterKey } from './master-key-command.ts';
import { firstRunNotice, startupConfig } from './startup-config.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'startup-config-'));
  dirs.push(dir);
  return dir;
}

/** A store that says it is the OS keychain (the first run words its comment after it). */
class FakeKeychain extends MemorySecretStore {
  constructor(private readonly failWrites = false) {
    super();
    Object.defineProperty(this, 'backend', { value: 'keychain' });
  }
  override set(name: string, value: string): void {
    if (this.failWrites) throw new Error('the keychain is locked');
    super.set(name, value);
  }
}

const start = (dataDir: string, secrets: SecretStore | undefined, argv: string[] = []) =>
  startupConfig(parseCli(argv), dataDir, secrets ? secretResolvers(secrets) : {}, secrets ? { secrets } : {});

describe('first run: a master key for the dashboard', () => {
  it('generates one into the secret store; the starter config refers to it, comments and all', () => {
    const dataDir = tempDir();
    const secrets = new FakeKeychain();
    const first = start(dataDir, secrets);
    const key = first.firstRunMasterKey?.key;
    expect(key).toMatch(/^sk-[A-Za-z0-9_-]{43}$/);
    expect(first.firstRunMasterKey).toEqual({ key, keptIn: 'your OS keychain', reused: false });
    expect(secrets.get('LLM_GATEWAY_MASTER_KEY')).toBe(key);
    const text = readFileSync(join(dataDir, 'config.yaml'), 'utf8');
    expect(text).toContain('  master_key: keychain/LLM_GATEWAY_MASTER_KEY\n');
    expect(text).toContain('Generated on first run and kept in the OS keychain as LLM_GATEWAY_MASTER_KEY;');
    expect(text).toContain("rotate it in the dashboard's Settings");
    expect(text).toContain('-H "Authorization: Bearer $(npm start --silent -- --print-master-key)"');
    expect(text).not.toContain(key);
    expect(text).toContain('# Anthropic'); // the commented-out examples are all still there
    expect(first.loaded.resolved.general_settings.master_key).toBe(key);
    expect(first.notes.join('\n')).not.toContain(key!);

    // The second start finds the file: nothing generated, nothing to show, the same key in force.
    const second = start(dataDir, secrets);
    expect(second.firstRunMasterKey).toBeUndefined();
    expect(second.loaded.resolved.general_settings.master_key).toBe(key);
    expect(readFileSync(join(dataDir, 'config.yaml'), 'utf8')).toBe(text);
    // A store without it (here: a fresh in-memory one) says which reference is not set.
    expect(() => configuredMasterKey({ dataDir }, { LLM_GATEWAY_SECRET_BACKEND: 'memory' })).toThrow(
      /master_key refers to `keychain\/LLM_GATEWAY_MASTER_KEY`, which is not set here/,
    );
  });

  it('uses the key the store already has instead of replacing it (another gateway of this user may use it)', () => {
    const secrets = new FakeKeychain();
    secrets.set('LLM_GATEWAY_MASTER_KEY', 'sk-already-there-123456');
    const first = start(tempDir(), secrets);
    expect(first.firstRunMasterKey).toEqual({ key: 'sk-already-there-123456', keptIn: 'your OS keychain', reused: true });
    expect(secrets.get('LLM_GATEWAY_MASTER_KEY')).toBe('sk-already-there-123456');
    expect(first.loaded.resolved.general_settings.master_key).toBe('sk-already-there-123456');
  });

  it('with the encrypted secrets file; --print-master-key reads it back through the same store', () => {
    const dataDir = tempDir();
    const env = { LLM_GATEWAY_SECRET_BACKEND: 'encrypted-file' };
    const secrets = new EncryptedFileSecretStore({ dir: dataDir, env: {} });
    const first = start(dataDir, secrets);
    expect(first.firstRunMasterKey?.keptIn).toBe('the encrypted secrets file (secrets.enc in the data folder)');
    expect(readFileSync(join(dataDir, 'config.yaml'), 'utf8')).toContain(
      'kept in the encrypted secrets file (secrets.enc in the data folder) as LLM_GATEWAY_MASTER_KEY',
    );
    expect(configuredMasterKey({ dataDir }, env)).toBe(first.firstRunMasterKey?.key);
  });

  it('no key without a store that outlives the process, nor when the store refuses it', () => {
    const inMemory = tempDir();
    expect(start(inMemory, new MemorySecretStore()).firstRunMasterKey).toBeUndefined();
    expect(readFileSync(join(inMemory, 'config.yaml'), 'utf8')).toBe(STARTER_CONFIG_YAML);
    const none = tempDir();
    expect(start(none, undefined).firstRunMasterKey).toBeUndefined();
    expect(readFileSync(join(none, 'config.yaml'), 'utf8')).toBe(STARTER_CONFIG_YAML);

    const locked = tempDir();
    const refused = start(locked, new FakeKeychain(true));
    expect(refused.firstRunMasterKey).toBeUndefined();
    expect(readFileSync(join(locked, 'config.yaml'), 'utf8')).toBe(STARTER_CONFIG_YAML);
    expect(refused.loaded.resolved.general_settings.master_key).toBeUndefined();
    expect(refused.notes.join('\n')).toContain('No master key was generated: the secret store refused it (the keychain is locked)');
  });

  it('--model and --config starts generate nothing', () => {
    const secrets = new FakeKeychain();
    const dataDir = tempDir();
    expect(start(dataDir, secrets, ['--model', 'mock/echo']).firstRunMasterKey).toBeUndefined();
    const file = join(dataDir, 'mine.yaml');
    writeFileSync(file, 'model_list: [{model_name: a, litellm_params: {model: mock/a}}]\n');
    expect(start(dataDir, secrets, ['--config', file]).firstRunMasterKey).toBeUndefined();
    expect(secrets.list()).toEqual([]);
  });

  it('the notice names the dashboard as people type it', () => {
    const key = { key: 'sk-abc', keptIn: 'your OS keychain', reused: false };
    expect(firstRunNotice('http://127.0.0.1:4000', key)).toMatch(
      /^Dashboard: http:\/\/localhost:4000\/ui\/ — master key \(shown once, also in your OS keychain as LLM_GATEWAY_MASTER_KEY\): sk-abc\n/,
    );
    expect(firstRunNotice('http://10.0.0.5:4000', { ...key, reused: true })).toMatch(
      /^Dashboard: http:\/\/10\.0\.0\.5:4000\/ui\/ — master key \(the one already in your OS keychain as LLM_GATEWAY_MASTER_KEY\): sk-abc\n/,
    );
  });
});

describe("the seeds' CLI forms", () => {
  it('--num_workers above 1 is a startup warning saying one worker runs and why; 1 says nothing', () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'config.yaml');
    writeFileSync(file, 'model_list: [{model_name: a, litellm_params: {model: mock/a}}]\n');
    const four = start(dataDir, undefined, ['--config', file, '--num_workers', '4']);
    const said = four.loaded.warnings.filter((w) => w.startsWith('--num_workers 4:'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('runs one worker');
    expect(said[0]).toContain('team mode');
    expect(start(dataDir, undefined, ['--config', file, '--num_workers', '1']).loaded.warnings).toEqual([]);
    expect(start(dataDir, undefined, ['--model', 'mock/echo', '--num_workers', '2']).loaded.warnings.join('\n')).toContain('--num_workers 2:');
  });

  it('--model errors name the flag, not model_list[0]', () => {
    const dataDir = tempDir();
    const unknown = thrownBy(() => start(dataDir, undefined, ['--model', 'nosuchprovider/model-x']), CliError);
    expect(unknown.message).toMatch(/^--model nosuchprovider\/model-x: provider `nosuchprovider` is not supported/);
    expect(unknown.message).not.toContain('model_list');
    const bare = thrownBy(() => start(dataDir, undefined, ['--model', 'totally-unknown-model-x']), CliError);
    expect(bare.message).toMatch(/^--model totally-unknown-model-x: /);
    expect(bare.message).not.toContain('model_list');
    // A model that can run still starts.
    expect(start(dataDir, undefined, ['--model', 'mock/echo']).loaded.resolved.model_list).toHaveLength(1);
  });

  it('--add_function_to_prompt sets litellm_settings.add_function_to_prompt, for --model and for a config file', () => {
    const dataDir = tempDir();
    expect(start(dataDir, undefined, ['--model', 'mock/echo', '--add_function_to_prompt']).loaded.resolved.litellm_settings.add_function_to_prompt).toBe(true);
    expect(start(dataDir, undefined, ['--model', 'mock/echo']).loaded.resolved.litellm_settings.add_function_to_prompt).toBeUndefined();
    const file = join(dataDir, 'functions.yaml');
    writeFileSync(file, 'model_list: [{model_name: a, litellm_params: {model: mock/a}}]\n');
    expect(start(dataDir, undefined, ['--config', file, '--add_function_to_prompt']).loaded.resolved.litellm_settings.add_function_to_prompt).toBe(true);
  });

  it('--model takes the bare names of LiteLLM 2023 docs (claude-2, command-nightly, j2-light, chat-bison)', () => {
    const dataDir = tempDir();
    for (const model of ['claude-2', 'claude-instant-1', 'command-nightly', 'j2-light', 'chat-bison']) {
      expect(start(dataDir, undefined, ['--model', model]).loaded.resolved.model_list[0]?.litellm_params.model).toBe(model);
    }
  });
});
