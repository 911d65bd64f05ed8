/**
 * `npm start` runs this first: builds the dashboard into renderer/dist when a source file is newer than the
 * last build (or there is none), so a fresh checkout serves /ui/ with no extra step and an unchanged one
 * starts at once. `npm run build:ui` always builds.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const builtIndex = join(root, 'dist', 'index.html');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function uiIsStale(): boolean {
  if (!existsSync(builtIndex)) return true;
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => join(root, p)).filter(existsSync);
  return Math.max(...sources.map(newestMtime)) > statSync(builtIndex).mtimeMs;
}

export async function buildUi(): Promise<void> {
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes('--force');
  if (force || uiIsStale()) {
    const started = Date.now();
    await buildUi();
    console.log(`Dashboard built into renderer/dist in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }
}
