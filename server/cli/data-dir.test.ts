import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_NAME, defaultDataDir } from './data-dir.ts';

const home = '/home/ada';

describe('defaultDataDir', () => {
  it('is named after the app', () => {
    expect(APP_NAME).toBe('LLM Gateway');
  });

  it('macOS: ~/Library/Application Support', () => {
    expect(defaultDataDir('darwin', {}, '/Users/ada')).toBe(join('/Users/ada', 'Library', 'Application Support', 'LLM Gateway'));
  });

  it('Windows: %APPDATA%, else AppData/Roaming in the home folder', () => {
    expect(defaultDataDir('win32', { APPDATA: 'C:/Users/ada/AppData/Roaming' }, 'C:/Users/ada')).toBe(join('C:/Users/ada/AppData/Roaming', 'LLM Gateway'));
    expect(defaultDataDir('win32', {}, 'C:/Users/ada')).toBe(join('C:/Users/ada', 'AppData', 'Roaming', 'LLM Gateway'));
  });

  it('Linux and others: $XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/xdg' }, home)).toBe(join('/xdg', 'LLM Gateway'));
    expect(defaultDataDir('linux', {}, home)).toBe(join(home, '.config', 'LLM Gateway'));
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '' }, home)).toBe(join(home, '.config', 'LLM Gateway'));
    expect(defaultDataDir('freebsd', {}, home)).toBe(join(home, '.config', 'LLM Gateway'));
  });

  it("defaults to this process's platform, environment and home", () => {
    expect(defaultDataDir()).toBe(defaultDataDir(process.platform, process.env));
  });
});
