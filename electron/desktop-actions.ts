/**
 * What the tray, the status page and the dashboard's IPC calls can ask of the app, in one place: start the
 * gateway on the port clients use, stop our own stale gateway, open the logs folder, export config.yaml, apply
 * a settings change. Plain module over injected ports (no `electron` import); main.ts passes the real ones.
 */
import { join } from 'node:path';
import type { DesktopSettings, RendererSettings } from './desktop-settings.ts';
import type { DialogPort, GatewayPort, SettingsPort } from './desktop-ports.ts';
import type { PortConflict } from './port-policy.ts';
import { staleInstance } from './proxy-lifecycle.ts';

export interface DesktopActionPorts {
  host: Pick<GatewayPort, 'snapshot' | 'start' | 'url' | 'adminToken'>;
  settings: SettingsPort;
  dialog: DialogPort;
  /** `<data>/logs`. */
  logsDir: string;
  /** The user's Documents folder (where the export is offered). */
  documentsDir: string;
  /** mkdir -p. */
  ensureDir(path: string): void;
  /** shell.openPath: resolves to '' on success, else an error message. */
  openPath(path: string): Promise<string>;
  writeFile(path: string, text: string, mode: number): Promise<void>;
  /** Turns the OS login item on or off (autostart.setAutostart). */
  setAutostart(enabled: boolean): void;
  /** port-policy.stopStaleInstance with the real process functions: true once it is gone. */
  stopStaleInstance(conflict: PortConflict): Promise<boolean>;
  /** config-export.fetchConfigExport. */
  fetchConfigExport(gatewayUrl: string, masterKey: string | undefined): Promise<string>;
  /** Settings changed (the tray rebuilds its menu). */
  settingsChanged(): void;
}

/** The export holds no secret values, but it is the user's whole configuration: owner-only. */
export const EXPORT_FILE_MODE = 0o600;

export class DesktopActions {
  constructor(private readonly ports: DesktopActionPorts) {}

  /** Starts the gateway on the port clients are configured for. */
  startGateway(): void {
    this.ports.host.start(this.ports.settings.get().port);
  }

  /** "Stop the earlier instance": stops our stale gateway holding the port, then starts ours (either way). */
  async stopStale(): Promise<void> {
    const stale = staleInstance(this.ports.host.snapshot().machine.state);
    if (!stale) return;
    const stopped = await this.ports.stopStaleInstance(stale);
    if (!stopped) this.ports.dialog.showErrorBox('Could not stop the earlier LLM Gateway', `Process ${stale.pid} is still running on port ${stale.port}.`);
    this.startGateway();
  }

  /** Opens `<data>/logs` in the file manager; rejects with the reason it could not (the IPC call reports it). */
  async revealLogs(): Promise<void> {
    this.ports.ensureDir(this.ports.logsDir);
    const error = await this.ports.openPath(this.ports.logsDir);
    if (error) throw new Error(error);
  }

  /** "Open logs folder" from the tray or the status page: a failure is shown, not thrown. */
  openLogs(): Promise<void> {
    return this.revealLogs().catch((err: Error) => this.ports.dialog.showErrorBox('Could not open the logs folder', err.message));
  }

  /** "Export config.yaml…": asks where, fetches the running gateway's export and writes it (owner-only). */
  async exportConfig(): Promise<void> {
    const url = this.ports.host.url();
    if (!url) return;
    const choice = await this.ports.dialog.showSaveDialog({
      title: 'Export config.yaml',
      defaultPath: join(this.ports.documentsDir, 'config.yaml'),
      filters: [{ name: 'YAML', extensions: ['yaml', 'yml'] }],
    });
    if (choice.canceled || !choice.filePath) return;
    try {
      const text = await this.ports.fetchConfigExport(url, await this.ports.host.adminToken());
      await this.ports.writeFile(choice.filePath, text, EXPORT_FILE_MODE);
    } catch (err) {
      this.ports.dialog.showErrorBox('Export failed', (err as Error).message);
    }
  }

  /** A change from the tray or the dashboard: the OS login item first (it may fail), then the file. */
  async applySettings(patch: Partial<RendererSettings>): Promise<DesktopSettings> {
    if (patch.startAtLogin !== undefined) this.ports.setAutostart(patch.startAtLogin);
    const next = this.ports.settings.update(patch);
    this.ports.settingsChanged();
    return next;
  }
}
