/**
 * Fakes of the desktop ports (desktop-ports.ts, window-controller.ts, tray-controller.ts) for the controller
 * tests: a gateway driven by the real proxy-lifecycle state machine (tests feed it the events the utility
 * process would cause), in-memory settings, a window that records what it loaded, a tray that records its menu,
 * and dialogs that record what they showed. Timers are vitest's fake timers behind systemTimers.
 */
import type { DialogPort, GatewayPort, SettingsPort } from '../desktop-ports.ts';
import { DEFAULT_SETTINGS, type DesktopSettings } from '../desktop-settings.ts';
import type { HostSnapshot } from '../gateway-host.ts';
import { initialMachine, transition, type ProxyEvent, type ProxyMachine } from '../proxy-lifecycle.ts';
import type { TrayItem, TrayItemId } from '../tray-menu.ts';
import type { TrayPort } from '../tray-controller.ts';
import type { SecretStoreInfo } from '../utility-protocol.ts';
import type { WindowEvents, WindowPort } from '../window-controller.ts';

export class FakeGateway implements GatewayPort {
  machine: ProxyMachine = initialMachine();
  secretStore: SecretStoreInfo | undefined;
  token: string | undefined = 'sk-master';
  /** Ports start() was called with. */
  readonly starts: number[] = [];
  stops = 0;
  private readonly listeners = new Set<(snapshot: HostSnapshot) => void>();

  snapshot(): HostSnapshot {
    return { machine: this.machine, ...(this.secretStore ? { secretStore: this.secretStore } : {}) };
  }
  onChange(listener: (snapshot: HostSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  start(port: number): void {
    this.starts.push(port);
    this.dispatch({ type: 'start', port });
  }
  stop(): Promise<void> {
    this.stops++;
    this.dispatch({ type: 'stop' });
    if (this.machine.state.status === 'stopped') return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.onChange(({ machine }) => {
        if (machine.state.status !== 'stopped') return;
        off();
        resolve();
      });
    });
  }
  url(): string | undefined {
    return this.machine.state.status === 'running' ? this.machine.state.url : undefined;
  }
  async adminToken(): Promise<string | undefined> {
    return this.machine.state.status === 'running' ? this.token : undefined;
  }

  /** What the host does with an outcome of the utility process: the state machine's next state, then listeners. */
  dispatch(event: ProxyEvent): void {
    const { machine } = transition(this.machine, event);
    if (machine === this.machine) return;
    this.machine = machine;
    for (const listener of [...this.listeners]) listener(this.snapshot());
  }

  /** The gateway started and listens on `port`. */
  started(port = 4000, at = 0): void {
    this.dispatch({ type: 'started', port, url: `http://127.0.0.1:${port}`, at });
  }

  /** The utility process exited (a clean stop, or a crash). */
  exited(code: number | null = 0, at = 0): void {
    this.dispatch({ type: 'exited', code, at });
  }
}

export class MemorySettings implements SettingsPort {
  current: DesktopSettings;
  readonly updates: Partial<DesktopSettings>[] = [];
  constructor(initial: Partial<DesktopSettings> = {}) {
    this.current = { ...DEFAULT_SETTINGS, ...initial };
  }
  get(): DesktopSettings {
    return { ...this.current };
  }
  update(patch: Partial<DesktopSettings>): DesktopSettings {
    this.updates.push(patch);
    this.current = { ...this.current, ...patch };
    return this.get();
  }
}

export class FakeWindow implements WindowPort {
  /** Every URL loaded, in order. */
  readonly loads: string[] = [];
  url = '';
  minimized = false;
  visible = false;
  focusCount = 0;
  restoreCount = 0;
  constructor(readonly events: WindowEvents) {}
  async loadURL(url: string): Promise<void> {
    this.loads.push(url);
    this.url = url;
  }
  currentUrl(): string {
    return this.url;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.restoreCount++;
    this.minimized = false;
  }
  isVisible(): boolean {
    return this.visible;
  }
  focus(): void {
    this.focusCount++;
  }
  /** The user closes the window. */
  close(): void {
    this.events.closed();
  }
  /** The last status page loaded, decoded (undefined when the last load was not one). */
  statusHtml(): string | undefined {
    const prefix = 'data:text/html;charset=utf-8,';
    return this.url.startsWith(prefix) ? decodeURIComponent(this.url.slice(prefix.length)) : undefined;
  }
}

/** A window factory that records the windows it made. */
export function windowFactory(): { windows: FakeWindow[]; createWindow: (events: WindowEvents) => FakeWindow } {
  const windows: FakeWindow[] = [];
  return {
    windows,
    createWindow: (events) => {
      const win = new FakeWindow(events);
      windows.push(win);
      return win;
    },
  };
}

type Labelled = Exclude<TrayItem, { type: 'separator' }>;

export class FakeTray implements TrayPort {
  tooltip = '';
  items: readonly TrayItem[] = [];
  menus = 0;
  destroyed = 0;
  private onClick: ((id: TrayItemId, checked: boolean) => void) | undefined;
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setMenu(items: readonly TrayItem[], onClick: (id: TrayItemId, checked: boolean) => void): void {
    this.items = items;
    this.onClick = onClick;
    this.menus++;
  }
  destroy(): void {
    this.destroyed++;
  }
  item(id: TrayItemId): Labelled | undefined {
    return this.items.find((i): i is Labelled => i.type !== 'separator' && i.id === id);
  }
  label(id: TrayItemId): string | undefined {
    return this.item(id)?.label;
  }
  /** Clicks an enabled item, as Electron would (a checkbox is toggled first). */
  click(id: TrayItemId): void {
    const item = this.item(id);
    if (!item) throw new Error(`no ${id} item in the menu`);
    if (!item.enabled) throw new Error(`${id} is disabled`);
    this.onClick?.(id, item.type === 'checkbox' ? !item.checked : false);
  }
}

export class FakeDialog implements DialogPort {
  readonly errors: { title: string; content: string }[] = [];
  readonly saveRequests: { title: string; defaultPath: string }[] = [];
  saveAnswer: { canceled: boolean; filePath?: string } = { canceled: true };
  showErrorBox(title: string, content: string): void {
    this.errors.push({ title, content });
  }
  async showSaveDialog(options: { title: string; defaultPath: string }): Promise<{ canceled: boolean; filePath?: string }> {
    this.saveRequests.push({ title: options.title, defaultPath: options.defaultPath });
    return this.saveAnswer;
  }
}

/** Lets pending promise callbacks run (fake timers do not fake microtasks). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
