import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DesktopActions, EXPORT_FILE_MODE } from './desktop-actions.ts';
import type { PortConflict } from './port-policy.ts';
import { FakeDialog, FakeGateway, MemorySettings } from './test-support/fake-desktop.ts';

function setup(options: { stopStale?: boolean; openPathError?: string; exportText?: string | Error; autostartError?: Error } = {}) {
  const gateway = new FakeGateway();
  const settings = new MemorySettings({ port: 4100 });
  const dialog = new FakeDialog();
  const record = {
    dirs: [] as string[],
    opened: [] as string[],
    written: [] as { path: string; text: string; mode: number }[],
    autostart: [] as boolean[],
    staleStops: [] as PortConflict[],
    exports: [] as { url: string; key: string | undefined }[],
    changed: 0,
  };
  const actions = new DesktopActions({
    host: gateway,
    settings,
    dialog,
    logsDir: '/data/logs',
    documentsDir: '/home/me/Documents',
    ensureDir: (path) => void record.dirs.push(path),
    openPath: async (path) => {
      record.opened.push(path);
      return options.openPathError ?? '';
    },
    writeFile: async (path, text, mode) => void record.written.push({ path, text, mode }),
    setAutostart: (enabled) => {
      if (options.autostartError) throw options.autostartError;
      record.autostart.push(enabled);
    },
    stopStaleInstance: async (conflict) => {
      record.staleStops.push(conflict);
      return options.stopStale ?? true;
    },
    fetchConfigExport: async (url, key) => {
      record.exports.push({ url, key });
      if (options.exportText instanceof Error) throw options.exportText;
      return options.exportText ?? 'model_list: []\n';
    },
    settingsChanged: () => void record.changed++,
  });
  return { gateway, settings, dialog, record, actions };
}

/** The gateway found our own earlier instance (pid 777) on its port. */
function staleConflict(gateway: FakeGateway, port = 4100): void {
  gateway.start(port);
  gateway.dispatch({ type: 'port-in-use', port });
  gateway.dispatch({ type: 'port-owner', port, owner: 'ours-stale', pid: 777 });
}

describe('desktop actions', () => {
  it('starts the gateway on the port clients are configured for', () => {
    const { gateway, actions } = setup();
    actions.startGateway();
    expect(gateway.starts).toEqual([4100]);
  });

  it('stop-stale: stops our earlier instance, then starts ours', async () => {
    const { gateway, actions, record, dialog } = setup();
    staleConflict(gateway);
    await actions.stopStale();
    expect(record.staleStops).toEqual([{ port: 4100, owner: 'ours-stale', pid: 777 }]);
    expect(dialog.errors).toEqual([]);
    expect(gateway.starts).toEqual([4100, 4100]);
    expect(gateway.machine.state.status).toBe('starting');
  });

  it('stop-stale that fails: says which process is still there, and tries to start anyway', async () => {
    const { gateway, actions, dialog } = setup({ stopStale: false });
    staleConflict(gateway);
    await actions.stopStale();
    expect(dialog.errors).toEqual([{ title: 'Could not stop the earlier LLM Gateway', content: 'Process 777 is still running on port 4100.' }]);
    expect(gateway.starts).toEqual([4100, 4100]);
  });

  it('stop-stale when no stale instance holds the port: does nothing', async () => {
    const { gateway, actions, record } = setup();
    gateway.start(4100);
    gateway.dispatch({ type: 'port-in-use', port: 4100 });
    gateway.dispatch({ type: 'port-owner', port: 4100, owner: 'foreign' });
    await actions.stopStale();
    expect(record.staleStops).toEqual([]);
    expect(gateway.starts).toEqual([4100]);
  });

  it('open logs: creates the folder and opens it; a failure is shown, not thrown', async () => {
    const ok = setup();
    await ok.actions.openLogs();
    expect(ok.record.dirs).toEqual(['/data/logs']);
    expect(ok.record.opened).toEqual(['/data/logs']);
    expect(ok.dialog.errors).toEqual([]);

    const failing = setup({ openPathError: 'No application knows how to open it' });
    await failing.actions.openLogs();
    expect(failing.dialog.errors).toEqual([{ title: 'Could not open the logs folder', content: 'No application knows how to open it' }]);
    // The IPC call gets the failure as a rejection instead.
    await expect(failing.actions.revealLogs()).rejects.toThrow('No application knows how to open it');
  });

  it('export: asks where (Documents/config.yaml), fetches with the master key, writes owner-only', async () => {
    const { gateway, actions, dialog, record } = setup({ exportText: 'model_list:\n  - model_name: gpt\n' });
    gateway.start(4100);
    gateway.started(4100);
    dialog.saveAnswer = { canceled: false, filePath: '/tmp/out.yaml' };
    await actions.exportConfig();
    expect(dialog.saveRequests).toEqual([{ title: 'Export config.yaml', defaultPath: join('/home/me/Documents', 'config.yaml') }]);
    expect(record.exports).toEqual([{ url: 'http://127.0.0.1:4100', key: 'sk-master' }]);
    expect(record.written).toEqual([{ path: '/tmp/out.yaml', text: 'model_list:\n  - model_name: gpt\n', mode: EXPORT_FILE_MODE }]);
    expect(EXPORT_FILE_MODE).toBe(0o600);
    expect(dialog.errors).toEqual([]);
  });

  it('export cancelled, or with no gateway running: nothing fetched, nothing written', async () => {
    const stopped = setup();
    await stopped.actions.exportConfig();
    expect(stopped.dialog.saveRequests).toEqual([]);

    const cancelled = setup();
    cancelled.gateway.start(4100);
    cancelled.gateway.started(4100);
    await cancelled.actions.exportConfig();
    expect(cancelled.dialog.saveRequests).toHaveLength(1);
    expect(cancelled.record.exports).toEqual([]);
    expect(cancelled.record.written).toEqual([]);
  });

  it('export that fails: "Export failed" with the reason, no file', async () => {
    const { gateway, actions, dialog, record } = setup({ exportText: new Error('The export failed: HTTP 500') });
    gateway.start(4100);
    gateway.started(4100);
    dialog.saveAnswer = { canceled: false, filePath: '/tmp/out.yaml' };
    await actions.exportConfig();
    expect(dialog.errors).toEqual([{ title: 'Export failed', content: 'The export failed: HTTP 500' }]);
    expect(record.written).toEqual([]);
  });

  it('settings: the login item changes first, then the file, then the tray is told', async () => {
    const { actions, settings, record } = setup();
    const next = await actions.applySettings({ startAtLogin: true });
    expect(record.autostart).toEqual([true]);
    expect(next.startAtLogin).toBe(true);
    expect(settings.current.startAtLogin).toBe(true);
    expect(record.changed).toBe(1);

    await actions.applySettings({ startProxyOnOpen: false });
    expect(record.autostart).toEqual([true]);
    expect(settings.current.startProxyOnOpen).toBe(false);
    expect(record.changed).toBe(2);
  });

  it('settings: a login item the OS refuses leaves the file as it was', async () => {
    const { actions, settings, record } = setup({ autostartError: new Error('Operation not permitted') });
    await expect(actions.applySettings({ startAtLogin: true })).rejects.toThrow('Operation not permitted');
    expect(settings.updates).toEqual([]);
    expect(record.changed).toBe(0);
  });
});
