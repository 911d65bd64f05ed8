/**
 * Replays the Dockerfile's stages on temporary folders, for e2e/dockerfile.test.ts: no container engine and no
 * registry for base images here, so each stage's root file system is a folder (`<tmp>/<stage>/`), and container
 * paths (`/app`, `/data`: the WORKDIR and VOLUME folders) are rewritten to it. COPY copies what .dockerignore
 * leaves in the context (or, with --from, from the earlier stage's folder); RUN steps are run or stood in for
 * as RUN_STEPS says, and a RUN it does not know fails the replay, so a Dockerfile change needs a test change.
 *
 * What this does not exercise: the base image (node:20-bookworm-slim — its Node is this machine's Node 20), the
 * apt-get toolchain step, and `npm ci`'s download and better-sqlite3 compile (stood in for by the repository's
 * node_modules, installed by `npm ci` from the same package-lock.json in .ci/run).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import { dockerignoreFilter, type Stage, stepsOf } from './dockerfile.ts';

/** Who runs as the Dockerfile's USER here. */
export interface RunAs {
  uid: number;
  gid: number;
  /** Why this user stands for the Dockerfile's. */
  note: string;
}

/** One stage after the replay: where its root is and the state its last step left. */
export interface ReplayedStage {
  root: string;
  workdir: string;
  env: Record<string, string>;
  user?: string;
}

type RunHow = 'skip' | 'install' | 'run';
/** Every RUN the Dockerfile may have, and how the replay does it. */
const RUN_STEPS: { match: RegExp; how: RunHow }[] = [
  // System packages from Debian's registry into the image: not reachable here, and this machine already
  // compiled better-sqlite3 with its own python3, make and g++.
  { match: /^apt-get update && apt-get install -y --no-install-recommends python3 make g\+\+ && rm -rf \/var\/lib\/apt\/lists\/\*$/, how: 'skip' },
  // Stood in for by a hard-linked copy of the repository's node_modules (same lockfile, checked).
  { match: /^npm ci --no-audit --no-fund$/, how: 'install' },
  { match: /^node scripts\/build\.mjs server ui$/, how: 'run' },
  { match: /^npm prune --omit=dev --no-audit --no-fund$/, how: 'run' },
  { match: /^mkdir -p \/data && chown node:node \/data$/, how: 'run' },
];

/**
 * The Dockerfile's USER. Official Node images define `node` (uid 1000); where this machine has a `node` user, it
 * runs as that; else as `nobody`, the unprivileged user every Debian has. When the tests are not root they
 * cannot switch users at all, and run as themselves (already not root).
 */
export function runAsFor(user: string): RunAs {
  const self = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  if (self.uid !== 0) return { ...self, note: `not root: runs as uid ${self.uid}, standing for ${user}` };
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'));
  const entry = passwd.find((f) => f[0] === user) ?? passwd.find((f) => f[0] === 'nobody');
  if (!entry) throw new Error(`Neither ${user} nor nobody exists in /etc/passwd: cannot run as an unprivileged user.`);
  return { uid: Number(entry[2]), gid: Number(entry[3]), note: `${entry[0]} (uid ${entry[2]}) stands for ${user}` };
}

/**
 * Copies a tree as hard links (node_modules is 500 MB; nothing the replay runs writes these files in place, but
 * npm's hidden lockfile, replaced by a real copy), or as a plain copy where the temporary folder is on another
 * file system than the repository.
 */
function linkTree(from: string, to: string): void {
  try {
    execFileSync('cp', ['-al', from, to], { stdio: 'pipe' });
  } catch {
    rmSync(to, { recursive: true, force: true });
    execFileSync('cp', ['-a', from, to]);
  }
}

export class DockerReplay {
  readonly tmp = mkdtempSync(join(tmpdir(), 'dockerfile-'));
  readonly stages = new Map<string, ReplayedStage>();
  private readonly inContext: (path: string) => boolean;
  private readonly containerDirs: string[];

  constructor(
    private readonly context: string,
    private readonly dockerfile: Stage[],
    readonly runAs: RunAs,
  ) {
    // Readable by the unprivileged user; each stage's folder stands for a root file system.
    chmodSync(this.tmp, 0o755);
    this.inContext = dockerignoreFilter(readFileSync(join(context, '.dockerignore'), 'utf8'));
    const dirs = dockerfile.flatMap((s) => [...stepsOf(s, 'WORKDIR').map((w) => w.dir), ...stepsOf(s, 'VOLUME').flatMap((v) => v.paths)]);
    this.containerDirs = [...new Set(dirs)].filter((d) => d.startsWith('/') && d !== '/');
  }

