/**
 * First run and launch decisions. The desktop app creates the app-data folder; everything else a first run
 * needs — the starter config.yaml, the generated master key kept in the SecretStore
 * (`keychain/LLM_GATEWAY_MASTER_KEY`), the SQLite database — is done by the gateway's own first start (the
 * same code `npm start` runs), so the two never disagree. What is decided here: whether this is the first run,
 * whether to start the gateway and open the window now, and which dashboard page to open.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DesktopSettings } from './desktop-settings.ts';

/** The dashboard's Overview with its "Connect a client" panel, for a first run (query read by the renderer). */
export const FIRST_RUN_QUERY: Readonly<Record<string, string>> = Object.freeze({ welcome: 'connect-client' });

/** Where the desktop app (and the gateway inside it) writes its log file. */
export function logsDir(dataDir: string): string {
  return join(dataDir, 'logs');
}

/** Creates the app-data folder (owner-only on macOS and Linux) and its logs folder; says whether it was new. */
export function prepareAppData(dataDir: string): { created: boolean } {
  let created = false;
  try {
    statSync(dataDir);
  } catch {
    created = true;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  mkdirSync(logsDir(dataDir), { recursive: true, mode: 0o700 });
  return { created };
}

export interface LaunchPlan {
  /** No first start has completed yet: the dashboard opens on Overview with "Connect a client". */
  firstRun: boolean;
  /** Start the gateway now. */
  startProxy: boolean;
  /** Open the window once the gateway is running. */
  openWindow: boolean;
  /** Extra query for the dashboard URL. */
  dashboardQuery: Readonly<Record<string, string>>;
}

/**
 * - First run: start the gateway and show the dashboard (Overview, "Connect a client"), whatever the settings.
 * - Launched at login: start the gateway if "Start proxy when the app opens" is on; stay in the tray.
 * - Launched by the user: start the gateway if that setting is on, and show the dashboard once it runs.
 */
export function planLaunch(settings: Pick<DesktopSettings, 'startProxyOnOpen' | 'firstRunDone'>, atLogin: boolean): LaunchPlan {
  const firstRun = !settings.firstRunDone;
  if (firstRun) return { firstRun, startProxy: true, openWindow: true, dashboardQuery: FIRST_RUN_QUERY };
  return { firstRun, startProxy: settings.startProxyOnOpen, openWindow: !atLogin && settings.startProxyOnOpen, dashboardQuery: {} };
}

/** After the first dashboard was shown: record it, so the next launches are ordinary ones. */
export function completeFirstRun(store: { update(patch: Partial<DesktopSettings>): DesktopSettings }): void {
  store.update({ firstRunDone: true });
}
