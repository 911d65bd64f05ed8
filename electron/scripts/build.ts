/**
 * Bundles the desktop shell into dist/electron/ (main.js, preload.cjs, utility-entry.js with the gateway): the
 * `electron` target of the project's one build, scripts/build.mjs (see there). Kept so `tsx electron/scripts/build.ts`
 * (the release workflow) goes on working; `npm run desktop:build` runs `node scripts/build.mjs electron`.
 *
 * Usage: tsx electron/scripts/build.ts [--dev]   (--dev: inline source maps)
 */
import { build } from '../../scripts/build.mjs';

await build(['electron'], { dev: process.argv.includes('--dev') });
