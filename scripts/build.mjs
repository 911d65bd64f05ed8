/**
 * The one build (`npm run build`), plain JavaScript so that `npm start` (scripts/start.mjs) can ask it what is
 * stale without tsx. Three targets:
 *
 *   server    server/main.ts → dist/server/main.js (+ .map): the headless CLI, run by `npm start`
 *   electron  electron/main.ts → dist/electron/main.js (ESM), electron/utility-entry.ts → utility-entry.js (the
 *             gateway's utility process: the same server/ code), electron/preload.ts → preload.cjs (sandboxed:
 *             one CommonJS file requiring nothing but `electron`); package.json "main" is dist/electron/main.js
 *   ui        the dashboard, Vite → renderer/dist (served at /ui/; outDir is renderer/vite.config.ts's)
 *
 * esbuild bundles the project's own TypeScript; every npm package stays external (`packages: 'external'`), so
 * native modules (better-sqlite3, @napi-rs/keyring) load from node_modules as usual and a built tree runs on the
 * production dependencies alone (e2e/build.test.ts checks the bundles' imports against package.json). Files the
 * code reads at run time (package.json, resources/, renderer/dist) are found from the app root
 * (server/core/app-root.ts), so the bundles can sit at any depth.
 *
 * Staleness: each esbuild target writes <outdir>/<target>/build-info.json (when the build started, and every
 * source file esbuild read); the target is stale when an output or that file is missing, or a source — or this
 * script — changed after the build started (or is gone). A tree without the sources (a shipped build) is never stale. The ui is stale when renderer/{src,public,index.html,vite.config.ts}
 * has anything newer than renderer/dist/index.html. Outputs are written to a temporary name and renamed, so a
 * gateway starting meanwhile never reads half a file. esbuild's metafile goes beside: <target>/metafile.json.
 *
 * Usage: node scripts/build.mjs [server] [electron] [ui] [--if-stale] [--dev] [--outdir DIR]
 *   (no target: all three; --if-stale: only the stale ones; --dev: inline source maps; --outdir: where the
 *   esbuild targets go instead of dist/, e.g. for tests — the ui always goes to renderer/dist)
 *
 * Nothing here imports esbuild or vite until a target is built: the staleness check runs on Node alone.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(ROOT, 'dist');
export const TARGETS = /** @type {const} */ (['server', 'electron', 'ui']);
const SELF = fileURLToPath(import.meta.url);
const UI_DIR = join(ROOT, 'renderer');
const UI_SOURCES = ['src', 'public', 'index.html', 'vite.config.ts'];
const BUILD_INFO = 'build-info.json';

/** @typedef {'server' | 'electron' | 'ui'} Target */
/** @typedef {{ dev?: boolean, outdir?: string, ifStale?: boolean, log?: (line: string) => void }} BuildOptions */

/** What each esbuild target writes, relative to its folder. */
const OUTPUTS = { server: ['main.js'], electron: ['main.js', 'utility-entry.js', 'preload.cjs'] };
/** The entry point of each esbuild target: without it (a built tree shipped without sources) there is nothing to be older than. */
const ENTRY = { server: 'server/main.ts', electron: 'electron/main.ts' };
/** The dev tool each target needs. */
const TOOL = { server: 'esbuild', electron: 'esbuild', ui: 'vite' };

const mtime = (path) => statSync(path).mtimeMs;

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Why `target` needs building, or '' when it is up to date.
 * @param {Target} target
 * @param {{ outdir?: string }} [options]
 */
export function staleReason(target, options = {}) {
  if (target === 'ui') {
    const index = join(UI_DIR, 'dist', 'index.html');
    if (!existsSync(index)) return 'not built';
    const sources = UI_SOURCES.map((p) => join(UI_DIR, p)).filter(existsSync);
    return Math.max(...sources.map(newestMtime)) > mtime(index) ? 'sources changed' : '';
  }
  const dir = join(resolve(options.outdir ?? DIST), target);
  if (!OUTPUTS[target].every((file) => existsSync(join(dir, file))) || !existsSync(join(dir, BUILD_INFO))) return 'not built';
  let info;
  try {
    info = JSON.parse(readFileSync(join(dir, BUILD_INFO), 'utf8'));
  } catch {
    return 'not built';
  }
  if (!existsSync(join(ROOT, ENTRY[target]))) return '';
  for (const input of [SELF, ...info.inputs.map((p) => join(ROOT, p))]) {
    if (!existsSync(input)) return `${relative(ROOT, input)} is gone`;
    if (mtime(input) > info.startedAt) return `${relative(ROOT, input)} changed`;
  }
  return '';
}

/** Whether the dev tool a target needs (esbuild, vite) is installed. @param {Target} target */
export function canBuild(target) {
  try {
    import.meta.resolve(TOOL[target]);
    return true;
  } catch {
    return false;
  }
}

/** Writes `contents` to `path` through a temporary file and a rename. */
function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}

