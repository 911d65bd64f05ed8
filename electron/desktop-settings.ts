/**
 * The desktop app's own settings: a small JSON file in Electron's userData folder. Validated on read (a
 * corrupt or hand-broken file falls back to defaults, field by field, with a warning — the app always starts),
 * written atomically (server/core/atomic-write.ts: temp file + fsync + rename, so a crash mid-write never leaves
 * half a file).
 *
 * Not secrets, not gateway config: config.yaml stays the gateway's single source of truth.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../server/core/atomic-write.ts';
import type { RendererSettings } from './ipc-contract.ts';
import { DEFAULT_PORT, validatePort } from './port-policy.ts';

export type { RendererSettings };

export const SETTINGS_FILE = 'desktop-settings.json';

export interface DesktopSettings {
  /** Launch the app when the user logs in (off by default: the user opts in). */
  startAtLogin: boolean;
  /** Start the gateway as soon as the app opens. */
  startProxyOnOpen: boolean;
  /** The port the gateway listens on; changed only by the user ("Choose port"), never automatically. */
  port: number;
  /** The first successful start happened and the dashboard was shown on Overview ("Connect a client"). */
  firstRunDone: boolean;
}

export const DEFAULT_SETTINGS: Readonly<DesktopSettings> = Object.freeze({
  startAtLogin: false,
  startProxyOnOpen: true,
  port: DEFAULT_PORT,
  firstRunDone: false,
});

export function rendererSettings(settings: DesktopSettings): RendererSettings {
  return { startAtLogin: settings.startAtLogin, startProxyOnOpen: settings.startProxyOnOpen };
}

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** Reads the file's text: unknown keys are dropped, each invalid value falls back to its default with a warning. */
export function parseSettings(text: string): { settings: DesktopSettings; warnings: string[] } {
  const warnings: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return {
      settings: { ...DEFAULT_SETTINGS },
      warnings: [`${SETTINGS_FILE} is not valid JSON (${(err as Error).message}); using the default desktop settings.`],
    };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { settings: { ...DEFAULT_SETTINGS }, warnings: [`${SETTINGS_FILE} does not hold a JSON object; using the default desktop settings.`] };
  }
  const record = raw as Record<string, unknown>;
  const settings: DesktopSettings = { ...DEFAULT_SETTINGS };
  for (const key of ['startAtLogin', 'startProxyOnOpen', 'firstRunDone'] as const) {
    if (!(key in record)) continue;
    if (typeof record[key] === 'boolean') settings[key] = record[key];
    else warnings.push(`${SETTINGS_FILE}: ${key} must be true or false; using ${String(DEFAULT_SETTINGS[key])}.`);
  }
  if ('port' in record) {
    const check = typeof record.port === 'number' ? validatePort(record.port) : { ok: false as const, message: 'not a number' };
    if (check.ok) settings.port = check.port;
    else warnings.push(`${SETTINGS_FILE}: port ${JSON.stringify(record.port)} is not usable (${check.message}); using ${DEFAULT_SETTINGS.port}.`);
  }
  return { settings, warnings };
}

export interface SettingsLogger {
  warn(message: string): void;
}

/** The settings file in `dir` (Electron's userData), cached in memory after the first read. */
export class DesktopSettingsStore {
  readonly file: string;
  private current: DesktopSettings | undefined;
  /** Whether the file existed when first read (the app ran here before). */
  existed = false;

  constructor(
    readonly dir: string,
    private readonly logger: SettingsLogger = { warn: (m) => console.warn(m) },
  ) {
    this.file = join(dir, SETTINGS_FILE);
  }

  get(): DesktopSettings {
    if (this.current) return { ...this.current };
    let text: string | undefined;
    try {
      text = readFileSync(this.file, 'utf8');
      this.existed = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        this.logger.warn(`Could not read ${this.file} (${(err as Error).message}); using the default desktop settings.`);
    }
    if (text === undefined) {
      this.current = { ...DEFAULT_SETTINGS };
    } else {
      const { settings, warnings } = parseSettings(text);
      for (const warning of warnings) this.logger.warn(warning);
      this.current = settings;
    }
    return { ...this.current };
  }

  /** Applies a change (port validated again) and writes the file atomically; returns the new settings. */
  update(patch: Partial<DesktopSettings>): DesktopSettings {
    const next: DesktopSettings = { ...this.get() };
    if (patch.port !== undefined) {
      const check = validatePort(patch.port);
      if (!check.ok) throw new SettingsError(check.message);
      next.port = check.port;
    }
    for (const key of ['startAtLogin', 'startProxyOnOpen', 'firstRunDone'] as const) {
      const value = patch[key];
      if (value === undefined) continue;
      if (typeof value !== 'boolean') throw new SettingsError(`Desktop setting \`${key}\` must be true or false.`);
      next[key] = value;
    }
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
    this.current = next;
    this.existed = true;
    return { ...next };
  }
}
