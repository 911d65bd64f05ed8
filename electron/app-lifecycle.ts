/**
 * The app's own lifecycle: what happens on Electron's app events.
 *
 * - Closing the last window keeps the app (and the gateway) running in the tray.
 * - A second launch (second-instance) and a click on the Dock icon (activate) show the window.
 * - Quit (the tray's Quit, Cmd+Q, log-out) stops the gateway first — in-flight requests finish, SQLite closes —
 *   and quits for real only once it is gone:
 *
 *     running ─before-quit (cancelled)→ stopping ─gateway gone, or failsafe→ done ─app.quit()→ (before-quit passes)
 *
 *   A before-quit while stopping is cancelled again (one stop). The host kills a gateway that hangs (15 s); the
 *   failsafe (20 s) quits even if the host never reports back.
 *
 * Plain module over ports; main.ts calls these methods from app.on(…).
 */
import type { GatewayPort, Timers } from './desktop-ports.ts';

export type QuitState = 'running' | 'stopping' | 'done';

export const QUIT_FAILSAFE_MS = 20_000;

export interface AppLifecyclePorts {
  host: Pick<GatewayPort, 'stop'>;
  tray: { showQuitting(): void; destroy(): void };
  window: { show(): void };
  /** app.quit(): emits before-quit again, which passes once the state is done. */
  quit(): void;
  timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>;
  failsafeMs?: number;
}

export class AppLifecycle {
  private state: QuitState = 'running';

  constructor(private readonly ports: AppLifecyclePorts) {}

  quitState(): QuitState {
    return this.state;
  }

  /** Electron's before-quit: cancelled until the gateway is stopped. */
  beforeQuit(event: { preventDefault(): void }): void {
    if (this.state === 'done') return;
    event.preventDefault();
    if (this.state === 'stopping') return;
    this.state = 'stopping';
    this.ports.tray.showQuitting();
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      this.ports.timers.clearTimeout(failsafe);
      this.state = 'done';
      this.ports.tray.destroy();
      this.ports.quit();
    };
    // The host kills a gateway that does not stop in time; this is the last resort on top of that.
    const failsafe = this.ports.timers.setTimeout(finish, this.ports.failsafeMs ?? QUIT_FAILSAFE_MS);
    this.ports.host.stop().then(finish, finish);
  }

  /** The last window closed: the app stays in the tray and the gateway keeps running. */
  windowAllClosed(): void {
    // Listening is what keeps Electron from quitting; there is nothing to do.
  }

  /** Another launch of the app (single-instance lock): bring this one's window forward. */
  secondInstance(): void {
    this.ports.window.show();
  }

  /** macOS: the Dock icon was clicked (or the app re-opened from Finder). */
  activate(): void {
    this.ports.window.show();
  }
}
