import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createCipheriv, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EncryptedFileSecretStore, SECRETS_FILE, SecretsFileError } from './encrypted-file-store.ts';
import { SECRETS_KEY_FILE, SecretsKeyError } from './secrets-key.ts';

const OPENAI_KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';
const posix = process.platform !== 'win32';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'llm-gateway-secrets-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const open = (env: Record<string, string | undefined> = {}) => new EncryptedFileSecretStore({ dir, env });
const fileText = () => readFileSync(join(dir, SECRETS_FILE), 'utf8');
const mode = (file: string) => statSync(join(dir, file)).mode & 0o777;

/** Every error a store call throws, as text, so tests can check what it does and does not say. */
function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('EncryptedFileSecretStore', () => {
  it('round-trips secrets across instances and reports weaker protection', () => {
    const store = open();
    expect(store.backend).toBe('encrypted-file');
    expect(store.weakerProtection).toBe(true);
    expect(store.file).toBe(join(dir, SECRETS_FILE));
    store.set('OPENAI_API_KEY', OPENAI_KEY);
    store.set('unicode', 'ключ-🔑');
    const again = open();
    expect(again.get('OPENAI_API_KEY')).toBe(OPENAI_KEY);
    expect(again.get('unicode')).toBe('ключ-🔑');
    expect(again.list()).toEqual(['OPENAI_API_KEY', 'unicode']);
    expect(again.delete('unicode')).toBe(true);
    expect(again.delete('unicode')).toBe(false);
    expect(open().list()).toEqual(['OPENAI_API_KEY']);
  });

  it('creates nothing until the first secret is written', () => {
    const store = open();
    expect(store.get('X')).toBeUndefined();
    expect(store.list()).toEqual([]);
    expect(store.delete('X')).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never writes a value in clear, and hides the names too', () => {
    open().set('OPENAI_API_KEY', OPENAI_KEY);
    const text = fileText();
    expect(text).not.toContain(OPENAI_KEY);
    expect(text).not.toContain('OPENAI_API_KEY');
    expect(JSON.parse(text)).toMatchObject({ format: 'llm-gateway-secrets', version: 1, cipher: 'aes-256-gcm' });
  });

  it('uses a fresh IV on every write', () => {
    const store = open();
    store.set('A', 'value-1');
    const first = JSON.parse(fileText()).iv;
    store.set('A', 'value-1');
    expect(JSON.parse(fileText()).iv).not.toBe(first);
  });

  it.runIf(posix)('writes the file and the generated key with mode 0600', () => {
    open().set('A', 'value-1');
    expect(mode(SECRETS_FILE)).toBe(0o600);
    expect(mode(SECRETS_KEY_FILE)).toBe(0o600);
    expect(Buffer.from(readFileSync(join(dir, SECRETS_KEY_FILE), 'utf8').trim(), 'base64')).toHaveLength(32);
  });

  it.runIf(posix)('writes atomically: a new file replaces the old by rename, and no temp file is left', () => {
    const store = open();
    store.set('A', 'value-1');
    const before = statSync(join(dir, SECRETS_FILE)).ino;
    chmodSync(join(dir, SECRETS_FILE), 0o644);
    store.set('B', 'value-2');
    const after = statSync(join(dir, SECRETS_FILE));
    expect(after.ino).not.toBe(before);
    expect(after.mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual([SECRETS_FILE, SECRETS_KEY_FILE]);
  });

  it('detects tampering, names the file, and leaves it untouched', () => {
    open().set('OPENAI_API_KEY', OPENAI_KEY);
    const envelope = JSON.parse(fileText());
    const ciphertext = Buffer.from(envelope.ciphertext, 'base64');
    ciphertext[0] = ciphertext[0]! ^ 1;
    const tampered = JSON.stringify({ ...envelope, ciphertext: ciphertext.toString('base64') });
    writeFileSync(join(dir, SECRETS_FILE), tampered);

    const error = errorOf(() => open());
    expect(error).toBeInstanceOf(SecretsFileError);
    expect(error.message).toContain(join(dir, SECRETS_FILE));
    expect(error.message).toMatch(/cannot be decrypted: the key in .*secrets\.key is not the one it was written with, or the file was modified/);
    expect(error.message).toContain('left untouched');
    expect(fileText()).toBe(tampered);
  });

  it('detects a changed header too (format fields are authenticated)', () => {
    open().set('A', 'value-1');
    const envelope = JSON.parse(fileText());
    writeFileSync(join(dir, SECRETS_FILE), JSON.stringify({ ...envelope, tag: Buffer.alloc(16).toString('base64') }));
    expect(() => open()).toThrow(SecretsFileError);
  });

  it('refuses to overwrite a file it cannot read, even when a write is attempted later', () => {
    const store = open();
    store.set('A', 'value-1');
    writeFileSync(join(dir, SECRETS_FILE), '{"format":"llm-gateway-secrets","version":1,"cipher":"aes-256-gcm","iv":');
    expect(() => store.set('B', 'value-2')).toThrow(/is not readable: it is not JSON/);
    expect(() => store.delete('A')).toThrow(SecretsFileError);
    expect(fileText()).toContain('"iv":');
    expect(fileText()).not.toContain('ciphertext');
  });

  it('says so when the file comes from a newer gateway', () => {
    open().set('A', 'value-1');
    writeFileSync(join(dir, SECRETS_FILE), JSON.stringify({ ...JSON.parse(fileText()), version: 2 }));
    expect(() => open()).toThrow(/format version 2, and this gateway reads version 1/);
  });

  it('fails with the wrong key (from the environment) instead of losing data', () => {
    const key = randomBytes(32);
    open({ LLM_GATEWAY_SECRETS_KEY: key.toString('base64') }).set('A', 'value-1');
    const error = errorOf(() => open({ LLM_GATEWAY_SECRETS_KEY: randomBytes(32).toString('hex') }));
    expect(error.message).toMatch(/cannot be decrypted: the key in LLM_GATEWAY_SECRETS_KEY is not the one it was written with/);
    expect(open({ LLM_GATEWAY_SECRETS_KEY: key.toString('hex') }).get('A')).toBe('value-1');
  });

  it('takes the key from LLM_GATEWAY_SECRETS_KEY (base64 or hex) and then writes no key file', () => {
    const key = randomBytes(32);
    const store = open({ LLM_GATEWAY_SECRETS_KEY: `${key.toString('base64')}\n` });
    expect(store.keySource).toBe('env');
    store.set('A', 'value-1');
    expect(existsSync(join(dir, SECRETS_KEY_FILE))).toBe(false);
    expect(open({ LLM_GATEWAY_SECRETS_KEY: key.toString('hex').toUpperCase() }).get('A')).toBe('value-1');
    expect(open({ LLM_GATEWAY_SECRETS_KEY: key.toString('base64url') }).get('A')).toBe('value-1');
  });

  it('rejects a malformed LLM_GATEWAY_SECRETS_KEY without repeating it', () => {
    for (const bad of ['too-short', randomBytes(16).toString('hex'), randomBytes(31).toString('base64'), 'g'.repeat(64)]) {
      const error = errorOf(() => open({ LLM_GATEWAY_SECRETS_KEY: bad }));
      expect(error).toBeInstanceOf(SecretsKeyError);
      expect(error.message).toMatch(/LLM_GATEWAY_SECRETS_KEY is not a 256-bit key: it must be 64 hex digits or 44 base64 characters/);
      expect(error.message).not.toContain(bad);
    }
  });

  it('rejects a damaged key file, naming it', () => {
    writeFileSync(join(dir, SECRETS_KEY_FILE), 'not a key\n');
    expect(() => open()).toThrow(`The secrets key file ${join(dir, SECRETS_KEY_FILE)} is not a 256-bit key`);
  });

  it('will not invent a new key for an existing file whose key is missing', () => {
    open().set('A', 'value-1');
    rmSync(join(dir, SECRETS_KEY_FILE));
    const error = errorOf(() => open());
    expect(error.message).toMatch(/exists but its key does not: .*secrets\.key is missing and LLM_GATEWAY_SECRETS_KEY is not set/);
    expect(existsSync(join(dir, SECRETS_KEY_FILE))).toBe(false);
  });

  it('keeps values out of every error message', () => {
    const store = open();
    store.set('OPENAI_API_KEY', OPENAI_KEY);
    const envelope = JSON.parse(fileText());
    writeFileSync(join(dir, SECRETS_FILE), JSON.stringify({ ...envelope, iv: Buffer.alloc(12).toString('base64') }));
    expect(errorOf(() => store.get('OPENAI_API_KEY')).message).not.toContain(OPENAI_KEY);
  });

  it('does not quote a decrypted but malformed payload in its error', () => {
    const key = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from('llm-gateway-secrets:1:aes-256-gcm'));
    const ciphertext = Buffer.concat([cipher.update(`{"secrets": ${OPENAI_KEY}}`), cipher.final()]);
    const envelope = {
      format: 'llm-gateway-secrets',
      version: 1,
      cipher: 'aes-256-gcm',
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
    writeFileSync(join(dir, SECRETS_FILE), JSON.stringify(envelope));
    const error = errorOf(() => open({ LLM_GATEWAY_SECRETS_KEY: key.toString('hex') }));
    expect(error.message).toMatch(/decrypts, but not to a list of secrets/);
    expect(error.message).not.toContain('sk-proj');
  });

  it('creates the data folder when it does not exist yet', () => {
    const nested = join(dir, 'a', 'b');
    const store = new EncryptedFileSecretStore({ dir: nested, env: {} });
    store.set('A', 'value-1');
    expect(new EncryptedFileSecretStore({ dir: nested, env: {} }).get('A')).toBe('value-1');
  });
});
