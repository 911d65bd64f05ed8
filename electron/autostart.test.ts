import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AUTOSTART_ARG,
  isAutostartEnabled,
  launchCommand,
  launchedAtLogin,
  linuxAutostartFile,
  linuxDesktopEntry,
  quoteExecArg,
  setAutostart,
  xdgConfigHome,
  type LoginItemApi,
} from './autostart.ts';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'llmgw-autostart-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function fakeLoginItems() {
  const calls: Parameters<LoginItemApi['setLoginItemSettings']>[0][] = [];
  const reads: unknown[] = [];
  let openAtLogin = false;
  const api: LoginItemApi = {
    setLoginItemSettings: (settings) => {
      calls.push(settings);
      openAtLogin = settings.openAtLogin;
    },
    getLoginItemSettings: (options) => {
      reads.push(options);
      return { openAtLogin };
    },
  };
  return { api, calls, reads };
}

describe('autostart on macOS and Windows', () => {
  it('macOS: the login item through setLoginItemSettings', () => {
    const items = fakeLoginItems();
    const deps = {
      platform: 'darwin' as const,
      env: {},
      execPath: '/Applications/LLM Gateway.app/Contents/MacOS/LLM Gateway',
      loginItems: items.api,
      homedir: home,
    };
    expect(isAutostartEnabled(deps)).toBe(false);
    setAutostart(true, deps);
    expect(items.calls).toEqual([{ openAtLogin: true }]);
    expect(isAutostartEnabled(deps)).toBe(true);
    setAutostart(false, deps);
    expect(items.calls.at(-1)).toEqual({ openAtLogin: false });
    // Nothing is written into the XDG folder on macOS.
    expect(existsSync(join(home, '.config'))).toBe(false);
  });

  it('Windows: the Run entry with the executable and --autostart, read back with the same pair', () => {
    const items = fakeLoginItems();
    const execPath = 'C:\\Users\\me\\AppData\\Local\\Programs\\LLM Gateway\\LLM Gateway.exe';
    const deps = { platform: 'win32' as const, env: {}, execPath, loginItems: items.api };
    setAutostart(true, deps);
    expect(items.calls).toEqual([{ openAtLogin: true, path: execPath, args: [AUTOSTART_ARG] }]);
    expect(isAutostartEnabled(deps)).toBe(true);
    expect(items.reads).toEqual([{ path: execPath, args: [AUTOSTART_ARG] }]);
  });

  it('needs the login-item API off Linux', () => {
    expect(() => setAutostart(true, { platform: 'darwin', env: {}, execPath: '/x' })).toThrow(/login items/);
    expect(isAutostartEnabled({ platform: 'win32', env: {}, execPath: '/x' })).toBe(false);
  });
});

describe('autostart on Linux (XDG autostart)', () => {
  it('writes and removes ~/.config/autostart/llm-gateway.desktop', () => {
    const deps = { platform: 'linux' as const, env: {}, execPath: '/opt/LLM Gateway/llm-gateway', homedir: home };
    const file = join(home, '.config', 'autostart', 'llm-gateway.desktop');
    expect(linuxAutostartFile(deps)).toBe(file);
    expect(isAutostartEnabled(deps)).toBe(false);
    setAutostart(true, deps);
    expect(readFileSync(file, 'utf8')).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.0',
        'Name=LLM Gateway',
        'Comment=Local OpenAI-compatible LLM gateway (tray)',
        'Exec="/opt/LLM Gateway/llm-gateway" --autostart',
        'Icon=llm-gateway',
        'Terminal=false',
        'StartupNotify=false',
        'Categories=Development;',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
    expect(isAutostartEnabled(deps)).toBe(true);
    setAutostart(false, deps);
    expect(existsSync(file)).toBe(false);
    expect(isAutostartEnabled(deps)).toBe(false);
    // Removing twice is fine.
    setAutostart(false, deps);
  });

  it('respects an absolute XDG_CONFIG_HOME and ignores a relative one', () => {
    const xdg = join(home, 'xdg');
    expect(xdgConfigHome({ XDG_CONFIG_HOME: xdg }, home)).toBe(xdg);
    expect(xdgConfigHome({ XDG_CONFIG_HOME: 'relative/dir' }, home)).toBe(join(home, '.config'));
    expect(xdgConfigHome({ XDG_CONFIG_HOME: '' }, home)).toBe(join(home, '.config'));
    const deps = { platform: 'linux' as const, env: { XDG_CONFIG_HOME: xdg }, execPath: '/usr/bin/llm-gateway', homedir: home };
    setAutostart(true, deps);
    expect(existsSync(join(xdg, 'autostart', 'llm-gateway.desktop'))).toBe(true);
    expect(existsSync(join(home, '.config'))).toBe(false);
  });

  it('launches the AppImage from $APPIMAGE when running from one', () => {
    const env = { APPIMAGE: '/home/me/Apps/LLM Gateway-0.1.0.AppImage' };
    expect(launchCommand({ env, execPath: '/tmp/.mount_LLMxyz/llm-gateway' })).toEqual(['/home/me/Apps/LLM Gateway-0.1.0.AppImage', '--autostart']);
    expect(linuxDesktopEntry({ env, execPath: '/tmp/.mount_LLMxyz/llm-gateway' })).toContain('Exec="/home/me/Apps/LLM Gateway-0.1.0.AppImage" --autostart\n');
    // A relative APPIMAGE is not trusted.
    expect(launchCommand({ env: { APPIMAGE: 'x.AppImage' }, execPath: '/usr/bin/llm-gateway' })[0]).toBe('/usr/bin/llm-gateway');
  });

  it('quotes Exec arguments per the Desktop Entry spec', () => {
    expect(quoteExecArg('/usr/bin/llm-gateway')).toBe('/usr/bin/llm-gateway');
    expect(quoteExecArg('--autostart')).toBe('--autostart');
    expect(quoteExecArg('/opt/My App/run')).toBe('"/opt/My App/run"');
    expect(quoteExecArg('/opt/a"b')).toBe('"/opt/a\\\\"b"');
    expect(quoteExecArg('/opt/$HOME/`x`')).toBe('"/opt/\\\\$HOME/\\\\`x\\\\`"');
    // A literal backslash in a quoted argument is four backslashes in the file.
    expect(quoteExecArg('/opt/a b\\c')).toBe('"/opt/a b\\\\\\\\c"');
    expect(quoteExecArg('/opt/100%')).toBe('/opt/100%%');
    expect(quoteExecArg("/opt/it's")).toBe('"/opt/it\'s"');
    expect(quoteExecArg('')).toBe('""');
    expect(() => quoteExecArg('/opt/a\nb')).toThrow();
  });

  it('a user who disabled the entry in their session settings sees it off', () => {
    const deps = { platform: 'linux' as const, env: {}, execPath: '/usr/bin/llm-gateway', homedir: home };
    setAutostart(true, deps);
    const file = linuxAutostartFile(deps);
    writeFileSync(file, readFileSync(file, 'utf8').replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
    expect(isAutostartEnabled(deps)).toBe(false);
    writeFileSync(file, `${readFileSync(file, 'utf8')}Hidden=true\n`.replace('=false', '=true'));
    expect(isAutostartEnabled(deps)).toBe(false);
  });

  it('knows a login launch', () => {
    expect(launchedAtLogin(['/usr/bin/llm-gateway', '--autostart'])).toBe(true);
    expect(launchedAtLogin(['/usr/bin/llm-gateway'])).toBe(false);
    expect(launchedAtLogin(['/Applications/LLM Gateway.app/Contents/MacOS/LLM Gateway'], true)).toBe(true);
  });
});
