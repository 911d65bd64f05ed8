/**
 * The small interfaces ("ports") the desktop controllers need of the outside world: the gateway host, the
 * settings store, dialogs, timers and a logger. main.ts adapts Electron's objects (and GatewayHost,
 * DesktopSettingsStore) to them; tests pass fakes (test-support/fake-desktop.ts) and vitest's fake timers.
 * Plain module: no `electron` import.
 */
import type { DesktopSettings } from './desktop-settings.ts';
import type { HostSnapshot } from './gateway-host.ts';
import { originOf } from './window-policy.ts';

/** What the controllers use of GatewayHost (which satisfies it as it is). */
export interface GatewayPort {
  snapshot(): HostSnapshot;
  /** Called after every state change; returns an unsubscribe function. */
  onChange(listener: (snapshot: HostSnapshot) => void): () => void;
  start(port: number): void;
  /** Resolves once the gateway process is gone. */
  stop(): Promise<void>;
  /** The running gateway's base URL, or undefined. */
  url(): string | undefined;
  adminToken(): Promise<string | undefined>;
}

/** What the controllers use of DesktopSettingsStore. */
export interface SettingsPort {
  get(): DesktopSettings;
  update(patch: Partial<DesktopSettings>): DesktopSettings;
}

/** Electron's dialog module, as far as the app uses it. */
export interface DialogPort {
  showErrorBox(title: string, content: string): void;
  showSaveDialog(options: {
    title: string;
    defaultPath: string;
    filters: { name: string; extensions: string[] }[];
  }): Promise<{ canceled: boolean; filePath?: string }>;
}

/** Timers and the clock (the globals in main; the same globals faked by vi.useFakeTimers() in tests). */
export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** Looks the globals up at each call, so vitest's fake timers (installed later) are the ones used. */
export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** Runs a task without awaiting it; a failure is logged (`what: message`), never an unhandled rejection. */
// biome-ignore lint/suspicious/noConfusingVoidType: callers pass whatever an action returns, a promise or nothing
export type Background = (task: Promise<unknown> | void, what: string) => void;

export function backgroundRunner(logger: Pick<Logger, 'warn'>): Background {
  return (task, what) => {
    if (!task) return;
    task.catch((err: unknown) => logger.warn(`${what}: ${(err as Error)?.message ?? String(err)}`));
  };
}

/** The running gateway's origin (`http://127.0.0.1:4000`), or undefined while it is not running. */
export function gatewayOrigin(host: Pick<GatewayPort, 'url'>): string | undefined {
  const url = host.url();
  return url ? originOf(url) : undefined;
}