  /** The host path of a container path in a stage. */
  hostPath(stage: ReplayedStage, containerPath: string): string {
    return join(stage.root, containerPath);
  }

  /** Rewrites the container folders named in `text` (`/app/config.yaml`) to the stage's folder. */
  mapPaths(stage: ReplayedStage, text: string): string {
    let out = text;
    for (const dir of this.containerDirs) {
      const escaped = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      out = out.replace(new RegExp(`(^|[\\s=:'"])${escaped}(?=$|[\\s/'"])`, 'g'), (_m, lead: string) => `${lead}${join(stage.root, dir)}`);
    }
    return out;
  }

  /**
   * The environment a process in the stage sees: PATH (for node, npm, sh) from here, the rest from ENV; HOME too
   * for the build's RUN steps (npm's cache), not for the gateway (the image's user has its own).
   */
  envOf(stage: ReplayedStage, options: { home?: boolean } = {}): Record<string, string> {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    if (options.home && process.env.HOME) env.HOME = process.env.HOME;
    for (const [name, value] of Object.entries(stage.env)) env[name] = this.mapPaths(stage, value);
    return env;
  }

  replayAll(): void {
    for (const stage of this.dockerfile) this.replay(stage);
  }

  private replay(stage: Stage): void {
    const state: ReplayedStage = { root: join(this.tmp, stage.name), workdir: '/', env: {} };
    mkdirSync(state.root);
    this.stages.set(stage.name, state);
    for (const step of stage.steps) {
      if (step.kind === 'WORKDIR') {
        state.workdir = posix.resolve(state.workdir, step.dir);
        mkdirSync(this.hostPath(state, state.workdir), { recursive: true });
      } else if (step.kind === 'ENV') Object.assign(state.env, step.vars);
      else if (step.kind === 'USER') state.user = step.user;
      else if (step.kind === 'COPY') this.copy(state, step);
      else if (step.kind === 'RUN') this.run(state, step.command);
    }
  }

  private copy(state: ReplayedStage, step: { from?: string; sources: string[]; dest: string }): void {
    const dest = posix.resolve(state.workdir, step.dest);
    const intoDir = step.dest.endsWith('/') || step.sources.length > 1;
    for (const source of step.sources) {
      const target = this.hostPath(state, intoDir ? posix.join(dest, posix.basename(source)) : dest);
      mkdirSync(dirname(target), { recursive: true });
      if (step.from) {
        const from = this.stages.get(step.from);
        if (!from) throw new Error(`COPY --from=${step.from}: no such earlier stage`);
        const path = this.hostPath(from, source);
        if (!existsSync(path)) throw new Error(`COPY --from=${step.from} ${source}: not in that stage`);
        linkTree(path, target);
      } else {
        if (!this.inContext(source)) throw new Error(`COPY ${source}: .dockerignore leaves it out of the build context`);
        cpSync(join(this.context, source), target, { recursive: true, filter: (path) => this.inContext(relative(this.context, path) || '.') });
      }
    }
  }

  private run(state: ReplayedStage, command: string): void {
    const how = RUN_STEPS.find((r) => r.match.test(command))?.how;
    if (!how) throw new Error(`RUN ${command}: e2e/support/docker-replay.ts does not know this step; add it to RUN_STEPS.`);
    const cwd = this.hostPath(state, state.workdir);
    if (how === 'skip') return;
    if (how === 'install') {
      const lock = (dir: string) => readFileSync(join(dir, 'package-lock.json'), 'utf8');
      if (lock(cwd) !== lock(this.context)) throw new Error('npm ci: the stage has another package-lock.json than the repository');
      linkTree(join(this.context, 'node_modules'), join(cwd, 'node_modules'));
      // npm rewrites its hidden lockfile in place: through a hard link that would edit the repository's.
      const hidden = join(cwd, 'node_modules', '.package-lock.json');
      rmSync(hidden, { force: true });
      cpSync(join(this.context, 'node_modules', '.package-lock.json'), hidden);
      return;
    }
    // The Dockerfile's user owns what a RUN chowns to it; here that is the user standing for it.
    const user = this.dockerfile.flatMap((s) => stepsOf(s, 'USER')).at(-1)?.user ?? 'root';
    const mapped = this.mapPaths(state, command).replaceAll(`${user}:${user}`, `${this.runAs.uid}:${this.runAs.gid}`);
    const result = spawnSync('/bin/sh', ['-c', mapped], { cwd, env: this.envOf(state, { home: true }), encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`RUN ${command} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }

  remove(): void {
    rmSync(this.tmp, { recursive: true, force: true });
  }
}
