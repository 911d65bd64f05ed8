/**
 * `npm start -- [flags]`: the headless gateway from the build (dist/server/main.js), on plain Node — no tsx.
 *
 * 1. What the run needs and is older than its sources (scripts/build.mjs decides: the server bundle, and the
 *    dashboard unless the flags only ask something of the CLI) is rebuilt first, in a child process whose output
 *    goes to stderr — so `npm start --silent -- --print-master-key` prints the key alone on stdout, and esbuild and
 *    vite never load into the gateway's own process.
 * 2. Without the dev tools (a production install) nothing is rebuilt: a missing build is an error that says how
 *    to build; an older one runs, with a warning.
 * 3. The built CLI is then imported into this very process: the gateway is this process, so SIGINT/SIGTERM reach it
 *    directly and its exit code is the launcher's. It reads its flags from process.argv like `node
 *    dist/server/main.js [flags]` does.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { canBuild, DIST, ROOT, staleReason } from './build.mjs';

const SERVER_MAIN = join(DIST, 'server', 'main.js');
/** Flags that make the CLI answer and exit without serving: they need no dashboard. */
const CLI_ONLY = new Set(['--print-master-key', '--help', '-h', '--version', '-v', '--test', '--health', '--update-prices']);

const args = process.argv.slice(2);
const serves = !args.some((arg) => CLI_ONLY.has(arg.replace(/_/g, '-')));
const needed = serves ? ['server', 'ui'] : ['server'];

const stale = needed.map((target) => ({ target, reason: staleReason(target) })).filter((t) => t.reason);
const buildable = stale.filter((t) => canBuild(t.target));
for (const { target, reason } of buildable) {
  console.error(`Building ${target} (${reason})…`);
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), target], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (run.status === 0) continue;
  const how = run.signal ?? `exit code ${run.status}`;
  // The gateway cannot run without its own build; it can without the dashboard (/ui/ then says how to build it).
  if (target === 'server') {
    console.error(`Building the gateway failed (${how}); see above.`);
    process.exit(run.status || 1);
  }
  console.error(`Warning: building the dashboard failed (${how}; see above): starting the gateway anyway, /ui/ may be missing or old.`);
}
for (const { target, reason } of stale.filter((t) => !buildable.includes(t))) {
  if (target === 'server' && !existsSync(SERVER_MAIN)) {
    console.error(
      `LLM Gateway is not built: there is no ${relative(ROOT, SERVER_MAIN)}, and the build tools (esbuild, vite: devDependencies) are not installed.\n` +
        'Build it where they are — `npm install && npm run build` (or just `npm start`, which builds what is missing) — then run `npm start` again.',
    );
    process.exit(1);
  }
  const what = target === 'server' ? relative(ROOT, SERVER_MAIN) : 'the dashboard (renderer/dist)';
  console.error(
    `Warning: ${what}: ${reason === 'not built' ? 'not built' : `older than its sources (${reason})`}, and the build tools are not installed (npm install, then npm run build); running what there is.`,
  );
}

// `npm start` runs this under `sh -c`, and Debian's sh (dash) does not pass on the SIGTERM or SIGINT npm forwards
// to it when npm itself is signalled (`kill <npm>`, `docker stop`): the shell dies and this process is re-parented,
// still serving. Under npm, a new parent therefore means "stop", the same clean stop as SIGTERM. (Ctrl-C in a
// terminal signals every process of the group, this one included, and needs none of this.)
if (process.env.npm_lifecycle_event === 'start' && process.platform !== 'win32') {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch); // once: a second SIGTERM would cut the clean stop short
    process.kill(process.pid, 'SIGTERM');
  }, 250).unref();
}

await import(pathToFileURL(SERVER_MAIN).href);
