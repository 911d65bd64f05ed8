/**
 * "Start at login". macOS and Windows: the OS login items through an injected setLoginItemSettings-like
 * function (Electron's app.setLoginItemSettings). Linux: an XDG autostart entry,
 * `$XDG_CONFIG_HOME/autostart/llm-gateway.desktop` (default ~/.config), whose Exec line launches the AppImage
 * (its path is in $APPIMAGE when the app runs from one) or the installed executable, with `--autostart` so the
 * app knows not to open its window.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export const AUTOSTART_ARG = '--autostart';
export const DESKTOP_FILE_NAME = 'llm-gateway.desktop';

export interface LoginItemApi {
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
  getLoginItemSettings(options?: { path?: string; args?: string[] }): { openAtLogin: boolean };
}

export interface AutostartDeps {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** process.execPath: the app's executable. */
  execPath: string;
  homedir?: string;
  /** Electron's app login-item functions (macOS, Windows). */
  loginItems?: LoginItemApi;
  appName?: string;
}

/** The XDG config home: $XDG_CONFIG_HOME when it is an absolute path (the spec says to ignore relative ones), else ~/.config. */
export function xdgConfigHome(env: Readonly<Record<string, string | undefined>>, home: string = homedir()): string {
  const value = env.XDG_CONFIG_HOME;
  return value && isAbsolute(value) ? value : join(home, '.config');
}

export function linuxAutostartFile(deps: Pick<AutostartDeps, 'env' | 'homedir'>): string {
  return join(xdgConfigHome(deps.env, deps.homedir), 'autostart', DESKTOP_FILE_NAME);
}

/**
 * One argument of a Desktop Entry Exec line. Per the Desktop Entry spec: an argument with reserved characters is
 * double-quoted, and inside the quotes `"`, `` ` ``, `$` and `\` are backslash-escaped; then the value as a whole
 * follows the string escaping rules, which double every backslash again (so a literal `\` becomes `\\\\`). A
 * literal `%` is written `%%` (field codes).
 */
export function quoteExecArg(arg: string): string {
  if (/[\n\r\t\0]/.test(arg)) throw new Error('An Exec argument cannot contain control characters.');
  const escapedPercent = arg.replace(/%/g, '%%');
  const reserved = /[ \t"'\\><~|&;$*?#()`]/;
  const quoted = reserved.test(arg) || arg === '' ? `"${escapedPercent.replace(/(["`$\\])/g, '\\$1')}"` : escapedPercent;
  return quoted.replace(/\\/g, '\\\\');
}

/** What launches the app at login: the AppImage when running from one (its mount path changes every run). */
export function launchCommand(deps: Pick<AutostartDeps, 'env' | 'execPath'>): string[] {
  const appImage = deps.env.APPIMAGE;
  return [appImage && isAbsolute(appImage) ? appImage : deps.execPath, AUTOSTART_ARG];
}

export function linuxDesktopEntry(deps: Pick<AutostartDeps, 'env' | 'execPath' | 'appName'>): string {
  const name = deps.appName ?? 'LLM Gateway';
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${name}`,
    'Comment=Local OpenAI-compatible LLM gateway (tray)',
    `Exec=${launchCommand(deps).map(quoteExecArg).join(' ')}`,
    'Icon=llm-gateway',
    'Terminal=false',
    'StartupNotify=false',
    'Categories=Development;',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Turns start-at-login on or off. On Linux it writes (atomically) or removes the autostart entry. */
export function setAutostart(enabled: boolean, deps: AutostartDeps): void {
  if (deps.platform === 'linux') {
    const file = linuxAutostartFile(deps);
    if (!enabled) {
      rmSync(file, { force: true });
      return;
    }
    mkdirSync(join(file, '..'), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, linuxDesktopEntry(deps), { mode: 0o644 });
    renameSync(temp, file);
    return;
  }
  if (!deps.loginItems) throw new Error(`Start at login needs the OS login items on ${deps.platform}.`);
  if (deps.platform === 'win32') {
    // Windows keys the entry by path + args: the same pair must be given when reading it back.
    deps.loginItems.setLoginItemSettings({ openAtLogin: enabled, path: deps.execPath, args: [AUTOSTART_ARG] });
  } else {
    deps.loginItems.setLoginItemSettings({ openAtLogin: enabled });
  }
}

/** Whether the OS will start the app at login (what is really set, which the user may have changed outside the app). */
export function isAutostartEnabled(deps: AutostartDeps): boolean {
  if (deps.platform === 'linux') {
    const file = linuxAutostartFile(deps);
    if (!existsSync(file)) return false;
    // A user can disable the entry in their session settings without deleting it.
    const text = readFileSync(file, 'utf8');
    return !/^X-GNOME-Autostart-enabled=false$/m.test(text) && !/^Hidden=true$/m.test(text);
  }
  if (!deps.loginItems) return false;
  const options = deps.platform === 'win32' ? { path: deps.execPath, args: [AUTOSTART_ARG] } : undefined;
  return deps.loginItems.getLoginItemSettings(options).openAtLogin;
}

/** Was this launch the login item's? (`--autostart` on Windows and Linux; macOS tells main through wasOpenedAtLogin.) */
export function launchedAtLogin(argv: readonly string[], macWasOpenedAtLogin = false): boolean {
  return argv.includes(AUTOSTART_ARG) || macWasOpenedAtLogin;
}
