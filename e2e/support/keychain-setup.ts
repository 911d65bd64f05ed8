/**
 * Vitest global setup: a real, private Secret Service for the keychain tests, so a plain `npm test` exercises
 * the OS keychain on headless Linux wherever the Debian packages gnome-keyring and dbus are installed.
 *
 * When no D-Bus session exists, it starts one with `dbus-run-session`, unlocks a fresh gnome-keyring on it
 * (keyrings in a temp folder, never the user's), and exports DBUS_SESSION_BUS_ADDRESS, which the test workers
 * inherit. The bus lives exactly as long as this process's pipe to it: `cat` waits for end-of-input, so when
 * teardown closes the pipe — or vitest dies — the shell ends, dbus-run-session stops the bus, and
 * gnome-keyring-daemon exits with it. Nothing is left running and nothing can hang the suite (timeouts).
 *
 * What happened is handed to the tests (`inject('keychainSetup')`) for their skip or failure message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { checkKeychain } from '../../server/secrets/keychain-store.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** How the keychain tests get their Secret Service, or why there is none. */
    keychainSetup: string;
  }
}

/** The Debian packages that provide the two programs below. */
export const KEYCHAIN_DEBIAN_PACKAGES = 'gnome-keyring dbus';

const START_TIMEOUT_MS = 5_000;
const STOP_TIMEOUT_MS = 2_000;
const PROBE_SERVICE = 'LLM Gateway test setup';

// The password reaches gnome-keyring on stdin; the bus address comes back on stdout once the keyring is unlocked.
// After end-of-input the shell also removes the temp keyring folder, so even a killed vitest leaves nothing behind.
const SESSION_SCRIPT =
  'printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1; ' +
  'echo "BUS $DBUS_SESSION_BUS_ADDRESS"; cat >/dev/null; [ -n "$KEYRING_HOME" ] && rm -rf "$KEYRING_HOME"';

interface Started {
  note: string;
  stop?: () => Promise<void>;
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const started = await startSecretService();
  project.provide('keychainSetup', started.note);
  return started.stop;
}

async function startSecretService(): Promise<Started> {
  if (process.platform !== 'linux') return { note: `${process.platform}: the OS keychain needs no setup` };
  if (process.env.DBUS_SESSION_BUS_ADDRESS) return { note: 'using the existing D-Bus session (DBUS_SESSION_BUS_ADDRESS)' };

  const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter((program) => !onPath(program));
  if (missing.length > 0) {
    const note = `no D-Bus session, and ${missing.join(' and ')} not found to start one (Debian packages: ${KEYCHAIN_DEBIAN_PACKAGES})`;
    console.warn(`[keychain setup] ${note}: the keychain tests will be skipped (or fail, with CI set).`);
    return { note };
  }

  const home = mkdtempSync(join(tmpdir(), 'llm-gateway-keyring-'));
  for (const dir of ['data', 'config', 'cache', 'run']) mkdirSync(join(home, dir), { mode: 0o700 });
  const child = spawn('dbus-run-session', ['--', 'sh', '-c', SESSION_SCRIPT], {
    env: {
      ...process.env,
      KEYRING_PASSWORD: randomBytes(16).toString('hex'),
      KEYRING_HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_RUNTIME_DIR: join(home, 'run'),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, so teardown can end the whole tree if closing the pipe is not enough.
    detached: true,
  });
  const stop = () => stopSession(child, home);

  try {
    const address = await busAddress(child);
    process.env.DBUS_SESSION_BUS_ADDRESS = address;
    const check = await keychainReady();
    if (!check.ok) throw new Error(`gnome-keyring started but is not usable: ${check.reason}`);
    return { note: 'started a private D-Bus session with an unlocked gnome-keyring', stop };
  } catch (error) {
    await stop();
    const note = `could not start a private Secret Service: ${(error as Error).message}`;
    console.warn(`[keychain setup] ${note}`);
    return { note };
  }
}

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Resolves with the bus address the session script prints; rejects on exit or timeout, quoting stderr. */
function busAddress(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => fail(new Error(`no answer within ${START_TIMEOUT_MS} ms. ${stderr.trim()}`)), START_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^BUS (\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`dbus-run-session exited (${code}) before the keyring was ready. ${stderr.trim()}`)));
  });
}

/** The daemon may still be claiming its bus name when --unlock returns: retry briefly. */
async function keychainReady(): Promise<ReturnType<typeof checkKeychain>> {
  const deadline = Date.now() + 1_500;
  for (;;) {
    const check = checkKeychain(PROBE_SERVICE);
    if (check.ok || Date.now() > deadline) return check;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopSession(child: ChildProcess, home: string): Promise<void> {
  delete process.env.DBUS_SESSION_BUS_ADDRESS;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin?.end();
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref());
    if ((await Promise.race([exited, timer])) === 'timeout' && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  child.stdout?.destroy();
  child.stderr?.destroy();
  rmSync(home, { recursive: true, force: true });
}
