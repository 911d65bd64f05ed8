import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EncryptedFileSecretStore } from './encrypted-file-store.ts';
import type { KeychainCheck } from './keychain-store.ts';
import { openSecretStore, SECRETS_README_SECTION, type OpenSecretStoreOptions } from './open-secret-store.ts';

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
  it('falls back to the encrypted file with a short warning naming the file, the reason and the README section', () => {
    const store = open({ dataDir: dir, checkKeychain: noKeychain });
    expect(store.backend).toBe('encrypted-file');
    expect(store.weakerProtection).toBe(true);
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatch(/^WARN No OS keychain available \(no D-Bus session\): provider secrets are kept in .*secrets\.enc, encrypted with its key beside it/);
    expect(line).toContain(join(dir, 'secrets.enc'));
    expect(line).toContain(SECRETS_README_SECTION);
    // The how-to lives in the README now: the line stays short.
    expect(line.length - dir.length).toBeLessThan(300);
  });

  it('warns once per data folder: a second start says it in one info line', () => {
    open({ dataDir: dir, checkKeychain: noKeychain });
    open({ dataDir: dir, checkKeychain: noKeychain });
    open({ dataDir: dir, checkKeychain: noKeychain });
    expect(lines.filter((line) => line.startsWith('WARN'))).toHaveLength(1);
    expect(lines.slice(1)).toEqual([
      `INFO Provider secrets are kept in ${join(dir, 'secrets.enc')} (encrypted with its key beside it (secrets.key); weaker than an OS keychain: ${SECRETS_README_SECTION}).`,
      `INFO Provider secrets are kept in ${join(dir, 'secrets.enc')} (encrypted with its key beside it (secrets.key); weaker than an OS keychain: ${SECRETS_README_SECTION}).`,
    ]);
  });

  it('warns again in another data folder, when the key source changes, and when no logger showed it', () => {
    const other = mkdtempSync(join(tmpdir(), 'llm-gateway-open-secrets-other-'));
    try {
      openSecretStore({ dataDir: dir, env: {}, checkKeychain: noKeychain });
      open({ dataDir: dir, checkKeychain: noKeychain });
      open({ dataDir: other, checkKeychain: noKeychain });
      open({ dataDir: dir, checkKeychain: noKeychain, env: { LLM_GATEWAY_SECRETS_KEY: randomBytes(32).toString('hex') } });
      expect(lines.map((line) => line.slice(0, 4))).toEqual(['WARN', 'WARN', 'WARN']);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('points to a README section that exists', () => {
    const [file, anchor] = SECRETS_README_SECTION.split('#') as [string, string];
    const readme = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
    // GitHub's anchor of a heading: lower case, spaces to hyphens, punctuation dropped.
    const anchors = [...readme.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-'),
    );
    expect(anchors).toContain(anchor);
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
