import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DesktopSettingsStore } from './desktop-settings.ts';
import { completeFirstRun, FIRST_RUN_QUERY, logsDir, planLaunch, prepareAppData } from './first-run.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'llmgw-firstrun-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('first run', () => {
  it('creates the app-data folder (owner only) with its logs folder, once', () => {
    const dataDir = join(root, 'LLM Gateway');
    expect(prepareAppData(dataDir)).toEqual({ created: true });
    expect(existsSync(logsDir(dataDir))).toBe(true);
    if (process.platform !== 'win32') expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(prepareAppData(dataDir)).toEqual({ created: false });
  });

  it('first launch: start the gateway and open the dashboard on Overview with "Connect a client", whatever the settings', () => {
    expect(planLaunch({ firstRunDone: false, startProxyOnOpen: false }, false)).toEqual({
      firstRun: true,
      startProxy: true,
      openWindow: true,
      dashboardQuery: FIRST_RUN_QUERY,
    });
    expect(planLaunch({ firstRunDone: false, startProxyOnOpen: true }, true).openWindow).toBe(true);
    expect(FIRST_RUN_QUERY).toEqual({ welcome: 'connect-client' });
  });

  it('later launches follow "Start proxy when the app opens"; a login launch stays in the tray', () => {
    expect(planLaunch({ firstRunDone: true, startProxyOnOpen: true }, false)).toEqual({
      firstRun: false,
      startProxy: true,
      openWindow: true,
      dashboardQuery: {},
    });
    expect(planLaunch({ firstRunDone: true, startProxyOnOpen: true }, true)).toEqual({
      firstRun: false,
      startProxy: true,
      openWindow: false,
      dashboardQuery: {},
    });
    expect(planLaunch({ firstRunDone: true, startProxyOnOpen: false }, false)).toEqual({
      firstRun: false,
      startProxy: false,
      openWindow: false,
      dashboardQuery: {},
    });
  });

  it('records that the first run happened', () => {
    const store = new DesktopSettingsStore(root, { warn: () => undefined });
    expect(planLaunch(store.get(), false).firstRun).toBe(true);
    completeFirstRun(store);
    expect(planLaunch(new DesktopSettingsStore(root).get(), false).firstRun).toBe(false);
  });
});
