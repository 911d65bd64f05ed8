import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { MemorySecretStore } from '../secrets/memory-store.ts';
import { secretResolvers } from '../secrets/secret-resolvers.ts';
import { ConfigFile, ModelEditError, type ConfigFileOptions } from './config-file.ts';
import { ConfigError } from './errors.ts';
import type { LoadedConfig } from './load.ts';
import { derivedModelId } from './model-ids.ts';
import { STARTER_CONFIG_YAML } from './starter.ts';

const RAW_KEY = 'sk-proj-Zq8vN3kR7tLw2XyB5mHc9JdFgT4pQs6uA1eVoKi0';

const CONFIG = `# My gateway — hand-written, keep my notes
model_list:
  # the echo model, for smoke tests
  - model_name: echo   # what clients ask for
    litellm_params:
      model: mock/echo
      # mock_latency: 250
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY   # from the environment
      api_version: "2024-06-01"
    model_info: { id: gpt4o-main, team: research }

litellm_settings:
  drop_params: true   # keep this
my_own_section:       # unknown to the gateway, kept anyway
  anything: [1, 2]
`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fileWith(text: string, options: ConfigFileOptions = {}): { file: ConfigFile; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'config-file-'));
  dirs.push(dir);
  const path = join(dir, 'config.yaml');
  writeFileSync(path, text, { mode: 0o644 });
  const file = new ConfigFile(path, { env: { OPENAI_API_KEY: 'sk-env-value-1234' }, ...options });
  file.load();
  return { file, path };
}

const onDisk = (path: string) => readFileSync(path, 'utf8');
const tree = (path: string) => parseDocument(onDisk(path), { version: '1.1' }).toJS() as { model_list: Record<string, unknown>[] };

function expectEditError(run: () => unknown, reason: ModelEditError['reason'], message?: RegExp): ModelEditError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelEditError);
    expect((error as ModelEditError).reason).toBe(reason);
    if (message) expect((error as Error).message).toMatch(message);
    return error as ModelEditError;
  }
  throw new Error('expected a ModelEditError');
}

describe('ConfigFile.load', () => {
  it('gives every entry an id: its own, else one derived from the entry as written (not from secret values)', () => {
    const { file } = fileWith(CONFIG);
    const loaded = file.load();
    const [echo, gpt] = loaded.raw.model_list;
    expect(gpt?.model_info?.id).toBe('gpt4o-main');
    expect(echo?.model_info?.id).toBe(derivedModelId({ model_name: 'echo', litellm_params: { model: 'mock/echo' } }));
    // The running (resolved) config carries the same ids, so deployments and /model/info agree.
    expect(loaded.resolved.model_list.map((e) => e.model_info?.id)).toEqual(loaded.raw.model_list.map((e) => e.model_info?.id));
    expect(loaded.resolved.model_list[1]?.litellm_params.api_key).toBe('sk-env-value-1234');
    // Stable across loads and independent of the key's value.
    const again = new ConfigFile(file.path, { env: { OPENAI_API_KEY: 'sk-rotated-9999' } }).load();
    expect(again.raw.model_list.map((e) => e.model_info?.id)).toEqual(loaded.raw.model_list.map((e) => e.model_info?.id));
  });

  it('identical entries get distinct ids', () => {
    const entry = '  - model_name: a\n    litellm_params: { model: mock/echo }\n';
    const { file } = fileWith(`model_list:\n${entry}${entry}`);
    const [first, second] = file.current?.raw.model_list.map((e) => e.model_info?.id) ?? [];
    expect(second).toBe(`${first}-2`);
  });

  it('runs `prepare` on every load', () => {
    const { file } = fileWith(CONFIG, { prepare: (loaded) => void (loaded.resolved.litellm_settings.request_timeout = 42) });
    expect(file.load().resolved.litellm_settings.request_timeout).toBe(42);
  });
});

