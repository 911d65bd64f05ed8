import { describe, expect, it } from 'vitest';
import { backgroundRunner } from './desktop-ports.ts';
import { FIRST_RUN_QUERY, type LaunchPlan } from './first-run.ts';
import { FakeGateway, MemorySettings, settle, windowFactory } from './test-support/fake-desktop.ts';
import { WindowController } from './window-controller.ts';
import { ACTION_SCHEME } from './window-policy.ts';

const ordinaryLaunch: LaunchPlan = { firstRun: false, startProxy: true, openWindow: false, dashboardQuery: {} };

function setup(plan: Partial<LaunchPlan> = {}, options: { mac?: boolean } = {}) {
  const gateway = new FakeGateway();
  const settings = new MemorySettings();
  const { windows, createWindow } = windowFactory();
  const record = {
    starts: 0,
    staleStops: 0,
    logsOpened: 0,
    firstRunsCompleted: 0,
    settingsChanged: 0,
    external: [] as string[],
    dock: [] as string[],
    warnings: [] as string[],
  };
  const controller = new WindowController({
    createWindow,
    host: gateway,
    settings,
    actions: {
      startGateway: () => {
        record.starts++;
        gateway.start(settings.get().port);
      },
      stopStale: async () => void record.staleStops++,
      openLogs: async () => void record.logsOpened++,
    },
    plan: { ...ordinaryLaunch, ...plan },
    completeFirstRun: () => {
      record.firstRunsCompleted++;
      settings.update({ firstRunDone: true });
    },
    openExternal: async (url) => void record.external.push(url),
    settingsChanged: () => void record.settingsChanged++,
    now: () => 0,
    background: backgroundRunner({ warn: (m) => record.warnings.push(m) }),
    ...(options.mac ? { dock: { show: () => void record.dock.push('show'), hide: () => void record.dock.push('hide') } } : {}),
  });
  gateway.onChange((snapshot) => controller.gatewayChanged(snapshot));
  return { gateway, settings, windows, record, controller };
}

const action = (name: string) => `${ACTION_SCHEME}//${name}`;

