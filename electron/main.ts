/**
 * Electron main: thin glue between Electron's APIs and the plain modules beside it (tray-menu, gateway-host,
 * proxy-lifecycle, port-policy, window-policy, ipc-contract, desktop-settings, autostart, first-run). No logic
 * worth testing lives here; everything it decides is decided by those modules, which have unit tests.
 *
 * Built by electron/scripts/build.ts into dist/electron/main.js (ESM), with preload.cjs and utility-entry.js
 * beside it; package.json's "main" points here.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeImage, session, shell, Tray, utilityProcess, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import { isAutostartEnabled, launchedAtLogin, setAutostart, type AutostartDeps } from './autostart.ts';
import { fetchConfigExport } from './config-export.ts';
import { DesktopSettingsStore, rendererSettings, type DesktopSettings } from './desktop-settings.ts';
import { completeFirstRun, logsDir, planLaunch, prepareAppData } from './first-run.ts';
import { GatewayHost, type UtilityChild } from './gateway-host.ts';
import { ALL_CHANNELS, handleIpc, IpcError, type IpcDeps, type RendererSettings } from './ipc-contract.ts';
import { probeLiveliness, processIsAlive, stopStaleInstance, validatePort } from './port-policy.ts';
import { isSettled, staleInstance } from './proxy-lifecycle.ts';
import { statusPageUrl, windowContent } from './status-page.ts';
import { baseUrl, trayMenu, type TrayItem, type TrayItemId } from './tray-menu.ts';
import {
  DASHBOARD_CSP,
  isAllowedExternalLink,
  isAllowedNavigation,
  isAllowedPermission,
  isDashboardUrl,
  needsDashboardCsp,
  originOf,
  parseWindowAction,
  windowWebPreferences,
  type WindowAction,
} from './window-policy.ts';

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
const logger = { info: (m: string) => log('info', m), warn: (m: string) => log('warn', m) };

/** Runs a promise without awaiting it, logging a failure instead of leaving an unhandled rejection. */
function background(task: Promise<unknown> | undefined, what: string): void {
  task?.catch((err: unknown) => logger.warn(`${what}: ${(err as Error)?.message ?? String(err)}`));
}

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
  // Start at login is re-applied at every launch: an AppImage that moved gets its new path in the entry.
  if (settings.get().startAtLogin) {
    try {
      setAutostart(true, autostartDeps);
    } catch (err) {
      logger.warn(`Could not refresh the login item: ${(err as Error).message}`);
    }
  }
  const plan = planLaunch(settings.get(), launchedAtLogin(process.argv, isMac && app.getLoginItemSettings().wasOpenedAtLogin));

  const host = new GatewayHost({ spawn: spawnUtility, dataDir, debug: !app.isPackaged && process.env.LLM_GATEWAY_DEBUG === '1', logger });
  const gatewayOrigin = () => {
    const url = host.url();
    return url ? originOf(url) : undefined;
  };

  // ── Window ────────────────────────────────────────────────────────────────────────────────────────────
  let win: BrowserWindow | undefined;
  let firstRunPending = plan.firstRun;
  let openWhenRunning = plan.openWindow;
  /** The status page's "Choose port" form while it is open, with why the last port typed was refused. */
  let portForm: { error?: string } | undefined;
  let shownStatusHtml: string | undefined;

  function renderWindow(): void {
    if (!win) return;
    const current = win.webContents.getURL();
    const input = { proxy: host.snapshot().machine, port: settings.get().port, now: Date.now(), choosePort: portForm !== undefined, ...(portForm?.error ? { portError: portForm.error } : {}) };
    const content = windowContent(input, firstRunPending ? plan.dashboardQuery : {});
    if (content.kind === 'dashboard') {
      shownStatusHtml = undefined;
      if (isDashboardUrl(current, originOf(content.url))) return;
      background(win.loadURL(content.url), 'Loading the dashboard');
      if (firstRunPending) {
        firstRunPending = false;
        completeFirstRun(settings);
      }
      return;
    }
    if (content.html === shownStatusHtml && current.startsWith('data:')) return;
    shownStatusHtml = content.html;
    background(win.loadURL(statusPageUrl(content.html)), 'Loading the status page');
  }


  function showWindow(): void {
    if (!win) win = createWindow();
    renderWindow();
    if (win.isMinimized()) win.restore();
    if (win.isVisible()) win.focus();
    if (isMac) background(app.dock?.show(), 'Showing the Dock icon');
  }

  function createWindow(): BrowserWindow {
    const w = new BrowserWindow({
      width: 1200,
      height: 820,
      minWidth: 820,
      minHeight: 560,
      show: false,
      title: 'LLM Gateway',
      autoHideMenuBar: true,
      webPreferences: windowWebPreferences(join(bundleDir, 'preload.cjs'), !app.isPackaged),
    });
    const onNavigate = (event: { preventDefault(): void }, url: string) => {
      const action = parseWindowAction(url);
      if (action) {
        event.preventDefault();
        background(onWindowAction(action), `Window action ${action.kind}`);
        return;
      }
      if (isAllowedNavigation(url, gatewayOrigin())) return;
      event.preventDefault();
      if (isAllowedExternalLink(url)) background(shell.openExternal(url), 'Opening a link');
    };
    w.webContents.on('will-navigate', (event, url) => onNavigate(event, url));
    w.webContents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url, gatewayOrigin())) event.preventDefault();
    });
    w.webContents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalLink(url)) background(shell.openExternal(url), 'Opening a link');
      return { action: 'deny' };
    });
    w.once('ready-to-show', () => {
      w.show();
      w.focus();
    });
    w.on('closed', () => {
      win = undefined;
      shownStatusHtml = undefined;
      portForm = undefined;
      // Tray-only again: the gateway keeps running.
      if (isMac) app.dock?.hide();
    });
    return w;
  }

  async function onWindowAction(action: WindowAction): Promise<void> {
    switch (action.kind) {
      case 'retry':
        portForm = undefined;
        startGateway();
        return;
      case 'stop-stale':
        await stopStale();
        return;
      case 'open-logs':
        await openLogs();
        return;
      case 'choose-port': {
        // An empty port: the form was asked for; an unusable one: the form again, with why.
        const check = action.port === '' ? undefined : validatePort(action.port);
        if (!check?.ok) {
          portForm = check ? { error: check.message } : {};
          renderWindow();
          return;
        }
        portForm = undefined;
        settings.update({ port: check.port });
        host.start(check.port);
        refresh();
        return;
      }
    }
  }

  // ── Session: CSP for the gateway's pages, no web permissions, no webviews ──────────────────────────────
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    if (!needsDashboardCsp(details.url, gatewayOrigin())) return callback({});
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DASHBOARD_CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => callback(isAllowedPermission(permission, details.requestingUrl, gatewayOrigin())));
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isAllowedPermission(permission, requestingOrigin, gatewayOrigin()));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  // ── IPC: one handler per contract channel, sender checked twice (our window's main frame; its URL) ────
  const ipcDeps: IpcDeps = {
    gatewayOrigin,
    adminToken: () => host.adminToken(),
    appVersion: () => app.getVersion(),
    openExternal: (url) => shell.openExternal(url),
    getSettings: () => rendererSettings(settings.get()),
    setSettings: async (patch) => applySettings(patch),
    revealLogsFolder: () => revealLogs(),
  };
  for (const channel of ALL_CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      if (!win || event.sender !== win.webContents || event.senderFrame !== win.webContents.mainFrame) {
        throw new IpcError('forbidden-sender', 'Only the dashboard window may call the desktop app.');
      }
      return handleIpc(channel, event.senderFrame?.url, payload, ipcDeps);
    });
  }

  async function applySettings(patch: Partial<RendererSettings>): Promise<DesktopSettings> {
    if (patch.startAtLogin !== undefined) setAutostart(patch.startAtLogin, autostartDeps);
    const next = settings.update(patch);
    refresh();
    return next;
  }

  /** Starts the gateway on the port clients are configured for. */
  function startGateway(): void {
    host.start(settings.get().port);
  }

  async function revealLogs(): Promise<void> {
    const dir = logsDir(dataDir);
    mkdirSync(dir, { recursive: true });
    const error = await shell.openPath(dir);
    if (error) throw new Error(error);
  }

  /** "Open logs folder" from the tray or the status page: a failure is shown, not thrown. */
  function openLogs(): Promise<void> {
    return revealLogs().catch((err: Error) => dialog.showErrorBox('Could not open the logs folder', err.message));
  }

  async function stopStale(): Promise<void> {
    const stale = staleInstance(host.snapshot().machine.state);
    if (!stale) return;
    const stopped = await stopStaleInstance(stale, { kill: (pid, signal) => process.kill(pid, signal), isAlive: processIsAlive, answers: (port) => probeLiveliness(port) });
    if (!stopped) dialog.showErrorBox('Could not stop the earlier LLM Gateway', `Process ${stale.pid} is still running on port ${stale.port}.`);
    startGateway();
  }

  async function exportConfig(): Promise<void> {
    const url = host.url();
    if (!url) return;
    const choice = await dialog.showSaveDialog({
      title: 'Export config.yaml',
      defaultPath: join(app.getPath('documents'), 'config.yaml'),
      filters: [{ name: 'YAML', extensions: ['yaml', 'yml'] }],
    });
    if (choice.canceled || !choice.filePath) return;
    try {
      const text = await fetchConfigExport(url, await host.adminToken());
      await writeFile(choice.filePath, text, { mode: 0o600 });
    } catch (err) {
      dialog.showErrorBox('Export failed', (err as Error).message);
    }
  }

  // ── Tray ──────────────────────────────────────────────────────────────────────────────────────────────
  const tray = new Tray(trayIcon());
  let countdown: ReturnType<typeof setInterval> | undefined;

  const actions: Partial<Record<TrayItemId, (checked: boolean) => void>> = {
    'start-proxy': () => {
      openWhenRunning = false;
      startGateway();
    },
    'stop-proxy': () => background(host.stop(), 'Stopping the gateway'),
    'stop-stale': () => background(stopStale(), 'Stopping the earlier gateway'),
    retry: () => startGateway(),
    'choose-port': () => {
      portForm = {};
      showWindow();
    },
    'open-dashboard': () => showWindow(),
    'copy-base-url': () => clipboard.writeText(baseUrl(settings.get().port)),
    'export-config': () => background(exportConfig(), 'Exporting config.yaml'),
    'open-logs': () => void openLogs(),
    'start-at-login': (checked) =>
      void applySettings({ startAtLogin: checked }).catch((err: Error) => {
        dialog.showErrorBox('Could not change Start at login', err.message);
        refresh();
      }),
    'start-proxy-on-open': (checked) => background(applySettings({ startProxyOnOpen: checked }), 'Saving the settings'),
    quit: () => app.quit(),
  };

  function toElectron(item: TrayItem): MenuItemConstructorOptions {
    if (item.type === 'separator') return { type: 'separator' };
    const action = actions[item.id];
    return {
      id: item.id,
      label: item.label,
      type: item.type,
      enabled: item.enabled,
      ...(item.type === 'checkbox' ? { checked: item.checked } : {}),
      ...(action ? { click: (menuItem) => action(menuItem.checked) } : {}),
    };
  }

  function refresh(): void {
    const snapshot = host.snapshot();
    const current = settings.get();
    const model = trayMenu({ proxy: snapshot.machine, port: current.port, settings: current, ...(snapshot.secretStore ? { secretStore: snapshot.secretStore } : {}), now: Date.now() });
    tray.setToolTip(model.tooltip);
    tray.setContextMenu(Menu.buildFromTemplate(model.items.map(toElectron)));
    // "restarting in N s" counts down.
    const restarting = snapshot.machine.state.status === 'restarting';
    if (restarting && !countdown) countdown = setInterval(refresh, 1000);
    if (!restarting && countdown) {
      clearInterval(countdown);
      countdown = undefined;
    }
  }

  host.onChange(({ machine }) => {
    refresh();
    // A launch that should show the dashboard shows it once the gateway runs — or shows why it does not.
    if (openWhenRunning && isSettled(machine.state)) {
      openWhenRunning = false;
      showWindow();
      return;
    }
    renderWindow();
  });
  if (!isMac) tray.on('click', () => showWindow());
  refresh();

  // Keep the OS login item and our setting in step (the user may have removed it in System Settings).
  try {
    const enabled = isAutostartEnabled(autostartDeps);
    if (enabled !== settings.get().startAtLogin) settings.update({ startAtLogin: enabled });
  } catch (err) {
    logger.warn(`Could not read the login item: ${(err as Error).message}`);
  }

  app.on('second-instance', () => showWindow());
  app.on('activate', () => showWindow());
  // Closing the window keeps the app (and the gateway) running in the tray.
  app.on('window-all-closed', () => undefined);

  // Quit: stop the gateway first (in-flight requests finish, SQLite closes), then really quit.
  let quitState: 'running' | 'stopping' | 'done' = 'running';
  app.on('before-quit', (event) => {
    if (quitState === 'done') return;
    event.preventDefault();
    if (quitState === 'stopping') return;
    quitState = 'stopping';
    tray.setContextMenu(Menu.buildFromTemplate([{ label: 'Stopping the gateway…', enabled: false }]));
    const finish = () => {
      quitState = 'done';
      tray.destroy();
      app.quit();
    };
    // The host kills a gateway that does not stop in time; this is the last resort on top of that.
    const failsafe = setTimeout(finish, 20_000);
    host.stop().then(() => {
      clearTimeout(failsafe);
      finish();
    }, finish);
  });

  if (plan.startProxy) startGateway();
  logger.info(`LLM Gateway ${app.getVersion()} desktop started (data: ${dataDir}; first run: ${plan.firstRun})`);
}

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
