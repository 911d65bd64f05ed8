import { describe, expect, it } from 'vitest';
import { syncLoginItem } from './login-item-sync.ts';
import { MemorySettings } from './test-support/fake-desktop.ts';

function setup(options: { setting: boolean; os: boolean; setError?: Error; readError?: Error }) {
  const settings = new MemorySettings({ startAtLogin: options.setting });
  const writes: boolean[] = [];
  const warnings: string[] = [];
  let os = options.os;
  syncLoginItem({
    settings,
    setAutostart: (enabled) => {
      if (options.setError) throw options.setError;
      writes.push(enabled);
      os = enabled;
    },
    isAutostartEnabled: () => {
      if (options.readError) throw options.readError;
      return os;
    },
    logger: { warn: (m) => warnings.push(m) },
  });
  return { settings, writes, warnings };
}

describe('login item at launch', () => {
  it('setting on: the login item is written again (a moved AppImage gets its new path)', () => {
    const { writes, settings, warnings } = setup({ setting: true, os: true });
    expect(writes).toEqual([true]);
    expect(settings.current.startAtLogin).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('setting off: the login item is not touched', () => {
    const { writes, settings } = setup({ setting: false, os: false });
    expect(writes).toEqual([]);
    expect(settings.updates).toEqual([]);
  });

  it('the OS wins: an item added outside the app turns the setting on', () => {
    const { settings } = setup({ setting: false, os: true });
    expect(settings.updates).toEqual([{ startAtLogin: true }]);
  });

  it('a login item the OS will not write: logged, and the setting follows what the OS really does', () => {
    const { settings, warnings } = setup({ setting: true, os: false, setError: new Error('denied') });
    expect(warnings).toEqual(['Could not refresh the login item: denied']);
    expect(settings.current.startAtLogin).toBe(false);
  });

  it('a login item that cannot be read: logged, the setting kept', () => {
    const { settings, warnings } = setup({ setting: true, os: true, readError: new Error('no registry') });
    expect(warnings).toEqual(['Could not read the login item: no registry']);
    expect(settings.current.startAtLogin).toBe(true);
    expect(settings.updates).toEqual([]);
  });
});
