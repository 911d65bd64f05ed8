/**
 * `npm run bench:startup`: how fast the headless gateway starts and how much memory it holds when idle.
 *
 * For each way of starting it, one cold start (a fresh data folder: starter config.yaml, master key, SQLite
 * schema), then warm starts on the same folder, each measured from spawn to the first 200 of
 * `/health/liveliness`; after the last warm start, the gateway idles for a moment and the resident set size
 * (RSS) of the serving process (the deepest process of the tree: the Node that listens) is read, with the
 * whole tree's beside it (launchers such as the tsx CLI keep a parent process alive).
 *
 * Ways (default `built`; `--all` for all four, or name them):
 *   built     node dist/server/main.js            (what the launcher runs; built first when stale)
 *   launcher  node scripts/start.mjs              (`npm start` without npm: staleness check + built server)
 *   tsx       tsx server/main.ts                  (`npm start` before the build existed)
 *   npm       npm start                           (the whole thing: npm, its shell, whatever `start` runs)
 *
 * Beside each wall-clock figure, the CPU time (user + system) the tree had used by then (Linux): on a machine
 * where other work shares the cores it moves far less than the wall clock.
 *
 * Options: --runs N (warm starts, default 5; the median is reported), --idle-ms N (default 3000).
 * Secrets go to the encrypted file in the temporary data folder, never to the OS keychain. Linux and macOS (ps).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../scripts/build.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WAYS = {
  built: () => [process.execPath, join(ROOT, 'dist', 'server', 'main.js')],
  launcher: () => [process.execPath, join(ROOT, 'scripts', 'start.mjs')],
  tsx: () => [join(ROOT, 'node_modules', '.bin', 'tsx'), join(ROOT, 'server', 'main.ts')],
  npm: () => ['npm', 'start', '--silent', '--'],
} as const;
type Way = keyof typeof WAYS;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} needs a number`);
  return value;
}

const runs = Math.max(1, option('--runs', 5));
const idleMs = option('--idle-ms', 3000);
const named = process.argv.slice(2).filter((a): a is Way => a in WAYS);
const ways: Way[] = process.argv.includes('--all') ? (Object.keys(WAYS) as Way[]) : named.length ? named : ['built'];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
  });
}

interface Started {
  child: ChildProcess;
  readyMs: number;
  /** CPU time the whole tree had used when it was ready (Linux; undefined elsewhere). */
  cpuMs: number | undefined;
  output: () => string;
}

async function start(way: Way, dataDir: string): Promise<Started> {
  const port = await freePort();
  const [command, ...args] = WAYS[way]();
  const began = performance.now();
  const child = spawn(command!, [...args, '--port', String(port), '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, LITELLM_MASTER_KEY: '', LLM_GATEWAY_DATA_DIR: '', LLM_GATEWAY_SECRET_BACKEND: 'encrypted-file' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stop() reaches every process of the tree, as Ctrl-C in a terminal does.
    detached: true,
  });
  groups.add(child.pid!);
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${way} exited before it was live:\n${output}`);
    const res = await fetch(`http://127.0.0.1:${port}/health/liveliness`).catch(() => undefined);
    if (res?.status === 200) {
      const readyMs = performance.now() - began;
      return { child, readyMs, cpuMs: treeCpuMs(child.pid!), output: () => output };
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await stop(child);
  throw new Error(`${way} was not live within 60 s:\n${output}`);
}

/** Every process group started, killed on the way out whatever happens. */
const groups = new Set<number>();
process.once('exit', () => {
  for (const pid of groups) if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
});

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the whole process group; SIGKILL after 10 s if any of it is still there. */
async function stop(child: ChildProcess): Promise<void> {
  const pid = child.pid!;
  if (groupAlive(pid)) process.kill(-pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
  groups.delete(pid);
}

/** RSS (kB) of `pid` and of each process below it, deepest last. */
function processTree(pid: number): { pid: number; rssKb: number; depth: number }[] {
  const rows = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number, number]);
  const tree: { pid: number; rssKb: number; depth: number }[] = [];
  const walk = (p: number, depth: number) => {
    const row = rows.find(([id]) => id === p);
    if (!row) return;
    tree.push({ pid: p, rssKb: row[2], depth });
    for (const [id, parent] of rows) if (parent === p) walk(id, depth + 1);
  };
  walk(pid, 0);
  return tree.sort((a, b) => a.depth - b.depth);
}

const TICKS_PER_SECOND = 100;

/**
 * user + system CPU of `pid` and every process below it, including children they have already waited for (an
 * npm prestart, the launcher's build): /proc/<pid>/stat utime, stime, cutime, cstime. Linux only. Unlike the
 * wall-clock figure it hardly moves when other work shares the cores.
 */
function treeCpuMs(pid: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  let ticks = 0;
  for (const { pid: p } of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After "pid (comm) ": state is field 3, so utime (14) … cstime (17) are at 11 … 14 here.
      ticks += [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    } catch {
      // gone meanwhile
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

async function measure(way: Way): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'llm-gateway-startup-'));
  try {
    const cold = await start(way, dataDir);
    await stop(cold.child);
    const warm: number[] = [];
    const warmCpu: number[] = [];
    let serving = 0;
    let total = 0;
    for (let i = 0; i < runs; i++) {
      const run = await start(way, dataDir);
      warm.push(run.readyMs);
      if (run.cpuMs !== undefined) warmCpu.push(run.cpuMs);
      if (i === runs - 1) {
        await new Promise((r) => setTimeout(r, idleMs));
        const tree = processTree(run.child.pid!);
        serving = tree.at(-1)?.rssKb ?? 0;
        total = tree.reduce((sum, p) => sum + p.rssKb, 0);
      }
      await stop(run.child);
    }
    const spread = `${Math.round(Math.min(...warm))}–${Math.round(Math.max(...warm))}`;
    return (
      `${way.padEnd(9)} ready (warm, median of ${runs}): ${Math.round(median(warm))} ms [${spread}]${warmCpu.length ? `, ${Math.round(median(warmCpu))} ms CPU` : ''}; cold: ${Math.round(cold.readyMs)} ms; ` +
      `idle RSS after ${idleMs / 1000} s: ${mb(serving)} serving process, ${mb(total)} whole tree`
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// What the built ways run is brought up to date first (the launcher would do it inside the measurement).
if (ways.some((way) => way !== 'tsx'))
  await build(['server', ...(ways.some((way) => way === 'launcher' || way === 'npm') ? (['ui'] as const) : [])], {
    ifStale: true,
    log: (line) => console.error(line),
  });

console.log(`Startup: process start → /health/liveliness 200, and idle RSS (Node ${process.version}, ${process.platform})`);
for (const way of ways) console.log(await measure(way));