describe('window controller', () => {
  it('first run: no window while the gateway starts; once it runs, the dashboard on "Connect a client", recorded once', () => {
    const { gateway, windows, record, controller, settings } = setup({ firstRun: true, openWindow: true, dashboardQuery: FIRST_RUN_QUERY });
    gateway.start(4000);
    expect(windows).toHaveLength(0);
    expect(controller.waitsToOpen()).toBe(true);

    gateway.started(4000);
    expect(windows).toHaveLength(1);
    expect(windows[0]?.loads).toEqual(['http://127.0.0.1:4000/ui/?welcome=connect-client']);
    expect(record.firstRunsCompleted).toBe(1);
    expect(settings.current.firstRunDone).toBe(true);
    expect(controller.waitsToOpen()).toBe(false);

    // Later: the dashboard is already shown; nothing reloads, the first run is not recorded again.
    controller.show();
    expect(windows[0]?.loads).toHaveLength(1);
    expect(record.firstRunsCompleted).toBe(1);

    // A new window after closing this one opens the ordinary dashboard.
    windows[0]?.close();
    controller.show();
    expect(windows[1]?.loads).toEqual(['http://127.0.0.1:4000/ui/']);
  });

  it('a launch that shows the dashboard shows why it cannot once the port owner is known, and only once', () => {
    const { gateway, windows, controller } = setup({ openWindow: true });
    gateway.start(4000);
    gateway.dispatch({ type: 'port-in-use', port: 4000 });
    expect(windows).toHaveLength(0); // still checking who holds the port
    gateway.dispatch({ type: 'port-owner', port: 4000, owner: 'ours-stale', pid: 99 });
    expect(windows).toHaveLength(1);
    const html = windows[0]?.statusHtml() ?? '';
    expect(html).toContain('Port 4000 is in use');
    expect(html).toContain(`href="${action('stop-stale')}"`);
    expect(controller.waitsToOpen()).toBe(false);

    // The user closes it; later changes do not open it again.
    windows[0]?.close();
    gateway.start(4000);
    gateway.started(4000);
    expect(windows).toHaveLength(1);
  });

  it('a launch at login, or a start from the tray, does not open the window', () => {
    const login = setup({ openWindow: false });
    login.gateway.start(4000);
    login.gateway.started(4000);
    expect(login.windows).toHaveLength(0);

    const byTray = setup({ openWindow: true });
    byTray.controller.cancelOpenWhenRunning();
    byTray.gateway.start(4000);
    byTray.gateway.started(4000);
    expect(byTray.windows).toHaveLength(0);
  });

  it('follows the gateway: status page while it starts, the dashboard once it runs, the status page after a crash', () => {
    const { gateway, windows, controller } = setup();
    controller.show();
    const win = windows[0];
    expect(win?.statusHtml()).toContain('The gateway is stopped. Start it to open the dashboard.');
    expect(win?.statusHtml()).toContain(`href="${action('retry')}"`);

    gateway.start(4000);
    expect(win?.statusHtml()).toContain('Starting on port 4000…');
    gateway.started(4000);
    expect(win?.url).toBe('http://127.0.0.1:4000/ui/');

    // The user moved within the dashboard: a state change does not send them back to /ui/.
    if (win) win.url = 'http://127.0.0.1:4000/ui/keys';
    gateway.dispatch({ type: 'stop' });
    gateway.exited(0);
    gateway.start(4000);
    gateway.started(4000);
    const loadsBefore = win?.loads.length;
    controller.render();
    expect(win?.loads.length).toBe(loadsBefore);

    gateway.exited(1, 5000);
    expect(win?.statusHtml()).toContain('The gateway stopped unexpectedly — restarting');
  });

  it('does not reload a status page that did not change', () => {
    const { windows, controller } = setup();
    controller.show();
    controller.render();
    controller.render();
    expect(windows[0]?.loads).toHaveLength(1);
  });

  it('show: one window, restored when minimised, focused when visible; the Dock icon follows it on macOS', () => {
    const { windows, controller, record } = setup({}, { mac: true });
    controller.show();
    expect(windows).toHaveLength(1);
    expect(record.dock).toEqual(['show']);
    const win = windows[0];
    if (!win) throw new Error('no window');
    win.minimized = true;
    win.visible = true;
    controller.show();
    expect(windows).toHaveLength(1);
    expect(win.restoreCount).toBe(1);
    expect(win.focusCount).toBe(1);
    expect(controller.current()).toBe(win);

    win.close();
    expect(controller.current()).toBeUndefined();
    expect(record.dock).toEqual(['show', 'show', 'hide']);
  });

  it('choose port: the form opens over a running dashboard, refuses unusable ports with why, applies a good one', async () => {
    const { gateway, settings, windows, controller, record } = setup();
    gateway.start(4000);
    gateway.started(4000);
    controller.openChoosePort();
    const win = windows[0];
    expect(controller.choosingPort()).toBe(true);
    expect(win?.statusHtml()).toContain('<form method="get" action="llm-gateway-action://choose-port">');

    expect(win?.events.willNavigate(action('choose-port?port=80'))).toBe(true);
    await settle();
    expect(win?.statusHtml()).toContain('80 is not usable');
    expect(gateway.starts).toEqual([4000]);

    win?.events.willNavigate(action('choose-port?port=4001'));
    await settle();
    expect(settings.current.port).toBe(4001);
    expect(gateway.starts).toEqual([4000, 4001]);
    expect(record.settingsChanged).toBe(1);
    expect(controller.choosingPort()).toBe(false);
    // Restarting there: the page says so, then the dashboard on the new port.
    expect(win?.statusHtml()).toContain('Stopping…');
    gateway.exited(0);
    gateway.started(4001);
    expect(win?.url).toBe('http://127.0.0.1:4001/ui/');
  });

  it('choosing the port it already runs on closes the form and shows the dashboard again', async () => {
    const { gateway, windows, controller } = setup();
    gateway.start(4000);
    gateway.started(4000);
    controller.openChoosePort();
    await controller.act({ kind: 'choose-port', port: '4000' });
    expect(controller.choosingPort()).toBe(false);
    expect(windows[0]?.url).toBe('http://127.0.0.1:4000/ui/');
  });

  it('the form asked for from a status page button, then closed by Retry', async () => {
    const { gateway, windows, controller, record } = setup();
    gateway.start(4000);
    gateway.dispatch({ type: 'port-in-use', port: 4000 });
    gateway.dispatch({ type: 'port-owner', port: 4000, owner: 'foreign' });
    controller.show();
    await controller.act({ kind: 'choose-port', port: '' });
    expect(windows[0]?.statusHtml()).toContain('Use this port');
    await controller.act({ kind: 'retry' });
    expect(record.starts).toBe(1);
    expect(controller.choosingPort()).toBe(false);
    expect(windows[0]?.statusHtml()).toContain('Starting on port 4000…');
  });

  it('closing the window forgets the form', () => {
    const { windows, controller } = setup();
    controller.openChoosePort();
    windows[0]?.close();
    expect(controller.choosingPort()).toBe(false);
    controller.show();
    expect(windows[1]?.statusHtml()).not.toContain('Use this port');
  });

  it('status page buttons: stop the earlier instance, open the logs folder', async () => {
    const { windows, controller, record } = setup();
    controller.show();
    const win = windows[0];
    expect(win?.events.willNavigate(action('stop-stale'))).toBe(true);
    expect(win?.events.willNavigate(action('open-logs'))).toBe(true);
    await settle();
    expect(record.staleStops).toBe(1);
    expect(record.logsOpened).toBe(1);
  });

  it('navigation: within the dashboard allowed; documentation opens in the browser; anything else cancelled', async () => {
    const { gateway, windows, controller, record } = setup();
    gateway.start(4000);
    gateway.started(4000);
    controller.show();
    const events = windows[0]?.events;
    if (!events) throw new Error('no window');
    expect(events.willNavigate('http://127.0.0.1:4000/ui/keys')).toBe(false);
    expect(events.willNavigate('https://docs.continue.dev/')).toBe(true);
    expect(events.willNavigate('https://evil.example/')).toBe(true);
    expect(events.willRedirect('http://127.0.0.1:4000/ui/models')).toBe(false);
    expect(events.willRedirect('https://evil.example/ui/')).toBe(true);
    events.windowOpen('https://aider.chat/docs/config.html');
    events.windowOpen('https://evil.example/');
    await settle();
    expect(record.external).toEqual(['https://docs.continue.dev/', 'https://aider.chat/docs/config.html']);
  });
});