describe('ConfigFile.addModel', () => {
  it('appends the entry with a new uuid, changing nothing else in the file', () => {
    const { file, path } = fileWith(CONFIG);
    const { entry, loaded } = file.addModel({
      model_name: 'claude',
      litellm_params: { model: 'anthropic/claude-sonnet-4-5', api_key: 'os.environ/ANTHROPIC_API_KEY' },
    });
    const id = entry.model_info?.id as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(loaded.raw.model_list.map((e) => e.model_name)).toEqual(['echo', 'gpt-4o', 'claude']);
    const text = onDisk(path);
    // Everything before the new entry is byte for byte what the user wrote, and so is everything after it.
    const inserted = `  - model_name: claude\n    litellm_params:\n      model: anthropic/claude-sonnet-4-5\n      api_key: os.environ/ANTHROPIC_API_KEY\n    model_info:\n      id: ${id}\n`;
    const at = CONFIG.indexOf('team: research }\n') + 'team: research }\n'.length;
    expect(text).toBe(CONFIG.slice(0, at) + inserted + CONFIG.slice(at));
    expect(text).toContain('# the echo model, for smoke tests');
    expect(text).toContain('my_own_section:       # unknown to the gateway, kept anyway');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(file.current).toBe(loaded);
  });

  it('keeps an id the caller gives and refuses one that exists', () => {
    const { file } = fileWith(CONFIG);
    expect(file.addModel({ model_name: 'x', litellm_params: { model: 'mock/echo' }, model_info: { id: 'my-id', note: 'n' } }).entry.model_info).toEqual({
      id: 'my-id',
      note: 'n',
    });
    expectEditError(
      () => file.addModel({ model_name: 'y', litellm_params: { model: 'mock/echo' }, model_info: { id: 'gpt4o-main' } }),
      'conflict',
      /already exists/,
    );
  });

  it('writes values exactly as given: references stay references, strings that look like dates stay strings', () => {
    const { file, path } = fileWith(CONFIG);
    file.addModel({
      model_name: 'azure',
      litellm_params: { model: 'azure/dep', api_base: 'os.environ/AZURE_API_BASE', api_key: 'keychain/AZURE_KEY', api_version: '2024-10-21', rpm: 60 },
    });
    const written = tree(path).model_list[2] as { litellm_params: Record<string, unknown> };
    expect(written.litellm_params).toEqual({
      model: 'azure/dep',
      api_base: 'os.environ/AZURE_API_BASE',
      api_key: 'keychain/AZURE_KEY',
      api_version: '2024-10-21',
      rpm: 60,
    });
  });

  it('keeps the starter config and its commented-out examples intact', () => {
    const { file, path } = fileWith(STARTER_CONFIG_YAML);
    file.addModel({ model_name: 'gpt-4o', litellm_params: { model: 'openai/gpt-4o', api_key: 'os.environ/OPENAI_API_KEY' } });
    const text = onDisk(path);
    for (const line of STARTER_CONFIG_YAML.split('\n')) expect(text).toContain(line);
    expect(text.indexOf('model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o')).toBeGreaterThan(text.indexOf('# mock_latency: 250'));
    expect(text.indexOf('model_name: gpt-4o\n    litellm_params:\n      model: openai/gpt-4o')).toBeLessThan(text.indexOf('  # OpenAI'));
  });

  it('edits flow-style and empty model lists too', () => {
    const { file, path } = fileWith('model_list: [{ model_name: a, litellm_params: { model: mock/echo } }]  # inline\n');
    file.addModel({ model_name: 'b', litellm_params: { model: 'mock/echo' } });
    expect(tree(path).model_list.map((e) => e.model_name)).toEqual(['a', 'b']);
    expect(onDisk(path)).toContain('# inline');

    const empty = fileWith('# nothing yet\nmodel_list:\n  # - model_name: example\ngeneral_settings: {}\n');
    empty.file.addModel({ model_name: 'c', litellm_params: { model: 'mock/echo' } });
    expect(tree(empty.path).model_list.map((e) => e.model_name)).toEqual(['c']);
    expect(onDisk(empty.path)).toContain('# - model_name: example');
  });

  it('refuses a result that does not validate, leaving the file untouched', () => {
    const { file, path } = fileWith(CONFIG);
    const before = onDisk(path);
    const error = expectEditError(
      () => file.addModel({ model_name: 'bad', litellm_params: { model: 'mock/echo', rpm: 'lots' } }),
      'invalid',
      /nothing was written/,
    );
    expect(error.message).toMatch(/model_list\[2\]\.litellm_params\.rpm/);
    expect(onDisk(path)).toBe(before);
  });

  it('refuses a result that `apply` cannot run (e.g. an unknown provider), leaving the file untouched', () => {
    const { file, path } = fileWith(CONFIG);
    const before = onDisk(path);
    const apply = (loaded: LoadedConfig) => {
      if (loaded.resolved.model_list.some((e) => e.litellm_params.model.startsWith('nosuch/'))) throw new Error('provider `nosuch` is not supported');
    };
    expectEditError(() => file.addModel({ model_name: 'x', litellm_params: { model: 'nosuch/x' } }, apply), 'invalid', /provider `nosuch` is not supported/);
    expect(onDisk(path)).toBe(before);
  });

  it('applies the result before writing it', () => {
    const { file, path } = fileWith(CONFIG);
    const seen: string[] = [];
    file.addModel({ model_name: 'x', litellm_params: { model: 'mock/echo' } }, (loaded) => {
      seen.push(loaded.raw.model_list.map((e) => e.model_name).join(','));
      expect(onDisk(path)).toBe(CONFIG);
    });
    expect(seen).toEqual(['echo,gpt-4o,x']);
  });

  it('moves a literal api_key into the secret store and writes a keychain reference', () => {
    const secrets = new MemorySecretStore();
    const { file, path } = fileWith(CONFIG, { secrets, resolvers: secretResolvers(secrets) });
    const { entry, loaded } = file.addModel({
      model_name: 'openai',
      litellm_params: { model: 'openai/gpt-4o-mini', api_key: RAW_KEY, headers: { Authorization: `Bearer ${RAW_KEY}`, 'X-Team': 'a' } },
    });
    expect(entry.litellm_params.api_key).toBe('keychain/openai-gpt-4o-mini-key');
    expect(entry.litellm_params.headers).toEqual({ Authorization: 'keychain/openai-gpt-4o-mini-authorization-header', 'X-Team': 'a' });
    expect(secrets.get('openai-gpt-4o-mini-key')).toBe(RAW_KEY);
    expect(onDisk(path)).not.toContain(RAW_KEY.slice(8));
    // The running config has the value.
    expect(loaded.resolved.model_list[2]?.litellm_params.api_key).toBe(RAW_KEY);
  });

  it('without a secret store, refuses a literal key and says how to store it', () => {
    const { file, path } = fileWith(CONFIG);
    const error = expectEditError(
      () => file.addModel({ model_name: 'x', litellm_params: { model: 'openai/gpt-4o', api_key: RAW_KEY } }),
      'invalid',
      /PUT \/admin\/secrets\/\{name\}.*keychain\/\{name\}/,
    );
    expect(error.message).not.toContain(RAW_KEY);
    expect(onDisk(path)).toBe(CONFIG);
  });

  it('takes a stored secret back out when the edit fails', () => {
    const secrets = new MemorySecretStore();
    const { file } = fileWith(CONFIG, { secrets, resolvers: secretResolvers(secrets) });
    expectEditError(() => file.addModel({ model_name: 'x', litellm_params: { model: 'openai/gpt-4o', api_key: RAW_KEY, rpm: 'no' } }), 'invalid');
    expect(secrets.list()).toEqual([]);
  });

  it('will not edit a file that is broken right now', () => {
    const { file, path } = fileWith(CONFIG);
    writeFileSync(path, 'model_list:\n  - model_name: [unclosed\n');
    expectEditError(() => file.addModel({ model_name: 'x', litellm_params: { model: 'mock/echo' } }), 'conflict', /YAML syntax error.*Fix the file first/s);
    expect(onDisk(path)).toBe('model_list:\n  - model_name: [unclosed\n');
  });

  it('builds on the file as it is on disk, so a hand edit not yet reloaded is not lost', () => {
    const { file, path } = fileWith(CONFIG);
    writeFileSync(path, CONFIG.replace('drop_params: true', 'drop_params: false'));
    file.addModel({ model_name: 'x', litellm_params: { model: 'mock/echo' } });
    expect(onDisk(path)).toContain('drop_params: false   # keep this');
  });
});

