/**
 * The OS app-data folder, the same one Electron's app.getPath('userData') gives the desktop app, so the
 * tray app and `npm start` share one config.yaml and one database.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'LLM Gateway';

export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_NAME);
}
