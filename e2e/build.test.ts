/**
 * The build (`npm run build`, scripts/build.mjs) and `npm start`'s launcher (scripts/start.mjs):
 *
 * - the bundles import nothing but Node built-ins and package.json's production `dependencies` (and `electron`
 *   in the desktop bundles), and a built tree without sources runs through the launcher with only what
 *   `npm ci --omit=dev` installs in node_modules: no tsx, esbuild or vite;
 * - the built CLI, run by plain Node from the repository, finds package.json, the price table and the dashboard,
 *   answers /health/liveliness and a chat completion on the built-in mock provider, and stops on SIGTERM;
 * - the launcher builds what is missing (only what the run needs), keeps stdout to the CLI's own output, passes
 *   the exit code through, stops cleanly on SIGINT/SIGTERM, and without the build tools says how to build.
 *
 * The launcher runs in a copy of the repository in a temporary folder (node_modules linked), so these tests never
 * rebuild the working tree's dist/.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; main: string; dependencies: Record<string, string> };
const children = new Set<ChildProcess>();
const temps: string[] = [];

afterAll(() => {
  // Each child leads its own process group: whatever it started (npm's shell, the gateway) goes with it.
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string, parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, prefix));
  temps.push(dir);
  return dir;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `command args` in `cwd`, secrets in the data folder's encrypted file, never the OS keychain. */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Run {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, LITELLM_MASTER_KEY: '', LLM_GATEWAY_DATA_DIR: '', LLM_GATEWAY_SECRET_BACKEND: 'encrypted-file', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

const node = (args: string[], cwd: string, env?: Record<string, string>) => run(process.execPath, args, cwd, env);

async function untilLive(port: number, r: Run): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = await fetch(`http://127.0.0.1:${port}/health/liveliness`).catch(() => undefined);
    if (res?.status === 200) return;
    if (r.child.exitCode !== null) throw new Error(`gateway exited early:\n${r.stdout()}\n${r.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gateway did not become live:\n${r.stdout()}\n${r.stderr()}`);
}

/** A config on the built-in mock provider, plus a bare model name that only the bundled price table can place. */
function mockConfig(dir: string): string {
  const path = join(dir, 'config.yaml');
  writeFileSync(
    path,
    'model_list:\n  - model_name: echo\n    litellm_params:\n      model: mock/echo\n  - model_name: gpt-4o\n    litellm_params:\n      model: gpt-4o\n      api_key: sk-unused\n',
  );
  return path;
}

async function chatEcho(port: number): Promise<string | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'built' }] }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content;
}

