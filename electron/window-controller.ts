/**
 * The dashboard window: whether it exists, what it shows and what its status page's buttons do.
 *
 * - It shows the dashboard while the gateway runs, else the local status page (status-page.windowContent); the
 *   "Choose port" form is part of that page while it is open, with why the last port typed was refused.
 * - A first run opens the dashboard with `?welcome=connect-client` once, then records the first run.
 * - A launch that should show the dashboard (`openWhenRunning`) waits until the gateway runs or has a reason it
 *   does not (a failed start, a known port owner), then shows the window once.
 * - The status page's buttons (`llm-gateway-action://…`, see window-policy) retry, stop our stale gateway, open
 *   the logs folder, or choose a port.
 *
 * Plain module: the window itself is a WindowPort made by an injected factory (a BrowserWindow in main.ts, a
 * fake in tests), which forwards the window's events to the WindowEvents it is given.
 */
import type { Background, GatewayPort, SettingsPort } from './desktop-ports.ts';
import { gatewayOrigin } from './desktop-ports.ts';
import type { LaunchPlan } from './first-run.ts';
import type { HostSnapshot } from './gateway-host.ts';
import { validatePort } from './port-policy.ts';
import { isSettled } from './proxy-lifecycle.ts';
import { statusPageUrl, windowContent } from './status-page.ts';
import { decideNavigation, isAllowedExternalLink, isAllowedNavigation, isDashboardUrl, originOf, type WindowAction } from './window-policy.ts';

/** What the controller needs of a BrowserWindow. */
export interface WindowPort {
  loadURL(url: string): Promise<void>;
  /** webContents.getURL(): what the window shows now ('' before the first load). */
  currentUrl(): string;
  isMinimized(): boolean;
  restore(): void;
  isVisible(): boolean;
  focus(): void;
}

/** The window's events, as the factory forwards them. */
export interface WindowEvents {
  /** will-navigate: true when the navigation must be cancelled. */
  willNavigate(url: string): boolean;
  /** will-redirect: true when the redirect must be cancelled. */
  willRedirect(url: string): boolean;
  /** setWindowOpenHandler: a new window is always denied; allow-listed links open in the system browser. */
  windowOpen(url: string): void;
  /** The window was closed (the gateway keeps running). */
  closed(): void;
}

/** macOS: the Dock icon shows while the window is open (the app is LSUIElement). */
export interface DockPort {
  show(): Promise<void> | void;
  hide(): void;
}

/** What the status page's buttons run (DesktopActions). */
export interface WindowActions {
  startGateway(): void;
  stopStale(): Promise<void>;
  openLogs(): Promise<void>;
}

export interface WindowControllerPorts<W extends WindowPort> {
  createWindow(events: WindowEvents): W;
  host: Pick<GatewayPort, 'snapshot' | 'url' | 'start'>;
  settings: SettingsPort;
  actions: WindowActions;
  plan: Pick<LaunchPlan, 'firstRun' | 'openWindow' | 'dashboardQuery'>;
  /** Records the first run (first-run.completeFirstRun). */
  completeFirstRun(): void;
  openExternal(url: string): Promise<void>;
  /** The port clients use changed: the tray's "Copy base URL" follows. */
  settingsChanged(): void;
  now(): number;
  background: Background;
  dock?: DockPort;
}

export class WindowController<W extends WindowPort = WindowPort> {
  private win: W | undefined;
  private firstRunPending: boolean;
  private openWhenRunning: boolean;
  /** The "Choose port" form while it is open, with why the last port typed was refused. */
  private portForm: { error?: string } | undefined;
  private shownStatusHtml: string | undefined;

  constructor(private readonly ports: WindowControllerPorts<W>) {
    this.firstRunPending = ports.plan.firstRun;
    this.openWhenRunning = ports.plan.openWindow;
  }

  /** The open window, if any (main checks IPC senders against it). */
  current(): W | undefined {
    return this.win;
  }

  /** Whether the window still waits for the gateway to settle before it opens by itself. */
  waitsToOpen(): boolean {
    return this.openWhenRunning;
  }

