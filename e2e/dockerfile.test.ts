/**
 * The container (Dockerfile, docker-compose.yml, .env.example, README's Docker section). Images cannot be built
 * here (no registry for base images), so the Dockerfile is parsed and its steps replayed on a copy of the tree
 * (e2e/support/docker-replay.ts says what is stood in for: the base image, apt-get, npm ci's download); then the
 * runtime stage's ENTRYPOINT + CMD start as an unprivileged user standing for its USER, and /health/liveliness and
 * the HEALTHCHECK command are checked against it. The compose file is parsed and checked against the Dockerfile,
 * .env.example, config.yaml and the README.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { dockerignoreFilter, parseDockerfile, type Stage, stepsOf } from './support/dockerfile.ts';
import { DockerReplay, type ReplayedStage, runAsFor } from './support/docker-replay.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const stages = parseDockerfile(join(ROOT, 'Dockerfile'));
const runtime = stages.at(-1) as Stage;
const runtimeEnv = Object.assign({}, ...stepsOf(runtime, 'ENV').map((e) => e.vars)) as Record<string, string>;
const user = stepsOf(runtime, 'USER').at(-1)?.user ?? 'root';
const volumes = stepsOf(runtime, 'VOLUME').flatMap((v) => v.paths);
const entrypoint = stepsOf(runtime, 'ENTRYPOINT').at(-1)?.args ?? [];
const cmd = stepsOf(runtime, 'CMD').at(-1)?.args ?? [];
const healthcheck = stepsOf(runtime, 'HEALTHCHECK').at(-1)?.command ?? [];

describe('Dockerfile', () => {
  it('builds in one stage and runs the built JavaScript as a non-root user in another, with a data volume and a health check', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime']);
    expect(stages.every((s) => /^node:20-/.test(s.image))).toBe(true);
    expect(['root', '0', '0:0']).not.toContain(user);
    // The runtime stage installs and builds nothing: everything comes from the build stage, and no sources.
    expect(stepsOf(runtime, 'RUN').map((r) => r.command)).not.toContainEqual(expect.stringMatching(/npm (ci|install)|build\.mjs/));
    const fromContext = stepsOf(runtime, 'COPY').filter((c) => !c.from);
    expect(fromContext.flatMap((c) => c.sources)).toEqual(['config.yaml']);
    expect(volumes).toEqual([runtimeEnv.LLM_GATEWAY_DATA_DIR]);
    expect(stepsOf(runtime, 'EXPOSE').flatMap((e) => e.ports)).toEqual([runtimeEnv.PORT]);
    expect(healthcheck.join(' ')).toContain('/health/liveliness');
    expect(entrypoint.join(' ')).toContain('--host 0.0.0.0');
  });

  it('.dockerignore keeps secrets, host builds and node_modules out of the build context', () => {
    const inContext = dockerignoreFilter(read('.dockerignore'));
    for (const path of ['.env', 'node_modules/fastify/package.json', 'dist/server/main.js', 'renderer/dist/index.html', '.git/config'])
      expect([path, inContext(path)]).toEqual([path, false]);
    for (const path of ['package.json', 'server/main.ts', 'renderer/src/main.tsx', 'config.yaml']) expect([path, inContext(path)]).toEqual([path, true]);
  });
});

describe('the Dockerfile replayed on a copy of the tree', () => {
  let replay: DockerReplay;
  let stage: ReplayedStage;
  const children = new Set<ChildProcess>();

  beforeAll(() => {
    replay = new DockerReplay(ROOT, stages, runAsFor(user));
    replay.replayAll();
    stage = replay.stages.get(runtime.name) as ReplayedStage;
  }, 240_000);

  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    replay?.remove();
  });

  /** ENTRYPOINT + CMD in the runtime stage, as the user standing for USER, with `env` on top of the image's ENV. */
  function start(env: Record<string, string>) {
    const [command = '', ...args] = [...entrypoint, ...cmd].map((a) => replay.mapPaths(stage, a));
    const child = spawn(command, args, {
      cwd: replay.hostPath(stage, stage.workdir),
      env: { ...replay.envOf(stage), ...env },
      uid: replay.runAs.uid,
      gid: replay.runAs.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const listening = new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', () => stdout.includes('listening on') && resolve());
      void exited.then((code) => reject(new Error(`exited ${code}:\n${stdout}\n${stderr}`)));
    });
    listening.catch(() => undefined); // awaited by the tests that expect it to listen
    return { child, exited, listening, stderr: () => stderr };
  }

  function healthcheckStatus(env: Record<string, string>): number | null {
    const [command = '', ...args] = healthcheck;
    const run = spawnSync(command, args, {
      cwd: replay.hostPath(stage, stage.workdir),
      env: { ...replay.envOf(stage), ...env },
      uid: replay.runAs.uid,
      gid: replay.runAs.gid,
    });
    return run.status;
  }

  it('leaves the runtime stage only production dependencies, the built gateway and dashboard, and no sources', () => {
    const app = replay.hostPath(stage, stage.workdir);
    expect(existsSync(join(app, 'node_modules', 'better-sqlite3'))).toBe(true);
    expect(existsSync(join(app, 'node_modules', 'fastify'))).toBe(true);
    for (const dev of ['esbuild', 'vite', 'typescript', 'electron', 'vitest']) expect([dev, existsSync(join(app, 'node_modules', dev))]).toEqual([dev, false]);
    expect(readdirSync(app).sort()).toEqual(['config.yaml', 'dist', 'node_modules', 'package.json', 'renderer', 'resources']);
    expect(existsSync(join(app, 'dist', 'server', 'main.js'))).toBe(true);
    expect(existsSync(join(app, 'renderer', 'dist', 'index.html'))).toBe(true);
    expect(statSync(replay.hostPath(stage, volumes[0] ?? '/data')).uid).toBe(replay.runAs.uid);
  });

  it('refuses to start without LITELLM_MASTER_KEY, since it listens on every interface', async () => {
    const run = start({ PORT: String(await freePort()) });
    expect(await run.exited).toBe(64);
    expect(run.stderr()).toContain('LITELLM_MASTER_KEY is not set');
  });

  it(`starts as ${user}'s stand-in, answers /health/liveliness and a chat call, and its HEALTHCHECK passes while it runs`, async () => {
    const port = String(await freePort());
    const key = 'sk-docker-test-master-key';
    const env = { PORT: port, LITELLM_MASTER_KEY: key };
    // runAs.note says who stands for the image's user here (`node` in the official Node images).
    expect(replay.runAs.uid, replay.runAs.note).not.toBe(0);
    const gateway = start(env);
    await gateway.listening;
    const status = readFileSync(`/proc/${gateway.child.pid}/status`, 'utf8');
    expect(status.match(/^Uid:\s+(\d+)/m)?.[1]).toBe(String(replay.runAs.uid));

    const base = `http://127.0.0.1:${port}`;
    const live = await fetch(`${base}/health/liveliness`);
    expect(live.status).toBe(200);
    expect(await live.json()).toBe("I'm alive!");
    expect((await fetch(`${base}/v1/models`)).status).toBe(401);
    const chat = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hello from the container' }] }),
    });
    expect(chat.status).toBe(200);
    expect(JSON.stringify(await chat.json())).toContain('hello from the container');
    expect(healthcheckStatus(env)).toBe(0);

    // Seed 004's key flow: a virtual key made with the master key (stored in SQLite in the data volume) calls a model.
    const generated = await fetch(`${base}/key/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ models: ['mock-gpt'] }),
    });
    expect(generated.status).toBe(200);
    const virtualKey = ((await generated.json()) as { key: string }).key;
    const withVirtualKey = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${virtualKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'virtual key' }] }),
    });
    expect(withVirtualKey.status).toBe(200);

    // The data volume holds what the gateway writes, owned by its user.
    const data = replay.hostPath(stage, volumes[0] ?? '/data');
    expect(readdirSync(data).length).toBeGreaterThan(0);
    for (const entry of readdirSync(data)) expect([entry, statSync(join(data, entry)).uid]).toEqual([entry, replay.runAs.uid]);

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    expect(healthcheckStatus(env)).not.toBe(0);
  }, 60_000);
});

describe('docker-compose.yml', () => {
  const compose = parseYaml(read('docker-compose.yml')) as {
    services: Record<string, Record<string, unknown>>;
    volumes: Record<string, unknown>;
  };
  const envExample = new Map([...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1] as string, (m[2] as string).trim()]));
  const readme = read('README.md');
  const dockerSection = readme.slice(readme.indexOf('\n## Docker'), readme.indexOf('\n## ', readme.indexOf('\n## Docker') + 1));

  it('starts one gateway built from the Dockerfile, on the port it exposes, with .env and a master key it requires', () => {
    expect(Object.keys(compose.services)).toEqual(['gateway']);
    const gateway = compose.services.gateway as Record<string, unknown>;
    expect(gateway.build).toBe('.');
    expect(gateway.ports).toEqual([`${runtimeEnv.PORT}:${runtimeEnv.PORT}`]);
    expect(gateway.env_file).toBe('.env');
    expect((gateway.environment as Record<string, string>).LITELLM_MASTER_KEY).toMatch(/^\$\{LITELLM_MASTER_KEY:\?.+\}$/);
    // .env.example leaves it empty, so a copied .env that nobody edited stops compose with its message.
    expect(envExample.get('LITELLM_MASTER_KEY')).toBe('');
  });

  it('mounts config.yaml read-only where --config reads it, and a named volume at the image data folder', () => {
    const gateway = compose.services.gateway as { volumes: unknown[]; command: string[] };
    const [bind, data] = gateway.volumes as [Record<string, unknown>, string];
    const configPath = gateway.command[gateway.command.indexOf('--config') + 1];
    expect(bind).toMatchObject({ type: 'bind', source: './config.yaml', target: configPath, read_only: true });
    expect(existsSync(join(ROOT, 'config.yaml'))).toBe(true);
    const [volume, target] = data.split(':');
    expect(target).toBe(runtimeEnv.LLM_GATEWAY_DATA_DIR);
    expect(volumes).toContain(target);
    expect(Object.keys(compose.volumes)).toEqual([volume]);
  });

  it('.env.example names every variable compose and config.yaml read', () => {
    const composeVars = [...read('docker-compose.yml').matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]);
    const configVars = [
      ...read('config.yaml')
        .replace(/^\s*#.*$/gm, '')
        .matchAll(/os\.environ\/([A-Z0-9_]+)/g),
    ].map((m) => m[1]);
    expect(configVars).toContain('OPENAI_API_KEY');
    for (const name of new Set([...composeVars, ...configVars])) expect([name, envExample.has(name as string)]).toEqual([name, true]);
  });

  it("the README's Docker section describes this compose file", () => {
    const volume = Object.keys(compose.volumes)[0] as string;
    for (const words of ['docker compose up', 'cp .env.example .env', 'LITELLM_MASTER_KEY', volume, '/data', '/health/liveliness', 'config.yaml', ':4000'])
      expect([words, dockerSection.includes(words)]).toEqual([words, true]);
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
