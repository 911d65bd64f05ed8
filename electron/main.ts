/**
 * Electron main: thin glue. It creates the real Electron objects (tray, window, dialogs, the gateway's utility
 * process), adapts them to the ports of the plain modules beside it and forwards Electron's events to them.
 * What the app does is decided in those modules, which never import `electron` and have unit tests:
 * desktop-app (assembly and launch), app-lifecycle (quit and app events), window-controller (what the window
 * shows and its status page's actions), tray-controller (the menu and its clicks), desktop-actions, gateway-host,
 * window-policy, ipc-contract, desktop-settings, autostart, first-run, port-policy.
 *
 * Built by scripts/build.mjs (npm run desktop:build) into dist/electron/main.js (ESM), with preload.cjs and utility-entry.js
 * beside it; package.json's "main" points here.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  session,
  shell,
  Tray,
  utilityProcess,
  type MenuItemConstructorOptions,
  type NativeImage,
} from 'electron';
import { isAutostartEnabled, launchedAtLogin, setAutostart, type AutostartDeps } from './autostart.ts';
import { fetchConfigExport } from './config-export.ts';
import { startDesktopApp } from './desktop-app.ts';
import { gatewayOrigin, systemTimers, type DialogPort, type Logger } from './desktop-ports.ts';
import { DesktopSettingsStore } from './desktop-settings.ts';
import { logsDir, prepareAppData } from './first-run.ts';
import { GatewayHost, type UtilityChild } from './gateway-host.ts';
import { ALL_CHANNELS, handleIpc, IpcError } from './ipc-contract.ts';
import { probeLiveliness, processIsAlive, stopStaleInstance } from './port-policy.ts';
import type { TrayPort } from './tray-controller.ts';
import type { TrayItem, TrayItemId } from './tray-menu.ts';
import type { DockPort, WindowEvents, WindowPort } from './window-controller.ts';
import { DASHBOARD_CSP, isAllowedPermission, needsDashboardCsp, windowWebPreferences } from './window-policy.ts';

const isMac = process.platform === 'darwin';
/** The repository root in development (`electron .`), app.asar when packaged. */
const appRoot = app.getAppPath();
const bundleDir = join(appRoot, 'dist', 'electron');
const resourcesDir = join(appRoot, 'resources');

// Chromium's caches go to a subfolder, so the data folder shared with `npm start` stays readable.
app.setPath('sessionData', join(app.getPath('userData'), 'Chromium'));
const userData = app.getPath('userData');
/** Where config.yaml, gateway.db and logs/ live: the folder `npm start` uses too (LLM_GATEWAY_DATA_DIR overrides both). */
const dataDir = process.env.LLM_GATEWAY_DATA_DIR || userData;

function log(level: 'info' | 'warn' | 'error', message: string): void {
  const line = `${new Date().toISOString()} ${level.toUpperCase()} ${message}`;
  (level === 'info' ? console.log : console.warn)(line);
  try {
    mkdirSync(logsDir(dataDir), { recursive: true });
    appendFileSync(join(logsDir(dataDir), 'desktop.log'), `${line}\n`);
  } catch {
    // Logging must never take the app down.
  }
}
const logger: Logger = { info: (m) => log('info', m), warn: (m) => log('warn', m) };

if (!app.requestSingleInstanceLock()) {
  // A second launch: the first instance gets 'second-instance' and shows its window.
  app.quit();
} else {
  app
    .whenReady()
    .then(boot)
    .catch((err: unknown) => {
      log('error', `Could not start: ${(err as Error).stack ?? String(err)}`);
      dialog.showErrorBox('LLM Gateway could not start', (err as Error).message ?? String(err));
      app.exit(1);
    });
}

