import { describe, expect, it } from 'vitest';
import { initialMachine, type ProxyMachine, type ProxyState } from './proxy-lifecycle.ts';
import { baseUrl, trayMenu, type TrayInput, type TrayItem, type TrayItemId } from './tray-menu.ts';

const machine = (state: ProxyState, extra: Partial<ProxyMachine> = {}): ProxyMachine => ({ ...initialMachine(), ...extra, state });
const input = (state: ProxyState, over: Partial<TrayInput> = {}): TrayInput => ({
  proxy: machine(state),
  port: 4000,
  settings: { startAtLogin: false, startProxyOnOpen: true },
  now: 0,
  ...over,
});

type Labelled = Exclude<TrayItem, { type: 'separator' }>;
const item = (items: TrayItem[], id: TrayItemId) => items.find((i): i is Labelled => i.type !== 'separator' && i.id === id);
const ids = (items: TrayItem[]) => items.map((i) => (i.type === 'separator' ? '—' : i.id));

describe('tray menu', () => {
  it('running: status line with the URL, Stop proxy, dashboard and export enabled', () => {
    const { items, tooltip } = trayMenu(input({ status: 'running', port: 4000, url: 'http://127.0.0.1:4000', since: 0 }));
    expect(item(items, 'status')).toEqual({ type: 'normal', id: 'status', label: 'Running on http://localhost:4000', enabled: false });
    expect(tooltip).toBe('LLM Gateway — Running on http://localhost:4000');
    expect(ids(items)).toEqual([
      'status',
      '—',
      'stop-proxy',
      'open-dashboard',
      'copy-base-url',
      'export-config',
      'open-logs',
      '—',
      'start-at-login',
      'start-proxy-on-open',
      '—',
      'quit',
    ]);
    for (const id of ['stop-proxy', 'open-dashboard', 'copy-base-url', 'export-config', 'open-logs', 'quit'] as const)
      expect(item(items, id)?.enabled, id).toBe(true);
    expect(item(items, 'copy-base-url')?.label).toBe('Copy base URL (http://localhost:4000)');
  });

  it('stopped: "Stopped", Start proxy; nothing that needs a running gateway', () => {
    const { items } = trayMenu(input({ status: 'stopped' }));
    expect(item(items, 'status')?.label).toBe('Stopped');
    expect(item(items, 'start-proxy')).toMatchObject({ label: 'Start proxy', enabled: true });
    expect(item(items, 'stop-proxy')).toBeUndefined();
    expect(item(items, 'open-dashboard')?.enabled).toBe(false);
    expect(item(items, 'export-config')?.enabled).toBe(false);
    // The base URL is what clients are configured with, known even while stopped.
    expect(item(items, 'copy-base-url')).toMatchObject({ enabled: true, label: 'Copy base URL (http://localhost:4000)' });
    expect(item(items, 'quit')?.enabled).toBe(true);
  });

  it('starting and stopping', () => {
    expect(item(trayMenu(input({ status: 'starting', port: 4000 })).items, 'status')?.label).toBe('Starting on port 4000…');
    expect(item(trayMenu(input({ status: 'starting', port: 4000 })).items, 'stop-proxy')?.enabled).toBe(true);
    const stopping = trayMenu(input({ status: 'stopping', port: 4000 })).items;
    expect(item(stopping, 'status')?.label).toBe('Stopping…');
    expect(item(stopping, 'start-proxy')).toMatchObject({ enabled: false });
  });

  it('port conflict with our stale instance: says so, offers to stop it, Retry and Choose port', () => {
    const { items } = trayMenu(input({ status: 'port-conflict', port: 4000, owner: 'ours-stale', pid: 99 }));
    expect(item(items, 'status')?.label).toBe('Port 4000 is in use');
    expect(item(items, 'status-detail')?.label).toMatch(/earlier LLM Gateway/);
    expect(ids(items).slice(0, 6)).toEqual(['status', 'status-detail', '—', 'stop-stale', 'retry', 'choose-port']);
    expect(item(items, 'stop-stale')?.label).toBe('Stop the earlier LLM Gateway on port 4000');
    expect(item(items, 'start-proxy')).toBeUndefined();
  });

  it('port conflict with another program: Retry and Choose port, no stop', () => {
    const { items } = trayMenu(input({ status: 'port-conflict', port: 4000, owner: 'foreign' }));
    expect(item(items, 'status-detail')?.label).toMatch(/Another program/);
    expect(item(items, 'stop-stale')).toBeUndefined();
    expect(item(items, 'retry')?.enabled).toBe(true);
    expect(item(items, 'choose-port')?.enabled).toBe(true);
    // Opens the window on its status page (Retry / Choose port there too).
    expect(item(items, 'open-dashboard')?.enabled).toBe(true);
  });

  it('restarting after a crash: countdown, attempt and reason; Stop proxy', () => {
    const { items, tooltip } = trayMenu(
      input({ status: 'restarting', port: 4000, attempt: 3, delayMs: 4000, retryAt: 10_000, reason: 'the gateway process exited with code 1' }, { now: 7_200 }),
    );
    expect(item(items, 'status')?.label).toBe('Gateway crashed — restarting in 3 s');
    expect(item(items, 'status-detail')?.label).toBe('Attempt 3: the gateway process exited with code 1');
    expect(item(items, 'stop-proxy')?.enabled).toBe(true);
    expect(tooltip).toContain('restarting');
  });

  it('failed start: the reason, Retry, logs', () => {
    const { items } = trayMenu(input({ status: 'failed', port: 4000, message: 'config.yaml line 3: model_list must be a list\nmore' }));
    expect(item(items, 'status')?.label).toBe('Could not start the gateway');
    expect(item(items, 'status-detail')?.label).toBe('config.yaml line 3: model_list must be a list more');
    expect(ids(items).filter((id) => id === 'open-logs')).toHaveLength(1);
    expect(item(items, 'retry')?.enabled).toBe(true);
    const long = trayMenu(input({ status: 'failed', port: 4000, message: 'x'.repeat(500) })).items;
    expect(item(long, 'status-detail')!.label.length).toBeLessThanOrEqual(80);
  });

  it('shows the weaker-protection notice when secrets are in the file fallback', () => {
    const running: ProxyState = { status: 'running', port: 4000, url: 'http://127.0.0.1:4000', since: 0 };
    const weaker = trayMenu(input(running, { secretStore: { kind: 'file', weakerProtection: true } }));
    expect(item(weaker.items, 'weaker-protection')).toMatchObject({ enabled: false, label: expect.stringMatching(/weaker protection/) });
    expect(weaker.tooltip).toContain('weaker protection');
    expect(item(trayMenu(input(running, { secretStore: { kind: 'keychain', weakerProtection: false } })).items, 'weaker-protection')).toBeUndefined();
    expect(item(trayMenu(input(running, { secretStore: { kind: 'memory', weakerProtection: false } })).items, 'weaker-protection')?.label).toMatch(/memory/);
  });

  it('checkboxes follow the settings (start at login off by default)', () => {
    const off = trayMenu(input({ status: 'stopped' }));
    expect(item(off.items, 'start-at-login')).toEqual({ type: 'checkbox', id: 'start-at-login', label: 'Start at login', enabled: true, checked: false });
    expect(item(off.items, 'start-proxy-on-open')).toEqual({
      type: 'checkbox',
      id: 'start-proxy-on-open',
      label: 'Start proxy when the app opens',
      enabled: true,
      checked: true,
    });
    const on = trayMenu(input({ status: 'stopped' }, { settings: { startAtLogin: true, startProxyOnOpen: false } }));
    expect(item(on.items, 'start-at-login')).toMatchObject({ checked: true });
    expect(item(on.items, 'start-proxy-on-open')).toMatchObject({ checked: false });
  });

  it('uses the chosen port everywhere', () => {
    const { items } = trayMenu(input({ status: 'running', port: 4100, url: 'http://127.0.0.1:4100', since: 0 }, { port: 4100 }));
    expect(item(items, 'status')?.label).toBe('Running on http://localhost:4100');
    expect(item(items, 'copy-base-url')?.label).toBe('Copy base URL (http://localhost:4100)');
    expect(baseUrl(4100)).toBe('http://localhost:4100');
  });

  it('every state has exactly one Quit, last', () => {
    const states: ProxyState[] = [
      { status: 'stopped' },
      { status: 'starting', port: 4000 },
      { status: 'running', port: 4000, url: 'http://127.0.0.1:4000', since: 0 },
      { status: 'stopping', port: 4000 },
      { status: 'restarting', port: 4000, attempt: 1, delayMs: 1000, retryAt: 1000, reason: 'x' },
      { status: 'port-conflict', port: 4000, owner: 'checking' },
      { status: 'failed', port: 4000, message: 'x' },
    ];
    for (const state of states) {
      const list = ids(trayMenu(input(state)).items);
      expect(list.at(-1), state.status).toBe('quit');
      expect(
        list.filter((id) => id === 'quit'),
        state.status,
      ).toHaveLength(1);
      expect(new Set(list.filter((id) => id !== '—')).size, state.status).toBe(list.filter((id) => id !== '—').length);
    }
  });
});
