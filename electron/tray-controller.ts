/**
 * The tray: its menu and tooltip rebuilt from the gateway's state and the settings (tray-menu.ts builds the
 * model), a once-a-second refresh while "restarting in N s" counts down, and each menu click dispatched to its
 * action. While the app quits the menu says so and nothing else is offered.
 *
 * Plain module: the tray is a TrayPort (Electron's Tray + Menu.buildFromTemplate in main.ts, a fake in tests).
 */
import type { Background, DialogPort, GatewayPort, SettingsPort, Timers } from './desktop-ports.ts';
import type { DesktopSettings, RendererSettings } from './desktop-settings.ts';
import { baseUrl, trayMenu, type TrayItem, type TrayItemId } from './tray-menu.ts';

/** What the controller needs of a Tray and its context menu. */
export interface TrayPort {
  setToolTip(text: string): void;
  /** Replaces the context menu; a click on an item calls onClick with its id (and a checkbox's new state). */
  setMenu(items: readonly TrayItem[], onClick: (id: TrayItemId, checked: boolean) => void): void;
  destroy(): void;
}

/** What the menu's items run. */
export interface TrayActions {
  startGateway(): void;
  stopStale(): Promise<void>;
  openLogs(): Promise<void>;
  exportConfig(): Promise<void>;
  applySettings(patch: Partial<RendererSettings>): Promise<DesktopSettings>;
}

/** What the menu asks of the window. */
export interface TrayWindow {
  show(): void;
  openChoosePort(): void;
  cancelOpenWhenRunning(): void;
}

export interface TrayControllerPorts {
  tray: TrayPort;
  host: Pick<GatewayPort, 'snapshot' | 'stop'>;
  settings: Pick<SettingsPort, 'get'>;
  actions: TrayActions;
  window: TrayWindow;
  /** clipboard.writeText (a Promise since Electron 44). */
  writeClipboard(text: string): Promise<void> | void;
  dialog: Pick<DialogPort, 'showErrorBox'>;
  /** app.quit(): before-quit then stops the gateway (app-lifecycle.ts). */
  quit(): void;
  timers: Timers;
  background: Background;
}

/** The one line the menu shows while the app stops the gateway before quitting. */
export const QUITTING_MENU: readonly TrayItem[] = Object.freeze([{ type: 'normal', id: 'status', label: 'Stopping the gateway…', enabled: false }]);

export const COUNTDOWN_INTERVAL_MS = 1000;

export class TrayController {
  private countdown: unknown;
  private quitting = false;
  private readonly onClick = (id: TrayItemId, checked: boolean) => this.click(id, checked);

  constructor(private readonly ports: TrayControllerPorts) {}

  /** Rebuilds the menu and tooltip from the current state; runs the countdown while restarting. */
  refresh(): void {
    if (this.quitting) return;
    const snapshot = this.ports.host.snapshot();
    const settings = this.ports.settings.get();
    const model = trayMenu({
      proxy: snapshot.machine,
      port: settings.port,
      settings,
      ...(snapshot.secretStore ? { secretStore: snapshot.secretStore } : {}),
      now: this.ports.timers.now(),
    });
    this.ports.tray.setToolTip(model.tooltip);
    this.ports.tray.setMenu(model.items, this.onClick);
    // "restarting in N s" counts down.
    const restarting = snapshot.machine.state.status === 'restarting';
    if (restarting && this.countdown === undefined) this.countdown = this.ports.timers.setInterval(() => this.refresh(), COUNTDOWN_INTERVAL_MS);
    if (!restarting) this.stopCountdown();
  }

  /** Whether the countdown refresh is running. */
  countingDown(): boolean {
    return this.countdown !== undefined;
  }

  /** A click on a menu item. */
  click(id: TrayItemId, checked: boolean): void {
    const { actions, background, window } = this.ports;
    switch (id) {
      case 'start-proxy':
        window.cancelOpenWhenRunning();
        actions.startGateway();
        return;
      case 'stop-proxy':
        background(this.ports.host.stop(), 'Stopping the gateway');
        return;
      case 'stop-stale':
        background(actions.stopStale(), 'Stopping the earlier gateway');
        return;
      case 'retry':
        actions.startGateway();
        return;
      case 'choose-port':
        window.openChoosePort();
        return;
      case 'open-dashboard':
        window.show();
        return;
      case 'copy-base-url':
        background(this.ports.writeClipboard(baseUrl(this.ports.settings.get().port)), 'Copying the base URL');
        return;
      case 'export-config':
        background(actions.exportConfig(), 'Exporting config.yaml');
        return;
      case 'open-logs':
        background(actions.openLogs(), 'Opening the logs folder');
        return;
      case 'start-at-login':
        // The OS may refuse the login item: say so, and put the checkbox back to what is true.
        background(
          actions.applySettings({ startAtLogin: checked }).catch((err: Error) => {
            this.ports.dialog.showErrorBox('Could not change Start at login', err.message);
            this.refresh();
          }),
          'Changing Start at login',
        );
        return;
      case 'start-proxy-on-open':
        background(actions.applySettings({ startProxyOnOpen: checked }), 'Saving the settings');
        return;
      case 'quit':
        this.ports.quit();
        return;
      case 'status':
      case 'status-detail':
      case 'weaker-protection':
        // Disabled lines: never clicked.
        return;
    }
  }

  /** The app is quitting: one disabled line, no countdown, no more rebuilds. */
  showQuitting(): void {
    this.quitting = true;
    this.stopCountdown();
    this.ports.tray.setMenu(QUITTING_MENU, this.onClick);
  }

  destroy(): void {
    this.quitting = true;
    this.stopCountdown();
    this.ports.tray.destroy();
  }

  private stopCountdown(): void {
    if (this.countdown === undefined) return;
    this.ports.timers.clearInterval(this.countdown);
    this.countdown = undefined;
  }
}
