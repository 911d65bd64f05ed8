/**
 * The application's root folder — the one holding package.json, resources/ and renderer/dist — found by walking
 * up from this module to the nearest package.json. One answer wherever the code runs from:
 *
 *   source (tsx, vitest)        server/core/app-root.ts          → the repository
 *   the built CLI               dist/server/main.js              → the repository (or the installed tree)
 *   the desktop utility bundle  app.asar/dist/electron/…js       → app.asar (Electron reads files inside it)
 *
 * Files the gateway ships beside its code are found from here, never relative to a module's own file: bundling
 * moves every module into one file at another depth.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The nearest folder at or above `from` that holds a package.json. */
export function findAppRoot(from: string): string {
  for (let dir = from; ; ) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json in ${from} or any folder above it: cannot find the gateway's files.`);
    dir = parent;
  }
}

/** The application's root folder (cached). */
export function appRoot(): string {
  root ??= findAppRoot(dirname(fileURLToPath(import.meta.url)));
  return root;
}

/** A path inside the application's root folder: `appPath('resources', 'x.json')`. */
export function appPath(...segments: string[]): string {
  return join(appRoot(), ...segments);
}