function boot(): void {
  if (isMac) app.dock?.hide();
  else Menu.setApplicationMenu(null);
  if (process.platform === 'win32') app.setAppUserModelId('dev.llmgateway.desktop');

  prepareAppData(dataDir);
  const settings = new DesktopSettingsStore(userData, logger);
  const autostartDeps: AutostartDeps = { platform: process.platform, env: process.env, execPath: process.execPath, loginItems: app, appName: app.getName() };
  const host = new GatewayHost({ spawn: spawnUtility, dataDir, debug: !app.isPackaged && process.env.LLM_GATEWAY_DEBUG === '1', logger });

  // ── Session: CSP for the gateway's pages, no web permissions, no webviews, no new windows ─────────────
  const origin = () => gatewayOrigin(host);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    if (!needsDashboardCsp(details.url, origin())) return callback({});
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DASHBOARD_CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isAllowedPermission(permission, details.requestingUrl, origin())),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isAllowedPermission(permission, requestingOrigin, origin()));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  const tray = new Tray(trayIcon());
  const desktop = startDesktopApp<ElectronWindow>({
    host,
    settings,
    dialog: electronDialog,
    timers: systemTimers,
    logger,
    createWindow,
    ...(isMac ? { dock: electronDock } : {}),
    tray: trayPort(tray),
    writeClipboard: (text) => clipboard.writeText(text),
    openExternal: (url) => shell.openExternal(url),
    openPath: (path) => shell.openPath(path),
    quit: () => app.quit(),
    appVersion: () => app.getVersion(),
    logsDir: logsDir(dataDir),
    documentsDir: app.getPath('documents'),
    ensureDir: (path) => void mkdirSync(path, { recursive: true }),
    writeFile: (path, text, mode) => writeFile(path, text, { mode }),
    autostart: { set: (enabled) => setAutostart(enabled, autostartDeps), isEnabled: () => isAutostartEnabled(autostartDeps) },
    launchedAtLogin: launchedAtLogin(process.argv, isMac && app.getLoginItemSettings().wasOpenedAtLogin),
    stopStaleInstance: (conflict) =>
      stopStaleInstance(conflict, { kill: (pid, signal) => process.kill(pid, signal), isAlive: processIsAlive, answers: (port) => probeLiveliness(port) }),
    fetchConfigExport: (url, masterKey) => fetchConfigExport(url, masterKey),
  });

  // ── IPC: one handler per contract channel, sender checked twice (our window's main frame; its URL) ────
  for (const channel of ALL_CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      const contents = desktop.window.current()?.browserWindow.webContents;
      if (!contents || event.sender !== contents || event.senderFrame !== contents.mainFrame) {
        throw new IpcError('forbidden-sender', 'Only the dashboard window may call the desktop app.');
      }
      return handleIpc(channel, event.senderFrame?.url, payload, desktop.ipc);
    });
  }

  // ── App and tray events → the lifecycle and the window ───────────────────────────────────────────────
  if (!isMac) tray.on('click', () => desktop.window.show());
  app.on('second-instance', () => desktop.lifecycle.secondInstance());
  app.on('activate', () => desktop.lifecycle.activate());
  app.on('window-all-closed', () => desktop.lifecycle.windowAllClosed());
  app.on('before-quit', (event) => desktop.lifecycle.beforeQuit(event));

  logger.info(
    `LLM Gateway ${app.getVersion()} desktop started (Electron ${process.versions.electron}, Node ${process.versions.node}; data: ${dataDir}; first run: ${desktop.plan.firstRun})`,
  );
}

// ── Adapters: Electron's objects as the plain modules' ports ─────────────────────────────────────────────

class ElectronWindow implements WindowPort {
  constructor(readonly browserWindow: BrowserWindow) {}
  loadURL(url: string): Promise<void> {
    return this.browserWindow.loadURL(url);
  }
  currentUrl(): string {
    return this.browserWindow.webContents.getURL();
  }
  isMinimized(): boolean {
    return this.browserWindow.isMinimized();
  }
  restore(): void {
    this.browserWindow.restore();
  }
  isVisible(): boolean {
    return this.browserWindow.isVisible();
  }
  focus(): void {
    this.browserWindow.focus();
  }
}

function createWindow(events: WindowEvents): ElectronWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 820,
    minWidth: 820,
    minHeight: 560,
    show: false,
    title: 'LLM Gateway',
    autoHideMenuBar: true,
    webPreferences: windowWebPreferences(join(bundleDir, 'preload.cjs'), !app.isPackaged),
  });
  // The URL is read from the event's details (the positional url argument is deprecated).
  win.webContents.on('will-navigate', (event) => {
    if (events.willNavigate(event.url)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event) => {
    if (events.willRedirect(event.url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    events.windowOpen(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => {
    win.show();
    win.focus();
  });
  win.on('closed', () => events.closed());
  return new ElectronWindow(win);
}

function trayPort(tray: Tray): TrayPort {
  const toElectron = (item: TrayItem, onClick: (id: TrayItemId, checked: boolean) => void): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    return {
      id: item.id,
      label: item.label,
      type: item.type,
      enabled: item.enabled,
      ...(item.type === 'checkbox' ? { checked: item.checked } : {}),
      click: (menuItem) => onClick(item.id, menuItem.checked),
    };
  };
  return {
    setToolTip: (text) => tray.setToolTip(text),
    setMenu: (items, onClick) => tray.setContextMenu(Menu.buildFromTemplate(items.map((item) => toElectron(item, onClick)))),
    destroy: () => tray.destroy(),
  };
}

const electronDialog: DialogPort = {
  showErrorBox: (title, content) => dialog.showErrorBox(title, content),
  showSaveDialog: (options) => dialog.showSaveDialog(options),
};

/** macOS: the app is LSUIElement (no Dock icon); the Dock icon shows while the window is open. */
const electronDock: DockPort = {
  show: () => app.dock?.show(),
  hide: () => app.dock?.hide(),
};

function spawnUtility(): UtilityChild {
  return utilityProcess.fork(join(bundleDir, 'utility-entry.js'), [], {
    serviceName: 'LLM Gateway',
    stdio: app.isPackaged ? 'ignore' : 'inherit',
    env: { ...process.env },
  });
}

function trayIcon(): NativeImage {
  if (isMac) {
    // trayTemplate@2x.png beside it is picked up for Retina; "Template" makes macOS tint it for the menu bar.
    const image = nativeImage.createFromPath(join(resourcesDir, 'trayTemplate.png'));
    image.setTemplateImage(true);
    return image;
  }
  return nativeImage.createFromPath(join(resourcesDir, process.platform === 'win32' ? 'tray.ico' : 'tray.png'));
}
