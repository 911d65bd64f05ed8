/**
 * Bundles the desktop shell with esbuild into dist/electron/:
 *
 *   main.js           Electron main (ESM; package.json "type": "module"), `electron` external
 *   preload.cjs       the sandboxed preload: one CommonJS file that requires nothing but `electron`
 *   utility-entry.js  the gateway's utility process (ESM): electron/utility-entry.ts + the server/ code it runs
 *
 * npm packages stay external (electron-builder ships the production node_modules; native modules such as
 * better-sqlite3 must be loaded from there, rebuilt for Electron). Our own TypeScript is bundled.
 *
 * `import.meta.url` in a bundled module is rewritten to the URL of that module's source file, so
 * `new URL('../package.json', import.meta.url)` (server/version.ts), the bundled price table
 * (server/prices/price-table.ts) and the dashboard folder keep resolving to the same files inside app.asar as
 * they do in the repository.
 *
 * Usage: tsx electron/scripts/build.ts [--dev]   (--dev: inline source maps)
 */
import { readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outdir = join(root, 'dist', 'electron');
const dev = process.argv.includes('--dev');

/** `import.meta.url` → the URL of the module's own source file, computed relative to the bundle at run time. */
export function sourceImportMetaUrl(outputDir: string): Plugin {
  return {
    name: 'source-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const fromBundle = relative(outputDir, args.path).split(sep).join('/');
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`), loader: 'ts' };
      });
    },
  };
}

const common: BuildOptions = {
  bundle: true,
  outdir,
  target: 'node22', // Electron 39's Node
  sourcemap: dev ? 'inline' : false,
  logLevel: 'info',
  legalComments: 'none',
  plugins: [sourceImportMetaUrl(outdir)],
};

// The utility process runs npm start's own entry function; without it there is no gateway to bundle.
if (!existsSync(join(root, 'server', 'serve.ts'))) {
  console.error('server/serve.ts (serveGateway, the entry function npm start and the desktop share) is missing: nothing to bundle into the utility process.');
  process.exit(1);
}

await Promise.all([
  build({
    ...common,
    entryPoints: { main: join(root, 'electron', 'main.ts'), 'utility-entry': join(root, 'electron', 'utility-entry.ts') },
    platform: 'node',
    format: 'esm',
    packages: 'external',
    external: ['electron'],
  }),
  build({
    ...common,
    entryPoints: { preload: join(root, 'electron', 'preload.ts') },
    // A sandboxed preload has no Node: building for the browser makes any Node import fail the build.
    platform: 'browser',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  }),
]);

// The preload must require nothing but electron.
const preload = readFileSync(join(outdir, 'preload.cjs'), 'utf8');
const required = [...preload.matchAll(/require\((["'])([^"']+)\1\)/g)].map((m) => m[2]);
const unexpected = required.filter((name) => name !== 'electron');
if (unexpected.length) {
  console.error(`preload.cjs requires ${unexpected.join(', ')}: a sandboxed preload can only require 'electron'.`);
  process.exit(1);
}
// The gateway must be inside the utility bundle, not left as a run-time import of a .ts file.
const utility = readFileSync(join(outdir, 'utility-entry.js'), 'utf8');
if (/import\(\s*(serveSpecifier|argsSpecifier|["'][^"']*\.ts["'])/.test(utility)) {
  console.error('utility-entry.js does not contain the gateway (server/serve.ts was not bundled).');
  process.exit(1);
}
console.log(`Built the desktop shell into ${relative(root, outdir)}${sep}`);