const BUILTINS = new Set(builtinModules);
/** The npm package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

interface Metafile {
  outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>;
}

/** Every module specifier an output file leaves to run time: esbuild's external imports and literal require()s. */
function runtimeImports(outdir: string, target: string): Map<string, string[]> {
  const metafile = JSON.parse(readFileSync(join(outdir, target, 'metafile.json'), 'utf8')) as Metafile;
  const byOutput = new Map<string, string[]>();
  for (const [output, { imports }] of Object.entries(metafile.outputs)) {
    if (output.endsWith('.map')) continue;
    const text = readFileSync(join(ROOT, output), 'utf8');
    // createRequire(import.meta.url)("pkg") and require("pkg") are invisible to the metafile.
    const required = [...text.matchAll(/(?:\brequire|createRequire\([^)]*\))\(\s*(["'])([^"']+)\1\s*\)/g)].map((m) => m[2]!);
    byOutput.set(output, [...imports.filter((i) => i.external).map((i) => i.path), ...required]);
  }
  return byOutput;
}

describe('npm run build', () => {
  // Built inside the repository (dist/.build-test-*), so the bundle finds package.json and node_modules as dist/ would.
  let outdir: string;

  beforeAll(async () => {
    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    outdir = tempDir('.build-test-', join(ROOT, 'dist'));
    const build = node(['scripts/build.mjs', 'server', 'electron', '--outdir', outdir], ROOT);
    expect(await build.exited, build.stderr()).toBe(0);
  }, 60_000);

  it('bundles import only Node built-ins and production dependencies (electron too in the desktop bundles): no tsx, esbuild or vite at run time', () => {
    const allowed = (specifier: string, electron: boolean) =>
      specifier.startsWith('node:') || BUILTINS.has(specifier) || packageOf(specifier) in PKG.dependencies || (electron && specifier === 'electron');
    for (const target of ['server', 'electron']) {
      const byOutput = runtimeImports(outdir, target);
      expect([...byOutput.keys()].length).toBeGreaterThan(0);
      for (const [output, specifiers] of byOutput) {
        // Our own code is all inside: nothing relative, nothing TypeScript is left to load.
        expect(
          specifiers.filter((s) => s.startsWith('.') || s.startsWith('/') || /\.tsx?$/.test(s)),
          output,
        ).toEqual([]);
        expect(
          specifiers.filter((s) => !allowed(s, target === 'electron')),
          `${output} imports packages that are not production dependencies`,
        ).toEqual([]);
      }
    }
    const server = [...runtimeImports(outdir, 'server').values()].flat().map(packageOf);
    for (const dependency of ['fastify', 'better-sqlite3', 'gpt-tokenizer']) expect(server).toContain(dependency);
  });

  it('writes what the desktop packaging runs: package.json "main" and electron-builder.yml files', () => {
    expect(PKG.main).toBe('dist/electron/main.js');
    for (const file of ['main.js', 'utility-entry.js', 'preload.cjs']) expect(existsSync(join(outdir, 'electron', file)), file).toBe(true);
    expect(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')).toMatch(/^ {2}- dist\/electron\/\*\*\/\*$/m);
  });

  it('the built CLI runs on plain Node from the repository: version, price table, dashboard, liveliness, a mock chat completion, SIGTERM', async () => {
    const main = join(outdir, 'server', 'main.js');
    const version = node([main, '--version'], ROOT);
    expect(await version.exited).toBe(0);
    expect(version.stdout()).toBe(`${PKG.version}\n`);

    const dataDir = tempDir('gw-build-');
    const port = await freePort();
    const gateway = node([main, '--port', String(port), '--data-dir', dataDir, '--config', mockConfig(dataDir)], tmpdir());
    await untilLive(port, gateway);
    expect(await chatEcho(port)).toBe('Echo: built');
    const models = (await (await fetch(`http://127.0.0.1:${port}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(['echo', 'gpt-4o']);
    // The dashboard folder is found from the bundle: served when built, else the page that says how to build it.
    const ui = await fetch(`http://127.0.0.1:${port}/ui/`);
    expect(ui.status).toBe(existsSync(join(ROOT, 'renderer', 'dist', 'index.html')) ? 200 : 503);
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  }, 60_000);
  it('a built tree runs on the production dependencies alone: the launcher, no sources, only `dependencies` in node_modules', async () => {
    const tree = tempDir('gw-prod-');
    for (const path of ['package.json', 'resources', 'scripts']) cpSync(join(ROOT, path), join(tree, path), { recursive: true });
    cpSync(join(outdir, 'server'), join(tree, 'dist', 'server'), { recursive: true });
    if (existsSync(join(ROOT, 'renderer', 'dist'))) cpSync(join(ROOT, 'renderer', 'dist'), join(tree, 'renderer', 'dist'), { recursive: true });
    // What `npm ci --omit=dev` installs: every package of the lockfile not marked dev, linked from the repository.
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (!/^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) || entry.dev || entry.devOptional || !existsSync(join(ROOT, path))) continue;
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      symlinkSync(join(ROOT, path), join(tree, path), 'dir');
    }
    for (const tool of ['tsx', 'esbuild', 'vite', 'typescript']) expect(existsSync(join(tree, 'node_modules', tool)), tool).toBe(false);

    const dataDir = tempDir('gw-prod-data-');
    const port = await freePort();
    // --preserve-symlinks: packages resolve their own imports inside this tree's node_modules, not the repository's.
    const gateway = node(
      ['--preserve-symlinks', '--preserve-symlinks-main', 'scripts/start.mjs', '--port', String(port), '--data-dir', dataDir, '--config', mockConfig(dataDir)],
      tree,
    );
    await untilLive(port, gateway);
    expect(await chatEcho(port)).toBe('Echo: built');
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    expect(gateway.stderr()).toBe('');
  }, 60_000);

  it("the desktop's utility bundle runs the gateway on plain Node: start, liveliness, dashboard, stop (exit 0)", async () => {
    const dataDir = tempDir('gw-utility-');
    const port = await freePort();
    const child = fork(join(outdir, 'electron', 'utility-entry.js'), [], {
      cwd: tmpdir(),
      execArgv: [],
      env: {
        ...process.env,
        LLM_GATEWAY_UTILITY_CHILD: '1',
        LLM_GATEWAY_SECRET_BACKEND: 'encrypted-file',
        LLM_GATEWAY_DATA_DIR: dataDir,
        LITELLM_MASTER_KEY: '',
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      detached: true,
    });
    children.add(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const replies: { type: string; id?: number; ok?: boolean; result?: unknown }[] = [];
    child.on('message', (m: (typeof replies)[number]) => replies.push(m));
    const request = async (message: object, id: number) => {
      child.send({ ...message, id });
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const reply = replies.find((m) => m.type === 'reply' && m.id === id);
        if (reply) return reply;
        if (child.exitCode !== null) throw new Error(`the utility process exited with ${child.exitCode}:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no reply:\n${stderr}`);
    };
    expect(await request({ type: 'start', port, dataDir }, 1)).toMatchObject({ ok: true, result: { state: 'running', port } });
    expect((await fetch(`http://127.0.0.1:${port}/health/liveliness`)).status).toBe(200);
    const ui = await fetch(`http://127.0.0.1:${port}/ui/`);
    expect(ui.status).toBe(existsSync(join(ROOT, 'renderer', 'dist', 'index.html')) ? 200 : 503);
    expect(await request({ type: 'stop' }, 2)).toMatchObject({ ok: true });
    expect(await exited).toBe(0);
  }, 60_000);
});

describe('npm start (scripts/start.mjs)', () => {
  /** A copy of what the launcher reads and builds, with the repository's node_modules linked. */
  let tree: string;

  beforeAll(() => {
    tree = tempDir('gw-tree-');
    for (const path of ['package.json', 'scripts', 'server', 'resources', 'renderer/dist']) cpSync(join(ROOT, path), join(tree, path), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
  });

  it('builds the missing server (not the dashboard, for a CLI-only flag), keeps stdout to the key, passes exit codes through', async () => {
    const dataDir = tempDir('gw-start-');
    writeFileSync(join(dataDir, 'config.yaml'), 'model_list: []\n');
    const key = { LITELLM_MASTER_KEY: 'sk-from-env-1234' };

    const first = node(['scripts/start.mjs', '--print-master-key', '--data-dir', dataDir], tree, key);
    expect(await first.exited, first.stderr()).toBe(0);
    expect(first.stdout()).toBe('sk-from-env-1234\n');
    expect(first.stderr()).toContain('Building server (not built)');
    expect(first.stderr()).not.toContain('Building ui');
    expect(existsSync(join(tree, 'dist', 'server', 'main.js'))).toBe(true);

    // Up to date: nothing is built. The README's form, through npm.
    const again = run('npm', ['start', '--silent', '--', '--print-master-key', '--data-dir', dataDir], tree, key);
    expect(await again.exited, again.stderr()).toBe(0);
    expect(again.stdout()).toBe('sk-from-env-1234\n');
    expect(again.stderr()).toBe('');

    // A source newer than the build: rebuilt, and only the server.
    const now = new Date();
    utimesSync(join(tree, 'server', 'version.ts'), now, now);
    const rebuilt = node(['scripts/start.mjs', '--print-master-key', '--data-dir', dataDir], tree, key);
    expect(await rebuilt.exited, rebuilt.stderr()).toBe(0);
    expect(rebuilt.stderr()).toContain('Building server (server/version.ts changed)');
    expect(rebuilt.stdout()).toBe('sk-from-env-1234\n');

    // The CLI's own exit code comes out of the launcher.
    const keyless = node(['scripts/start.mjs', '--print-master-key', '--data-dir', dataDir], tree);
    expect(await keyless.exited).toBe(2);
    expect(keyless.stderr()).toContain('has no master key');
  }, 60_000);

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'serves through the launcher and stops cleanly on %s (exit code 0)',
    async (signal) => {
      const dataDir = tempDir('gw-start-');
      const port = await freePort();
      const gateway = node(['scripts/start.mjs', '--port', String(port), '--data-dir', dataDir, '--config', mockConfig(dataDir)], tree);
      await untilLive(port, gateway);
      expect(await chatEcho(port)).toBe('Echo: built');
      gateway.child.kill(signal);
      expect(await gateway.exited).toBe(0);
      expect(gateway.stdout()).toContain(`${signal}: finishing in-flight requests, then stopping`);
    },
    60_000,
  );

  it('under npm, stops cleanly when npm is signalled, though the shell between them does not pass the signal on', async () => {
    const dataDir = tempDir('gw-start-');
    const port = await freePort();
    const npm = run('npm', ['start', '--', '--port', String(port), '--data-dir', dataDir, '--config', mockConfig(dataDir)], tree);
    await untilLive(port, npm);
    npm.child.kill('SIGTERM');
    await npm.exited;
    const deadline = Date.now() + 10_000;
    let alive = true;
    while (alive && Date.now() < deadline) {
      alive = (await fetch(`http://127.0.0.1:${port}/health/liveliness`).catch(() => undefined)) !== undefined;
      if (alive) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(alive, 'the gateway still serves after npm was stopped').toBe(false);
    // It went through the gateway's own clean stop (the spend journal flushed, SQLite closed).
    expect(npm.stdout()).toContain('SIGTERM: finishing in-flight requests, then stopping');
  }, 60_000);

  it('without a build and without the build tools, says how to build', async () => {
    const bare = tempDir('gw-bare-');
    for (const path of ['package.json', 'scripts', 'server']) cpSync(join(ROOT, path), join(bare, path), { recursive: true });
    const started = node(['scripts/start.mjs', '--port', '1'], bare);
    expect(await started.exited).toBe(1);
    expect(started.stdout()).toBe('');
    expect(started.stderr()).toContain('LLM Gateway is not built: there is no dist/server/main.js');
    expect(started.stderr()).toContain('npm install && npm run build');
  });
});
