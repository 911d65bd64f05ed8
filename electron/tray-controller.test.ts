import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backgroundRunner, systemTimers } from './desktop-ports.ts';
import type { RendererSettings } from './desktop-settings.ts';
import { FakeDialog, FakeGateway, FakeTray, MemorySettings, settle } from './test-support/fake-desktop.ts';
import { COUNTDOWN_INTERVAL_MS, TrayController } from './tray-controller.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(options: { loginItemError?: Error; clipboardError?: Error } = {}) {
  const gateway = new FakeGateway();
  const settings = new MemorySettings({ port: 4000 });
  const tray = new FakeTray();
  const dialog = new FakeDialog();
  const calls: string[] = [];
  const clipboard: string[] = [];
  const warnings: string[] = [];
  const controller = new TrayController({
    tray,
    host: gateway,
    settings,
    actions: {
      startGateway: () => {
        calls.push('startGateway');
        gateway.start(settings.get().port);
      },
      stopStale: async () => void calls.push('stopStale'),
      openLogs: async () => void calls.push('openLogs'),
      exportConfig: async () => void calls.push('exportConfig'),
      applySettings: async (patch: Partial<RendererSettings>) => {
        calls.push(`applySettings ${JSON.stringify(patch)}`);
        if (patch.startAtLogin !== undefined && options.loginItemError) throw options.loginItemError;
        const next = settings.update(patch);
        controller.refresh();
        return next;
      },
    },
    window: {
      show: () => void calls.push('window.show'),
      openChoosePort: () => void calls.push('window.openChoosePort'),
      cancelOpenWhenRunning: () => void calls.push('window.cancelOpenWhenRunning'),
    },
    writeClipboard: async (text) => {
      if (options.clipboardError) throw options.clipboardError;
      clipboard.push(text);
    },
    dialog,
    quit: () => void calls.push('quit'),
    timers: systemTimers,
    background: backgroundRunner({ warn: (m) => warnings.push(m) }),
  });
  gateway.onChange(() => controller.refresh());
  controller.refresh();
  return { gateway, settings, tray, dialog, calls, clipboard, warnings, controller };
}