describe('ConfigFile.updateModel and deleteModel', () => {
  it('merges litellm_params and model_info into the entry, in place, keeping its comments', () => {
    const { file, path } = fileWith(CONFIG);
    const { entry } = file.updateModel('gpt4o-main', { litellm_params: { rpm: 100, api_version: null }, model_info: { note: 'hi' } });
    expect(entry.litellm_params).toEqual({ model: 'openai/gpt-4o', api_key: 'os.environ/OPENAI_API_KEY', rpm: 100 });
    expect(entry.model_info).toEqual({ id: 'gpt4o-main', team: 'research', note: 'hi' });
    const text = onDisk(path);
    // Inside the edited entry comments stay (yaml may normalise the spaces before them); outside it nothing changes.
    expect(text).toMatch(/api_key: os\.environ\/OPENAI_API_KEY +# from the environment/);
    expect(text.startsWith(CONFIG.slice(0, CONFIG.indexOf('  - model_name: gpt-4o')))).toBe(true);
    expect(text.endsWith(CONFIG.slice(CONFIG.indexOf('\nlitellm_settings:')))).toBe(true);
  });

  it('finds a hand-written entry by its derived id and writes that id into it, so it survives the change', () => {
    const { file, path } = fileWith(CONFIG);
    const id = file.current?.raw.model_list[0]?.model_info?.id as string;
    file.updateModel(id, { model_name: 'echo2', litellm_params: { mock_response: 'hello' } });
    expect(tree(path).model_list[0]).toEqual({ model_name: 'echo2', litellm_params: { model: 'mock/echo', mock_response: 'hello' }, model_info: { id } });
    expect(onDisk(path)).toMatch(/ {2}- model_name: echo2 +# what clients ask for/);
    expect(onDisk(path)).toContain('# mock_latency: 250');
    expect(file.load().raw.model_list[0]?.model_info?.id).toBe(id);
  });

  it('deletes an entry and nothing else', () => {
    const { file, path } = fileWith(CONFIG);
    const { entry, loaded } = file.deleteModel('gpt4o-main');
    expect(entry.model_name).toBe('gpt-4o');
    expect(loaded.raw.model_list.map((e) => e.model_name)).toEqual(['echo']);
    const text = onDisk(path);
    expect(text).not.toContain('gpt-4o');
    expect(text).toContain('# the echo model, for smoke tests');
    expect(text).toContain('drop_params: true   # keep this');
  });

  it('refuses to change an entry whose params other entries share through a YAML anchor', () => {
    const { file, path } = fileWith(
      'model_list:\n  - model_name: a\n    litellm_params: &p { model: mock/echo }\n    model_info: { id: a }\n  - model_name: b\n    litellm_params: *p\n',
    );
    const before = onDisk(path);
    expectEditError(() => file.updateModel('a', { litellm_params: { rpm: 1 } }), 'conflict', /anchor &p.*edit the file by hand/);
    expect(onDisk(path)).toBe(before);
  });

  it('a secret store that fails is a 503-style error that never quotes the key', () => {
    const secrets = new MemorySecretStore();
    secrets.set = () => {
      throw new Error(`keychain locked while storing ${RAW_KEY}`);
    };
    const { file } = fileWith(CONFIG, { secrets, resolvers: secretResolvers(secrets) });
    const error = expectEditError(
      () => file.addModel({ model_name: 'x', litellm_params: { model: 'openai/gpt-4o', api_key: RAW_KEY } }),
      'unavailable',
      /secret store is unavailable/,
    );
    expect(error.message).not.toContain(RAW_KEY);
  });

  it('answers not_found for an unknown id', () => {
    const { file } = fileWith(CONFIG);
    expectEditError(() => file.updateModel('nope', { model_name: 'x' }), 'not_found', /GET \/model\/info/);
    expectEditError(() => file.deleteModel('nope'), 'not_found');
  });

  it('deletes the secrets it generated for an entry when the entry goes', () => {
    const secrets = new MemorySecretStore({ OTHER: 'keep-me-please' });
    const { file } = fileWith(CONFIG, { secrets, resolvers: secretResolvers(secrets) });
    const id = file.addModel({ model_name: 'x', litellm_params: { model: 'openai/gpt-4o', api_key: RAW_KEY } }).entry.model_info?.id as string;
    file.updateModel(id, { litellm_params: { api_key: 'sk-second-value-123456' } });
    // The entry's own secret takes the new value under the same name.
    expect(secrets.list()).toEqual(['OTHER', 'openai-gpt-4o-key']);
    expect(secrets.get('openai-gpt-4o-key')).toBe('sk-second-value-123456');
    file.deleteModel(id);
    expect(secrets.list()).toEqual(['OTHER']);
  });

  it('names secrets short and readable, deduplicated, never taking a name another entry refers to', () => {
    const secrets = new MemorySecretStore();
    const { file, path } = fileWith(CONFIG, { secrets, resolvers: secretResolvers(secrets) });
    const add = (api_key: string) => file.addModel({ model_name: 'x', litellm_params: { model: 'openai/gpt-4o', api_key } }).entry;
    const first = add(RAW_KEY);
    const second = add('sk-another-value-0123456789');
    const third = add('sk-third-value-0123456789');
    expect([first, second, third].map((e) => e.litellm_params.api_key)).toEqual([
      'keychain/openai-gpt-4o-key',
      'keychain/openai-gpt-4o-key-2',
      'keychain/openai-gpt-4o-key-3',
    ]);
    // The same value again shares its name rather than storing a copy.
    expect(add(RAW_KEY).litellm_params.api_key).toBe('keychain/openai-gpt-4o-key');
    expect(secrets.list()).toEqual(['openai-gpt-4o-key', 'openai-gpt-4o-key-2', 'openai-gpt-4o-key-3']);
    // Shared: updating one entry's key gives it a name of its own, and the other keeps the old value.
    file.updateModel(first.model_info?.id as string, { litellm_params: { api_key: 'sk-fourth-value-0123456789' } });
    expect(secrets.get('openai-gpt-4o-key')).toBe(RAW_KEY);
    expect(file.entry(first.model_info?.id as string)?.litellm_params.api_key).toBe('keychain/openai-gpt-4o-key-4');
    expect(onDisk(path)).not.toContain(RAW_KEY.slice(8));
  });

  it('still deletes a secret named the old way (model-<id>-api_key) with its entry, and never one the user named', () => {
    const secrets = new MemorySecretStore({ 'model-legacy-id-api_key': RAW_KEY, 'my-openai': 'sk-user-named-0123456789' });
    const legacy = `model_list:
  - model_name: old
    litellm_params: { model: openai/gpt-4o, api_key: keychain/model-legacy-id-api_key }
    model_info: { id: legacy-id }
  - model_name: mine
    litellm_params: { model: openai/gpt-4o, api_key: keychain/my-openai }
    model_info: { id: mine-id }
`;
    const { file } = fileWith(legacy, { secrets, resolvers: secretResolvers(secrets) });
    // Existing references keep working.
    expect(file.current?.resolved.model_list.find((e) => e.model_name === 'old')?.litellm_params.api_key).toBe(RAW_KEY);
    file.deleteModel('legacy-id');
    file.deleteModel('mine-id');
    expect(secrets.list()).toEqual(['my-openai']);
  });
});

describe('ConfigFile.reloadIfChanged', () => {
  it('ignores the content it wrote or loaded itself, applies a changed file, and reports a broken one once', () => {
    const { file, path } = fileWith(CONFIG);
    const applied: LoadedConfig[] = [];
    const apply = (loaded: LoadedConfig) => void applied.push(loaded);
    file.addModel({ model_name: 'x', litellm_params: { model: 'mock/echo' } });
    expect(file.reloadIfChanged(apply)).toBeUndefined();

    writeFileSync(path, 'model_list:\n  - model_name: only\n    litellm_params: { model: mock/echo }\n');
    expect(file.reloadIfChanged(apply)?.raw.model_list.map((e) => e.model_name)).toEqual(['only']);
    expect(applied).toHaveLength(1);

    writeFileSync(path, 'model_list:\n  - model_name: broken\n');
    expect(() => file.reloadIfChanged(apply)).toThrow(ConfigError);
    expect(file.reloadIfChanged(apply)).toBeUndefined();
    expect(file.current?.raw.model_list.map((e) => e.model_name)).toEqual(['only']);
  });

  it('keeps the current config when apply refuses the new one', () => {
    const { file, path } = fileWith(CONFIG);
    writeFileSync(path, 'model_list: []\n');
    expect(() =>
      file.reloadIfChanged(() => {
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(file.current?.raw.model_list).toHaveLength(2);
  });
});