  /** Whether the "Choose port" form is open. */
  choosingPort(): boolean {
    return this.portForm !== undefined;
  }

  /** Opens (or brings forward) the window, showing what fits the gateway's state. */
  show(): void {
    if (!this.win) this.win = this.ports.createWindow(this.events());
    const win = this.win;
    this.render();
    if (win.isMinimized()) win.restore();
    if (win.isVisible()) win.focus();
    if (this.ports.dock) this.ports.background(this.ports.dock.show(), 'Showing the Dock icon');
  }

  /** "Choose port…" from the tray: the window with the form. */
  openChoosePort(): void {
    this.portForm = {};
    this.show();
  }

  /** The user started the gateway from the tray: a launch's pending "show when running" no longer applies. */
  cancelOpenWhenRunning(): void {
    this.openWhenRunning = false;
  }

  /** The gateway's state changed. */
  gatewayChanged(snapshot: HostSnapshot): void {
    // A launch that should show the dashboard shows it once the gateway runs — or shows why it does not.
    if (this.openWhenRunning && isSettled(snapshot.machine.state)) {
      this.openWhenRunning = false;
      this.show();
      return;
    }
    this.render();
  }

  /** Loads what the window should show, unless it already shows it. */
  render(): void {
    const win = this.win;
    if (!win) return;
    const current = win.currentUrl();
    const input = {
      proxy: this.ports.host.snapshot().machine,
      port: this.ports.settings.get().port,
      now: this.ports.now(),
      choosePort: this.portForm !== undefined,
      ...(this.portForm?.error ? { portError: this.portForm.error } : {}),
    };
    const content = windowContent(input, this.firstRunPending ? this.ports.plan.dashboardQuery : {});
    if (content.kind === 'dashboard') {
      this.shownStatusHtml = undefined;
      if (isDashboardUrl(current, originOf(content.url))) return;
      this.ports.background(win.loadURL(content.url), 'Loading the dashboard');
      if (this.firstRunPending) {
        this.firstRunPending = false;
        this.ports.completeFirstRun();
      }
      return;
    }
    if (content.html === this.shownStatusHtml && current.startsWith('data:')) return;
    this.shownStatusHtml = content.html;
    this.ports.background(win.loadURL(statusPageUrl(content.html)), 'Loading the status page');
  }

  /** A button of the status page. */
  async act(action: WindowAction): Promise<void> {
    switch (action.kind) {
      case 'retry':
        this.portForm = undefined;
        this.ports.actions.startGateway();
        this.render();
        return;
      case 'stop-stale':
        await this.ports.actions.stopStale();
        return;
      case 'open-logs':
        await this.ports.actions.openLogs();
        return;
      case 'choose-port': {
        // An empty port: the form was asked for; an unusable one: the form again, with why.
        const check = action.port === '' ? undefined : validatePort(action.port);
        if (!check?.ok) {
          this.portForm = check ? { error: check.message } : {};
          this.render();
          return;
        }
        this.portForm = undefined;
        this.ports.settings.update({ port: check.port });
        this.ports.host.start(check.port);
        this.ports.settingsChanged();
        // The same port as now changes no state, so nothing else would close the form.
        this.render();
        return;
      }
    }
  }

  private events(): WindowEvents {
    const origin = () => gatewayOrigin(this.ports.host);
    const openExternal = (url: string) => this.ports.background(this.ports.openExternal(url), 'Opening a link');
    return {
      willNavigate: (url) => {
        const decision = decideNavigation(url, origin());
        switch (decision.kind) {
          case 'allow':
            return false;
          case 'action':
            this.ports.background(this.act(decision.action), `Window action ${decision.action.kind}`);
            return true;
          case 'external':
            openExternal(decision.url);
            return true;
          case 'deny':
            return true;
        }
      },
      willRedirect: (url) => !isAllowedNavigation(url, origin()),
      windowOpen: (url) => {
        if (isAllowedExternalLink(url)) openExternal(url);
      },
      closed: () => {
        this.win = undefined;
        this.shownStatusHtml = undefined;
        this.portForm = undefined;
        // Tray-only again: the gateway keeps running.
        this.ports.dock?.hide();
      },
    };
  }
}
