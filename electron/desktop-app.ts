/**
 * The desktop app assembled from its parts, without Electron: given the ports main.ts adapts (the gateway host,
 * the settings store, a window factory, the tray, dialogs, clipboard, shell, timers…), it syncs the login item,
 * plans the launch (first-run.planLaunch), builds the actions, the window controller, the tray controller and
 * the app lifecycle, connects them to the gateway's state changes and starts the gateway when the plan says so.
 * main.ts then only forwards Electron's events to what this returns.
 */
import { DesktopActions } from './desktop-actions.ts';
import { backgroundRunner, gatewayOrigin, type DialogPort, type GatewayPort, type Logger, type SettingsPort, type Timers } from './desktop-ports.ts';
import { rendererSettings } from './desktop-settings.ts';
import { completeFirstRun, planLaunch, type LaunchPlan } from './first-run.ts';
import type { IpcDeps } from './ipc-contract.ts';
import { AppLifecycle } from './app-lifecycle.ts';
import { syncLoginItem } from './login-item-sync.ts';
import type { PortConflict } from './port-policy.ts';
import { TrayController, type TrayPort } from './tray-controller.ts';
import { WindowController, type DockPort, type WindowEvents, type WindowPort } from './window-controller.ts';

export interface DesktopAppPorts<W extends WindowPort> {
  host: GatewayPort;
  settings: SettingsPort;
  dialog: DialogPort;
  timers: Timers;
  logger: Logger;
  /** A new dashboard window forwarding its events (main: a BrowserWindow). */
  createWindow(events: WindowEvents): W;
  /** macOS only. */
  dock?: DockPort;
  tray: TrayPort;
  writeClipboard(text: string): Promise<void> | void;
  /** shell.openExternal (links are checked against the allow-list before). */
  openExternal(url: string): Promise<void>;
  /** shell.openPath: '' on success, else an error message. */
  openPath(path: string): Promise<string>;
  /** app.quit(). */
  quit(): void;
  appVersion(): string;
  logsDir: string;
  documentsDir: string;
  ensureDir(path: string): void;
  writeFile(path: string, text: string, mode: number): Promise<void>;
  autostart: { set(enabled: boolean): void; isEnabled(): boolean };
  /** This launch is the login item's (`--autostart`, or macOS wasOpenedAtLogin). */
  launchedAtLogin: boolean;
  stopStaleInstance(conflict: PortConflict): Promise<boolean>;
  fetchConfigExport(gatewayUrl: string, masterKey: string | undefined): Promise<string>;
}

export interface DesktopApp<W extends WindowPort> {
  plan: LaunchPlan;
  actions: DesktopActions;
  window: WindowController<W>;
  tray: TrayController;
  lifecycle: AppLifecycle;
  /** What the IPC handlers answer with (ipc-contract.handleIpc). */
  ipc: IpcDeps;
  /** The running gateway's origin, for the session's CSP and permission handlers. */
  gatewayOrigin(): string | undefined;
}

export function startDesktopApp<W extends WindowPort>(ports: DesktopAppPorts<W>): DesktopApp<W> {
  const { host, settings } = ports;
  const background = backgroundRunner(ports.logger);
  syncLoginItem({ settings, setAutostart: (on) => ports.autostart.set(on), isAutostartEnabled: () => ports.autostart.isEnabled(), logger: ports.logger });
  const plan = planLaunch(settings.get(), ports.launchedAtLogin);

  const actions = new DesktopActions({
    host,
    settings,
    dialog: ports.dialog,
    logsDir: ports.logsDir,
    documentsDir: ports.documentsDir,
    ensureDir: ports.ensureDir,
    openPath: ports.openPath,
    writeFile: ports.writeFile,
    setAutostart: (on) => ports.autostart.set(on),
    stopStaleInstance: ports.stopStaleInstance,
    fetchConfigExport: ports.fetchConfigExport,
    settingsChanged: () => tray.refresh(),
  });
  const window = new WindowController<W>({
    createWindow: ports.createWindow,
    host,
    settings,
    actions,
    plan,
    completeFirstRun: () => completeFirstRun(settings),
    openExternal: ports.openExternal,
    settingsChanged: () => tray.refresh(),
    now: () => ports.timers.now(),
    background,
    ...(ports.dock ? { dock: ports.dock } : {}),
  });
  const tray = new TrayController({
    tray: ports.tray,
    host,
    settings,
    actions,
    window,
    writeClipboard: ports.writeClipboard,
    dialog: ports.dialog,
    quit: ports.quit,
    timers: ports.timers,
    background,
  });
  const lifecycle = new AppLifecycle({ host, tray, window, quit: ports.quit, timers: ports.timers });

  host.onChange((snapshot) => {
    tray.refresh();
    window.gatewayChanged(snapshot);
  });
  tray.refresh();
  if (plan.startProxy) actions.startGateway();

  const origin = () => gatewayOrigin(host);
  const ipc: IpcDeps = {
    gatewayOrigin: origin,
    adminToken: () => host.adminToken(),
    appVersion: ports.appVersion,
    openExternal: ports.openExternal,
    getSettings: () => rendererSettings(settings.get()),
    setSettings: (patch) => actions.applySettings(patch),
    revealLogsFolder: () => actions.revealLogs(),
  };
  return { plan, actions, window, tray, lifecycle, ipc, gatewayOrigin: origin };
}
