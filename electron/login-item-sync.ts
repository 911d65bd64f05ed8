/**
 * Start at login, at every launch: the login item is written again when the setting is on (an AppImage that
 * moved gets its new path in the entry), then the OS is asked what it will really do — the user may have
 * removed the item in System Settings — and that wins over the setting. A failure is logged; the app starts.
 * Plain module over ports (autostart.ts does the OS work).
 */
import type { Logger, SettingsPort } from './desktop-ports.ts';

export interface LoginItemPorts {
  settings: SettingsPort;
  /** autostart.setAutostart. */
  setAutostart(enabled: boolean): void;
  /** autostart.isAutostartEnabled. */
  isAutostartEnabled(): boolean;
  logger: Pick<Logger, 'warn'>;
}

export function syncLoginItem(ports: LoginItemPorts): void {
  if (ports.settings.get().startAtLogin) {
    try {
      ports.setAutostart(true);
    } catch (err) {
      ports.logger.warn(`Could not refresh the login item: ${(err as Error).message}`);
    }
  }
  try {
    const enabled = ports.isAutostartEnabled();
    if (enabled !== ports.settings.get().startAtLogin) ports.settings.update({ startAtLogin: enabled });
  } catch (err) {
    ports.logger.warn(`Could not read the login item: ${(err as Error).message}`);
  }
}
