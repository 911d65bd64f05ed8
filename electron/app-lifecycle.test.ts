import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppLifecycle, QUIT_FAILSAFE_MS } from './app-lifecycle.ts';
import { systemTimers } from './desktop-ports.ts';
import { FakeGateway, settle } from './test-support/fake-desktop.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** before-quit as Electron emits it: the quit goes ahead unless a listener calls preventDefault(). */
function quitEvent() {
  const event = { prevented: false, preventDefault: () => void (event.prevented = true) };
  return event;
}

function setup() {
  const gateway = new FakeGateway();
  const log: string[] = [];
  const lifecycle = new AppLifecycle({
    host: gateway,
    tray: { showQuitting: () => log.push('tray: quitting'), destroy: () => log.push('tray: destroyed') },
    window: { show: () => log.push('window: show') },
    quit: () => log.push('app: quit'),
    timers: systemTimers,
  });
  return { gateway, lifecycle, log };
}

describe('app lifecycle', () => {
  it('quit while the gateway runs: cancelled, the gateway is stopped, then the app really quits', async () => {
    const { gateway, lifecycle, log } = setup();
    gateway.start(4000);
    gateway.started(4000);

    const first = quitEvent();
    lifecycle.beforeQuit(first);
    expect(first.prevented).toBe(true);
    expect(lifecycle.quitState()).toBe('stopping');
    expect(gateway.stops).toBe(1);
    expect(gateway.machine.state.status).toBe('stopping');
    expect(log).toEqual(['tray: quitting']);

    // In-flight requests finish, SQLite closes, the process exits.
    gateway.exited(0);
    await settle();
    expect(lifecycle.quitState()).toBe('done');
    expect(log).toEqual(['tray: quitting', 'tray: destroyed', 'app: quit']);

    // app.quit() emits before-quit again: this time it passes.
    const second = quitEvent();
    lifecycle.beforeQuit(second);
    expect(second.prevented).toBe(false);
    expect(gateway.stops).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a second quit request while stopping is cancelled too, without a second stop', async () => {
    const { gateway, lifecycle, log } = setup();
    gateway.start(4000);
    gateway.started(4000);
    lifecycle.beforeQuit(quitEvent());
    const again = quitEvent();
    lifecycle.beforeQuit(again);
    expect(again.prevented).toBe(true);
    expect(gateway.stops).toBe(1);
    expect(log).toEqual(['tray: quitting']);
  });

  it('quit with the gateway already stopped: quits at once', async () => {
    const { gateway, lifecycle, log } = setup();
    const event = quitEvent();
    lifecycle.beforeQuit(event);
    expect(event.prevented).toBe(true);
    await settle();
    expect(lifecycle.quitState()).toBe('done');
    expect(log).toEqual(['tray: quitting', 'tray: destroyed', 'app: quit']);
    expect(gateway.stops).toBe(1);
  });

  it('a gateway that never reports back: the failsafe quits after 20 s, once', async () => {
    const { gateway, lifecycle, log } = setup();
    gateway.start(4000);
    gateway.started(4000);
    lifecycle.beforeQuit(quitEvent());

    vi.advanceTimersByTime(QUIT_FAILSAFE_MS - 1);
    await settle();
    expect(log).toEqual(['tray: quitting']);
    vi.advanceTimersByTime(1);
    expect(lifecycle.quitState()).toBe('done');
    expect(log).toEqual(['tray: quitting', 'tray: destroyed', 'app: quit']);

    // The stop finishing late changes nothing: the tray is not destroyed twice, quit is not asked twice.
    gateway.exited(0);
    await settle();
    expect(log).toEqual(['tray: quitting', 'tray: destroyed', 'app: quit']);
  });

  it('the last window closing keeps the app and the gateway running', () => {
    const { gateway, lifecycle, log } = setup();
    gateway.start(4000);
    gateway.started(4000);
    lifecycle.windowAllClosed();
    expect(gateway.stops).toBe(0);
    expect(gateway.machine.state.status).toBe('running');
    expect(lifecycle.quitState()).toBe('running');
    expect(log).toEqual([]);
  });

  it('a second launch and a Dock click show the window', () => {
    const { lifecycle, log } = setup();
    lifecycle.secondInstance();
    expect(log).toEqual(['window: show']);
    lifecycle.activate();
    expect(log).toEqual(['window: show', 'window: show']);
  });
});
