/**
 * KeychainSecretStore against the real OS keychain — on Linux a real Secret Service (gnome-keyring), which
 * e2e/support/keychain-setup.ts starts on a private D-Bus session when none exists. Without one the tests are
 * skipped with a loud reason, except with CI set, where a missing keychain is a failure.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { checkKeychain, KeychainSecretStore } from './keychain-store.ts';
import { openSecretStore } from './open-secret-store.ts';
import { SecretNameError } from './secret-store.ts';

// A service of its own per run: never touches the real gateway's entries, or another run's.
const SERVICE = `LLM Gateway test ${process.pid}-${randomBytes(3).toString('hex')}`;
const keychain = checkKeychain(SERVICE);
const inCI = Boolean(process.env.CI) && !/^(0|false)$/i.test(process.env.CI ?? '');
const reason = keychain.ok
  ? ''
  : `No usable OS keychain (${keychain.reason}). Test setup: ${inject('keychainSetup') ?? 'e2e/support/keychain-setup.ts did not run'}. ` +
    'On Debian/Ubuntu install the packages gnome-keyring and dbus (npm test then starts a private Secret Service), or run inside a D-Bus session with an unlocked keyring.';
if (!keychain.ok && !inCI) console.warn(`\n*** Keychain tests SKIPPED: ${reason}\n`);

describe('KeychainSecretStore (real OS keychain)', () => {
  it.runIf(!keychain.ok && inCI)('has a keychain to test against (required when CI is set)', () => {
    throw new Error(reason);
  });

  describe.skipIf(!keychain.ok)('with a usable keychain', () => {
    const store = new KeychainSecretStore(SERVICE);

    afterAll(() => {
      for (const name of store.list()) store.delete(name);
    });

    it('reports itself as the keychain, with full protection', () => {
      expect(store.backend).toBe('keychain');
      expect(store.weakerProtection).toBe(false);
    });

    it('stores, reads, replaces and deletes a secret', () => {
      expect(store.get('OPENAI_API_KEY')).toBeUndefined();
      store.set('OPENAI_API_KEY', 'sk-proj-first-0123456789');
      expect(store.get('OPENAI_API_KEY')).toBe('sk-proj-first-0123456789');
      store.set('OPENAI_API_KEY', 'sk-proj-second-9876543210');
      expect(store.get('OPENAI_API_KEY')).toBe('sk-proj-second-9876543210');
      expect(store.delete('OPENAI_API_KEY')).toBe(true);
      expect(store.get('OPENAI_API_KEY')).toBeUndefined();
      expect(store.delete('OPENAI_API_KEY')).toBe(false);
    });

    it('keeps any text exactly (unicode, long values)', () => {
      const value = `ключ-🔑-${'x'.repeat(4000)}`;
      store.set('unicode.value', value);
      expect(store.get('unicode.value')).toBe(value);
    });

    it('lists the names of its own service only, sorted, without the probe entry', () => {
      store.set('b-key', 'value-b-123456');
      store.set('A_KEY', 'value-a-123456');
      const other = new KeychainSecretStore(`${SERVICE} other`);
      other.set('C_KEY', 'value-c-123456');
      try {
        expect(store.list()).toEqual(expect.arrayContaining(['A_KEY', 'b-key']));
        expect(store.list()).not.toContain('C_KEY');
        expect(store.list()).toEqual([...store.list()].sort());
        expect(store.list().every((name) => /^[A-Za-z0-9._-]+$/.test(name))).toBe(true);
      } finally {
        other.delete('C_KEY');
      }
    });

    it('rejects an invalid name before touching the keychain', () => {
      expect(() => store.set('has space', 'value-123456')).toThrow(SecretNameError);
      expect(() => store.get('')).toThrow(SecretNameError);
    });

    it('is what openSecretStore picks when the keychain works', () => {
      const dir = mkdtempSync(join(tmpdir(), 'llm-gateway-secrets-'));
      const lines: string[] = [];
      try {
        const opened = openSecretStore({
          dataDir: dir,
          keychainService: SERVICE,
          env: {},
          logger: { info: (m) => lines.push(m), warn: (m) => lines.push(`WARN ${m}`) },
        });
        expect(opened.backend).toBe('keychain');
        expect(lines).toEqual([`Provider secrets are kept in the OS keychain (service "${SERVICE}").`]);
        const forced = openSecretStore({ dataDir: dir, keychainService: SERVICE, env: { LLM_GATEWAY_SECRET_BACKEND: 'keychain' } });
        expect(forced.backend).toBe('keychain');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe.runIf(process.platform === 'linux')('KeychainSecretStore on Linux without a Secret Service', () => {
  // With no reachable bus the binding's default would quietly use the kernel keyring (lost at reboot); pinned
  // to the Secret Service, the probe must fail instead and every operation must throw. The binding keeps its
  // D-Bus connection for the life of the process, so this runs in a child process pointed at no bus at all.
  const script = `
    const { checkKeychain, KeychainSecretStore } = await import('./server/secrets/keychain-store.ts');
    const { openSecretStore } = await import('./server/secrets/open-secret-store.ts');
    const attempt = (run) => { try { run(); return null; } catch (error) { return error.name + ': ' + error.message; } };
    const service = ${JSON.stringify(SERVICE)};
    console.log(JSON.stringify({
      check: checkKeychain(service),
      setError: attempt(() => new KeychainSecretStore(service).set('OPENAI_API_KEY', 'sk-never-in-an-error-0123456789')),
      forcedError: attempt(() => openSecretStore({ keychainService: service, env: { LLM_GATEWAY_SECRET_BACKEND: 'keychain' } })),
    }));`;
  const run = () =>
    JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/llm-gateway-test-bus' },
        encoding: 'utf8',
        timeout: 15_000,
      }),
    ) as { check: { ok: boolean; reason?: string }; setError: string | null; forcedError: string | null };
  const result = run();

  it('fails the probe instead of falling back to the kernel keyring', () => {
    expect(result.check.ok).toBe(false);
    expect(result.check.reason).toMatch(/\S/);
  });

  it('throws a KeychainError that names the secret and never the value', () => {
    expect(result.setError).toMatch(/^KeychainError: OS keychain: could not store secret `OPENAI_API_KEY`: /);
    expect(result.setError).not.toContain('sk-never-in-an-error');
  });

  it('makes a forced keychain an error, not a fallback', () => {
    expect(result.forcedError).toMatch(/LLM_GATEWAY_SECRET_BACKEND=keychain, but no OS keychain is usable/);
  });
});