/** Runs esbuild builds (write: false), then writes their outputs, the metafile and build-info.json. */
async function esbuildTarget(configs, dir) {
  const { build } = await import('esbuild');
  const startedAt = Date.now();
  const results = await Promise.all(
    configs.map((config) =>
      build({ absWorkingDir: ROOT, bundle: true, legalComments: 'none', logLevel: 'warning', ...config, outdir: dir, metafile: true, write: false }),
    ),
  );
  const metafile = { inputs: {}, outputs: {} };
  for (const result of results) {
    for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
    Object.assign(metafile.inputs, result.metafile.inputs);
    Object.assign(metafile.outputs, result.metafile.outputs);
  }
  writeAtomically(join(dir, 'metafile.json'), JSON.stringify(metafile));
  // Last: until this file is in place the target counts as stale.
  writeAtomically(join(dir, BUILD_INFO), JSON.stringify({ startedAt, inputs: Object.keys(metafile.inputs) }));
  return metafile;
}

const builders = {
  /** @param {string} dir @param {boolean} dev */
  server: (dir, dev) =>
    esbuildTarget(
      [
        {
          entryPoints: { main: 'server/main.ts' },
          platform: 'node',
          format: 'esm',
          target: 'node20',
          packages: 'external',
          sourcemap: dev ? 'inline' : 'linked',
        },
      ],
      dir,
    ),

  /** @param {string} dir @param {boolean} dev */
  electron: async (dir, dev) => {
    if (!existsSync(join(ROOT, 'server', 'serve.ts'))) {
      throw new Error(
        'server/serve.ts (serveGateway, the entry function npm start and the desktop share) is missing: nothing to bundle into the utility process.',
      );
    }
    const metafile = await esbuildTarget(
      [
        {
          entryPoints: { main: 'electron/main.ts', 'utility-entry': 'electron/utility-entry.ts' },
          platform: 'node',
          format: 'esm',
          target: 'node22', // Electron's Node is newer
          packages: 'external',
          external: ['electron'],
          sourcemap: dev ? 'inline' : false,
        },
        {
          entryPoints: { preload: 'electron/preload.ts' },
          // A sandboxed preload has no Node: building for the browser makes any Node import fail the build.
          platform: 'browser',
          format: 'cjs',
          target: 'chrome130',
          outExtension: { '.js': '.cjs' },
          external: ['electron'],
          sourcemap: dev ? 'inline' : false,
        },
      ],
      dir,
    );
    // The preload must require nothing but electron.
    const preload = readFileSync(join(dir, 'preload.cjs'), 'utf8');
    const unexpected = [...preload.matchAll(/require\((["'])([^"']+)\1\)/g)].map((m) => m[2]).filter((name) => name !== 'electron');
    if (unexpected.length) throw new Error(`preload.cjs requires ${unexpected.join(', ')}: a sandboxed preload can only require 'electron'.`);
    // The gateway must be inside the utility bundle, not left as a run-time import of a .ts file.
    const utility = Object.entries(metafile.outputs).find(([path]) => path.endsWith('utility-entry.js'));
    if (!utility || !Object.keys(utility[1].inputs).includes('server/serve.ts'))
      throw new Error('utility-entry.js does not contain the gateway (server/serve.ts was not bundled).');
    return metafile;
  },

  ui: async () => {
    const { build } = await import('vite');
    await build({ configFile: join(UI_DIR, 'vite.config.ts'), logLevel: 'warn' });
  },
};

/**
 * Builds the targets (all by default), one after the other.
 * @param {readonly Target[]} [targets]
 * @param {BuildOptions} [options]
 * @returns {Promise<Target[]>} the targets built
 */
export async function build(targets = TARGETS, options = {}) {
  const outdir = resolve(options.outdir ?? DIST);
  const log = options.log ?? ((line) => console.log(line));
  const built = [];
  for (const target of targets) {
    if (!TARGETS.includes(target)) throw new Error(`Unknown build target "${target}" (known: ${TARGETS.join(', ')}).`);
    if (options.ifStale && !staleReason(target, { outdir })) continue;
    const started = Date.now();
    const dir = target === 'ui' ? join(UI_DIR, 'dist') : join(outdir, target);
    await builders[target](dir, options.dev ?? false);
    log(`Built ${target} into ${relative(ROOT, dir) || dir}${sep} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    built.push(target);
  }
  return built;
}

if (process.argv[1] && resolve(process.argv[1]) === SELF) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--outdir');
  const outdir = at >= 0 ? args[at + 1] : undefined;
  if (at >= 0 && !outdir) throw new Error('--outdir needs a folder');
  const targets = args.filter((a, i) => !a.startsWith('--') && !(at >= 0 && i === at + 1));
  try {
    await build(targets.length ? targets : TARGETS, {
      dev: args.includes('--dev'),
      ifStale: args.includes('--if-stale'),
      ...(outdir ? { outdir: isAbsolute(outdir) ? outdir : resolve(outdir) } : {}),
    });
  } catch (err) {
    // esbuild has printed its errors already (its error carries `warnings` too); vite's are in the message.
    console.error(err instanceof Error && 'warnings' in err ? 'Build failed.' : `Build failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
}
