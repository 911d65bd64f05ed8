import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, DesktopSettingsStore, parseSettings, rendererSettings, SETTINGS_FILE, SettingsError } from './desktop-settings.ts';

let dir: string;
let warnings: string[];
const logger = { warn: (m: string) => void warnings.push(m) };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'llmgw-settings-'));
  warnings = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('desktop settings', () => {
  it('defaults: start at login off, start proxy on open on, port 4000, first run pending', () => {
    expect(DEFAULT_SETTINGS).toEqual({ startAtLogin: false, startProxyOnOpen: true, port: 4000, firstRunDone: false });
    const store = new DesktopSettingsStore(dir, logger);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.existed).toBe(false);
    expect(warnings).toEqual([]);
    // Reading does not create the file.
    expect(existsSync(join(dir, SETTINGS_FILE))).toBe(false);
  });

  it('writes atomically and reads back', () => {
    const store = new DesktopSettingsStore(dir, logger);
    expect(store.update({ startAtLogin: true, port: 4100 })).toEqual({ ...DEFAULT_SETTINGS, startAtLogin: true, port: 4100 });
    expect(JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8'))).toEqual({ ...DEFAULT_SETTINGS, startAtLogin: true, port: 4100 });
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]); // no temp file left behind
    if (process.platform !== 'win32') expect(statSync(join(dir, SETTINGS_FILE)).mode & 0o777).toBe(0o600);
    const again = new DesktopSettingsStore(dir, logger);
    expect(again.get()).toEqual({ ...DEFAULT_SETTINGS, startAtLogin: true, port: 4100 });
    expect(again.existed).toBe(true);
  });

  it('refuses an invalid change and keeps the file as it was', () => {
    const store = new DesktopSettingsStore(dir, logger);
    store.update({ port: 4100 });
    expect(() => store.update({ port: 80 })).toThrow(SettingsError);
    expect(() => store.update({ startAtLogin: 'yes' as unknown as boolean })).toThrow(SettingsError);
    expect(store.get().port).toBe(4100);
    expect(new DesktopSettingsStore(dir, logger).get().port).toBe(4100);
  });

  it('a corrupt file falls back to the defaults with a warning', () => {
    writeFileSync(join(dir, SETTINGS_FILE), '{"startAtLogin": tru');
    const store = new DesktopSettingsStore(dir, logger);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not valid JSON.*default/);
    // The next change repairs it.
    store.update({ startProxyOnOpen: false });
    expect(JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8'))).toEqual({ ...DEFAULT_SETTINGS, startProxyOnOpen: false });
  });

  it('bad fields fall back one by one; unknown keys are dropped', () => {
    const { settings, warnings: found } = parseSettings(
      JSON.stringify({ startAtLogin: 'yes', startProxyOnOpen: false, port: 80, firstRunDone: true, theme: 'dark' }),
    );
    expect(settings).toEqual({ startAtLogin: false, startProxyOnOpen: false, port: 4000, firstRunDone: true });
    expect(found).toHaveLength(2);
    expect(found.join('\n')).toMatch(/startAtLogin/);
    expect(found.join('\n')).toMatch(/port 80/);
    expect(parseSettings('[]').settings).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings('null').warnings[0]).toMatch(/JSON object/);
    expect(parseSettings('{"port": "4001"}').settings.port).toBe(4000);
  });

  it('the renderer sees only its two booleans', () => {
    expect(rendererSettings({ ...DEFAULT_SETTINGS, port: 4100, firstRunDone: true })).toEqual({ startAtLogin: false, startProxyOnOpen: true });
  });
});
