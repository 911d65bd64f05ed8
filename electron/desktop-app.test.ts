import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startDesktopApp, type DesktopApp } from './desktop-app.ts';
import { systemTimers } from './desktop-ports.ts';
import type { DesktopSettings } from './desktop-settings.ts';
import { FakeDialog, FakeGateway, FakeTray, MemorySettings, settle, windowFactory, type FakeWindow } from './test-support/fake-desktop.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

function launch(initial: Partial<DesktopSettings> = {}, options: { atLogin?: boolean; loginItemInOs?: boolean } = {}) {
  const gateway = new FakeGateway();
  const settings = new MemorySettings(initial);
  const tray = new FakeTray();
  const dialog = new FakeDialog();
  const { windows, createWindow } = windowFactory();
  let loginItem = options.loginItemInOs ?? initial.startAtLogin ?? false;
  /** Electron's app.quit(): emits before-quit; the app exits unless a listener cancels it. */
  const exits: string[] = [];
  let app: DesktopApp<FakeWindow> | undefined;
  const quit = () => {
    const event = { prevented: false, preventDefault: () => void (event.prevented = true) };
    app?.lifecycle.beforeQuit(event);
    if (!event.prevented) exits.push('exit');
  };
  app = startDesktopApp({
    host: gateway,
    settings,
    dialog,
    timers: systemTimers,
    logger: { info: () => undefined, warn: () => undefined },
    createWindow,
    tray,
    writeClipboard: async () => undefined,
    openExternal: async () => undefined,
    openPath: async () => '',
    quit,
    appVersion: () => '1.2.3',
    logsDir: '/data/logs',
    documentsDir: '/docs',
    ensureDir: () => undefined,
    writeFile: async () => undefined,
    autostart: {
      set: (enabled) => void (loginItem = enabled),
      isEnabled: () => loginItem,
    },
    launchedAtLogin: options.atLogin ?? false,
    stopStaleInstance: async () => true,
    fetchConfigExport: async () => '',
  });
  return { app, gateway, settings, tray, dialog, windows, exits, loginItem: () => loginItem };
}

describe('desktop app', () => {
  it('first launch: starts the gateway, opens the dashboard on "Connect a client" once it runs, records the first run', () => {
    const { app, gateway, tray, windows, settings } = launch();
    expect(app.plan.firstRun).toBe(true);
    expect(gateway.starts).toEqual([4000]);
    expect(tray.label('status')).toBe('Starting on port 4000…');
    expect(windows).toHaveLength(0);

    gateway.started(4000);
    expect(tray.label('status')).toBe('Running on http://localhost:4000');
    expect(windows[0]?.loads).toEqual(['http://127.0.0.1:4000/ui/?welcome=connect-client']);
    expect(settings.current.firstRunDone).toBe(true);
  });

  it('a launch at login starts the gateway and stays in the tray', () => {
    const { gateway, windows } = launch({ firstRunDone: true }, { atLogin: true });
    expect(gateway.starts).toEqual([4000]);
    gateway.started(4000);
    expect(windows).toHaveLength(0);
  });

  it('"Start proxy when the app opens" off: nothing starts, nothing opens', () => {
    const { gateway, tray, windows } = launch({ firstRunDone: true, startProxyOnOpen: false });
    expect(gateway.starts).toEqual([]);
    expect(tray.label('status')).toBe('Stopped');
    expect(windows).toHaveLength(0);
  });

  it('the first menu already shows the login item the OS really has', () => {
    const { tray, settings } = launch({ firstRunDone: true, startAtLogin: false }, { loginItemInOs: true });
    expect(settings.current.startAtLogin).toBe(true);
    expect(tray.item('start-at-login')).toMatchObject({ checked: true });
  });

  it('the dashboard changes a setting through IPC: login item, file and tray checkbox follow', async () => {
    const { app, tray, loginItem, settings } = launch({ firstRunDone: true });
    expect(app.ipc.getSettings()).toEqual({ startAtLogin: false, startProxyOnOpen: true });
    await app.ipc.setSettings({ startAtLogin: true });
    expect(loginItem()).toBe(true);
    expect(settings.current.startAtLogin).toBe(true);
    expect(tray.item('start-at-login')).toMatchObject({ checked: true });
  });

  it('IPC answers follow the running gateway: its origin and master key only while it runs', async () => {
    const { app, gateway } = launch({ firstRunDone: true });
    expect(app.gatewayOrigin()).toBeUndefined();
    expect(await app.ipc.adminToken()).toBeUndefined();
    gateway.started(4000);
    expect(app.gatewayOrigin()).toBe('http://127.0.0.1:4000');
    expect(app.ipc.gatewayOrigin()).toBe('http://127.0.0.1:4000');
    expect(await app.ipc.adminToken()).toBe('sk-master');
    expect(app.ipc.appVersion()).toBe('1.2.3');
  });

  it('a port chosen in the window: the gateway starts there and the tray says so', async () => {
    const { app, gateway, tray, windows } = launch({ firstRunDone: true });
    gateway.dispatch({ type: 'port-in-use', port: 4000 });
    gateway.dispatch({ type: 'port-owner', port: 4000, owner: 'foreign' });
    tray.click('choose-port');
    expect(windows).toHaveLength(1);
    windows[0]?.events.willNavigate('llm-gateway-action://choose-port?port=4555');
    await settle();
    expect(tray.label('copy-base-url')).toBe('Copy base URL (http://localhost:4555)');
    expect(tray.label('status')).toBe('Starting on port 4555…');
    expect(app.window.choosingPort()).toBe(false);
  });

  it('Quit from the tray: the gateway stops first, then the app exits', async () => {
    const { gateway, tray, exits } = launch({ firstRunDone: true });
    gateway.started(4000);
    tray.click('quit');
    expect(exits).toEqual([]);
    expect(gateway.machine.state.status).toBe('stopping');
    expect(tray.label('status')).toBe('Stopping the gateway…');

    gateway.exited(0);
    await settle();
    expect(exits).toEqual(['exit']);
    expect(tray.destroyed).toBe(1);
  });

  it('a second launch shows the window (the status page while the gateway is stopped)', () => {
    const { app, windows } = launch({ firstRunDone: true, startProxyOnOpen: false });
    app.lifecycle.secondInstance();
    expect(windows).toHaveLength(1);
    expect(windows[0]?.statusHtml()).toContain('The gateway is stopped');
  });
});
