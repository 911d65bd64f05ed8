import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EncryptedFileSecretStore } from './encrypted-file-store.ts';
import type { KeychainCheck } from './keychain-store.ts';
import { openSecretStore, type OpenSecretStoreOptions } from './open-secret-store.ts';

const noKeychain = (): KeychainCheck => ({ ok: false, reason: 'no D-Bus session' });
const keychainWorks = (): KeychainCheck => ({ ok: true });

let dir: string;
let lines: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'llm-gateway-open-secrets-'));
  lines = [];
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const logger = { info: (message: string) => lines.push(`INFO ${message}`), warn: (message: string) => lines.push(`WARN ${message}`) };
const open = (options: OpenSecretStoreOptions) => openSecretStore({ logger, env: {}, keychainService: 'LLM Gateway open test', ...options });

describe('openSecretStore', () => {
  it('falls back to the encrypted file with a loud warning naming the file and how to get a keychain', () => {
    const store = open({ dataDir: dir, checkKeychain: noKeychain });
    expect(store.backend).toBe('encrypted-file');
    expect(store.weakerProtection).toBe(true);
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatch(/^WARN No OS keychain available: provider secrets are kept in .*secrets\.enc, encrypted with a key stored beside it/);
    expect(line).toContain(join(dir, 'secrets.enc'));
    expect(line).toContain('(The keychain check said: no D-Bus session.)');
    expect(line).toContain('gnome-keyring-daemon --unlock --components=secrets');
    expect(line).toContain('LLM_GATEWAY_SECRETS_KEY');
  });

  it('says the key comes from LLM_GATEWAY_SECRETS_KEY when it does', () => {
    open({ dataDir: dir, checkKeychain: noKeychain, env: { LLM_GATEWAY_SECRETS_KEY: randomBytes(32).toString('hex') } });
    expect(lines[0]).toContain('encrypted with the key from LLM_GATEWAY_SECRETS_KEY');
  });

  it('uses the keychain when it works', () => {
    const store = open({ dataDir: dir, checkKeychain: keychainWorks });
    expect(store.backend).toBe('keychain');
    expect(store.weakerProtection).toBe(false);
    expect(lines).toEqual(['INFO Provider secrets are kept in the OS keychain (service "LLM Gateway open test").']);
  });

  it('keeps using an existing secrets file rather than stranding its secrets', () => {
    new EncryptedFileSecretStore({ dir, env: {} }).set('A', 'value-1');
    let probed = false;
    const store = open({ dataDir: dir, checkKeychain: () => ((probed = true), { ok: true }) });
    expect(store.backend).toBe('encrypted-file');
    expect(store.get('A')).toBe('value-1');
    expect(probed).toBe(false);
    expect(lines[0]).toMatch(/^WARN This data folder already keeps its secrets in an encrypted file/);
  });

  it('uses memory, with a warning, when there is neither keychain nor data folder', () => {
    const store = open({ checkKeychain: noKeychain });
    expect(store.backend).toBe('memory');
    expect(lines[0]).toMatch(/^WARN No OS keychain available \(no D-Bus session\) and no data folder/);
  });

  it('honours a preference without probing the keychain', () => {
    const fail = (): KeychainCheck => {
      throw new Error('must not probe');
    };
    expect(open({ dataDir: dir, prefer: 'encrypted-file', checkKeychain: fail }).backend).toBe('encrypted-file');
    expect(open({ dataDir: dir, prefer: 'memory', checkKeychain: fail }).backend).toBe('memory');
  });

  describe('LLM_GATEWAY_SECRET_BACKEND', () => {
    it('forces the keychain strictly: unusable is an error, not a fallback', () => {
      expect(() => open({ dataDir: dir, checkKeychain: noKeychain, env: { LLM_GATEWAY_SECRET_BACKEND: 'keychain' } })).toThrow(
        /^LLM_GATEWAY_SECRET_BACKEND=keychain, but no OS keychain is usable \(no D-Bus session\)/,
      );
      expect(open({ dataDir: dir, checkKeychain: keychainWorks, env: { LLM_GATEWAY_SECRET_BACKEND: 'keychain' } }).backend).toBe('keychain');
    });

    it('forces the encrypted file even with a keychain, still warning', () => {
      const store = open({ dataDir: dir, checkKeychain: keychainWorks, env: { LLM_GATEWAY_SECRET_BACKEND: 'encrypted-file' } });
      expect(store.backend).toBe('encrypted-file');
      expect(lines[0]).toMatch(/^WARN LLM_GATEWAY_SECRET_BACKEND=encrypted-file: provider secrets are kept in/);
      expect(() => open({ env: { LLM_GATEWAY_SECRET_BACKEND: 'encrypted-file' } })).toThrow(/needs a data folder/);
    });

    it('forces memory, and rejects unknown values', () => {
      expect(open({ dataDir: dir, checkKeychain: keychainWorks, env: { LLM_GATEWAY_SECRET_BACKEND: 'memory' } }).backend).toBe('memory');
      expect(() => open({ env: { LLM_GATEWAY_SECRET_BACKEND: 'plaintext' } })).toThrow(
        'LLM_GATEWAY_SECRET_BACKEND=plaintext is not a secret backend; use one of: keychain, encrypted-file, memory.',
      );
    });
  });
});