describe('tray controller', () => {
  it('builds the menu and tooltip from the state, and rebuilds them on every change', () => {
    const { gateway, tray } = setup();
    expect(tray.label('status')).toBe('Stopped');
    expect(tray.tooltip).toBe('LLM Gateway — Stopped');
    expect(tray.item('start-proxy')?.enabled).toBe(true);

    gateway.start(4000);
    gateway.started(4000);
    expect(tray.label('status')).toBe('Running on http://localhost:4000');
    expect(tray.item('stop-proxy')?.enabled).toBe(true);
    expect(tray.item('export-config')?.enabled).toBe(true);
  });

  it('shows the weaker-protection notice once the gateway reports its secret store', () => {
    const { gateway, tray, controller } = setup();
    gateway.secretStore = { kind: 'file', weakerProtection: true };
    controller.refresh();
    expect(tray.label('weaker-protection')).toMatch(/No OS keychain/);
    expect(tray.tooltip).toContain('(secrets: weaker protection)');
  });

  it('counts "restarting in N s" down every second, and stops counting once it restarts', () => {
    const { gateway, tray, controller } = setup();
    gateway.start(4000);
    gateway.exited(1, Date.now()); // a crash: restart in 1 s
    gateway.dispatch({ type: 'retry-due', at: Date.now() });
    gateway.exited(1, Date.now()); // a second crash in a row: 2 s
    expect(tray.label('status')).toBe('Gateway crashed — restarting in 2 s');
    expect(controller.countingDown()).toBe(true);

    vi.advanceTimersByTime(COUNTDOWN_INTERVAL_MS);
    expect(tray.label('status')).toBe('Gateway crashed — restarting in 1 s');
    vi.advanceTimersByTime(COUNTDOWN_INTERVAL_MS);
    expect(tray.label('status')).toBe('Gateway crashed — restarting in 0 s');

    gateway.dispatch({ type: 'retry-due', at: Date.now() });
    expect(tray.label('status')).toBe('Starting on port 4000…');
    expect(controller.countingDown()).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    const menus = tray.menus;
    vi.advanceTimersByTime(5 * COUNTDOWN_INTERVAL_MS);
    expect(tray.menus).toBe(menus);
  });

  it('one countdown at a time, however often the menu is rebuilt', () => {
    const { gateway, controller } = setup();
    gateway.start(4000);
    gateway.exited(1, Date.now());
    controller.refresh();
    controller.refresh();
    expect(vi.getTimerCount()).toBe(1);
  });

  it("Start proxy: cancels the launch's pending window, starts the gateway", () => {
    const { tray, calls, gateway } = setup();
    tray.click('start-proxy');
    expect(calls).toEqual(['window.cancelOpenWhenRunning', 'startGateway']);
    expect(gateway.starts).toEqual([4000]);
  });

  it('Stop proxy asks the gateway to stop', () => {
    const { tray, gateway } = setup();
    gateway.start(4000);
    gateway.started(4000);
    tray.click('stop-proxy');
    expect(gateway.stops).toBe(1);
    expect(tray.label('status')).toBe('Stopping…');
  });

  it('port conflict items: stop the earlier instance, retry, choose port', () => {
    const { tray, calls, gateway } = setup();
    gateway.start(4000);
    gateway.dispatch({ type: 'port-in-use', port: 4000 });
    gateway.dispatch({ type: 'port-owner', port: 4000, owner: 'ours-stale', pid: 9 });
    tray.click('stop-stale');
    tray.click('choose-port');
    tray.click('retry');
    expect(calls).toEqual(['stopStale', 'window.openChoosePort', 'startGateway']);
  });

  it('dashboard, logs, export and quit go to the window, the actions and the app', () => {
    const { tray, calls, gateway } = setup();
    gateway.start(4000);
    gateway.started(4000);
    tray.click('open-dashboard');
    tray.click('open-logs');
    tray.click('export-config');
    tray.click('quit');
    expect(calls).toEqual(['window.show', 'openLogs', 'exportConfig', 'quit']);
  });

  it('Copy base URL copies the URL clients use (localhost and the configured port)', async () => {
    const { tray, clipboard, settings, controller } = setup();
    settings.update({ port: 4123 });
    controller.refresh();
    tray.click('copy-base-url');
    await settle();
    expect(clipboard).toEqual(['http://localhost:4123']);
  });

  it('a clipboard that refuses is logged, not thrown', async () => {
    const { tray, warnings } = setup({ clipboardError: new Error('clipboard busy') });
    tray.click('copy-base-url');
    await settle();
    expect(warnings).toEqual(['Copying the base URL: clipboard busy']);
  });

  it('the checkboxes apply their new state', async () => {
    const { tray, calls, settings } = setup();
    tray.click('start-at-login');
    await settle();
    expect(calls).toEqual(['applySettings {"startAtLogin":true}']);
    expect(tray.item('start-at-login')).toMatchObject({ checked: true });
    tray.click('start-proxy-on-open');
    await settle();
    expect(settings.current.startProxyOnOpen).toBe(false);
    expect(tray.item('start-proxy-on-open')).toMatchObject({ checked: false });
  });

  it('a login item the OS refuses: says so, and the checkbox shows the truth again', async () => {
    const { tray, dialog } = setup({ loginItemError: new Error('Operation not permitted') });
    const menus = tray.menus;
    tray.click('start-at-login');
    await settle();
    expect(dialog.errors).toEqual([{ title: 'Could not change Start at login', content: 'Operation not permitted' }]);
    expect(tray.menus).toBe(menus + 1);
    expect(tray.item('start-at-login')).toMatchObject({ checked: false });
  });

  it('while quitting: one disabled line, no countdown, no rebuilds; then the tray goes away', () => {
    const { tray, gateway, controller } = setup();
    gateway.start(4000);
    gateway.exited(1, Date.now());
    expect(controller.countingDown()).toBe(true);

    controller.showQuitting();
    expect(tray.items).toEqual([{ type: 'normal', id: 'status', label: 'Stopping the gateway…', enabled: false }]);
    expect(controller.countingDown()).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    gateway.dispatch({ type: 'stop' });
    controller.refresh();
    expect(tray.items).toHaveLength(1);

    controller.destroy();
    expect(tray.destroyed).toBe(1);
  });
});
