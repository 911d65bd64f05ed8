/**
 * The Dockerfile as data, for e2e/dockerfile.test.ts (no container engine here): its stages and their steps,
 * read with dockerfile-ast, and the build context .dockerignore leaves. The test replays the steps on a
 * temporary folder that stands for each stage's root file system.
 */
import { readFileSync } from 'node:fs';
import { DockerfileParser, type Env, type From, type Healthcheck, type Instruction, type ModifiableInstruction } from 'dockerfile-ast';

export type Step =
  | { kind: 'RUN'; command: string }
  | { kind: 'WORKDIR'; dir: string }
  | { kind: 'ENV'; vars: Record<string, string> }
  | { kind: 'COPY'; from?: string; sources: string[]; dest: string }
  | { kind: 'USER'; user: string }
  | { kind: 'VOLUME'; paths: string[] }
  | { kind: 'EXPOSE'; ports: string[] }
  | { kind: 'HEALTHCHECK'; command: string[] }
  | { kind: 'ENTRYPOINT'; args: string[] }
  | { kind: 'CMD'; args: string[] };

export interface Stage {
  name: string;
  image: string;
  steps: Step[];
}

/** The exec form (`["a", "b"]`) of CMD, ENTRYPOINT and HEALTHCHECK CMD is JSON; the shell form is refused. */
function execForm(keyword: string, content: string): string[] {
  const parsed: unknown = JSON.parse(content);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error(`${keyword}: not the exec form: ${content}`);
  return parsed;
}

function step(instruction: Instruction): Step {
  const keyword = instruction.getKeyword();
  const content = instruction.getArgumentsContent() ?? '';
  const args = instruction.getArguments().map((a) => a.getValue());
  switch (keyword) {
    case 'RUN':
      return { kind: 'RUN', command: content };
    case 'WORKDIR':
      return { kind: 'WORKDIR', dir: content };
    case 'ENV':
      return { kind: 'ENV', vars: Object.fromEntries((instruction as Env).getProperties().map((p) => [p.getName(), p.getValue() ?? ''])) };
    case 'COPY': {
      const from = (instruction as ModifiableInstruction)
        .getFlags()
        .find((f) => f.getName() === 'from')
        ?.getValue();
      return { kind: 'COPY', ...(from ? { from } : {}), sources: args.slice(0, -1), dest: args.at(-1) ?? '' };
    }
    case 'USER':
      return { kind: 'USER', user: content };
    case 'VOLUME':
      return { kind: 'VOLUME', paths: content.startsWith('[') ? execForm(keyword, content) : args };
    case 'EXPOSE':
      return { kind: 'EXPOSE', ports: args };
    case 'HEALTHCHECK': {
      if ((instruction as Healthcheck).getSubcommand()?.getValue().toUpperCase() !== 'CMD') throw new Error('HEALTHCHECK without CMD');
      return { kind: 'HEALTHCHECK', command: execForm(keyword, content.replace(/^CMD\s+/i, '')) };
    }
    case 'ENTRYPOINT':
      return { kind: 'ENTRYPOINT', args: execForm(keyword, content) };
    case 'CMD':
      return { kind: 'CMD', args: execForm(keyword, content) };
    default:
      throw new Error(`Dockerfile: ${keyword} is not an instruction e2e/support/dockerfile.ts knows; teach it before using it.`);
  }
}

export function parseDockerfile(path: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(readFileSync(path, 'utf8')).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = instruction as From;
      stages.push({ name: from.getBuildStage() ?? String(stages.length), image: from.getImage() ?? '', steps: [] });
      continue;
    }
    const current = stages.at(-1);
    if (!current) throw new Error('Dockerfile: an instruction before the first FROM');
    current.steps.push(step(instruction));
  }
  return stages;
}

/** The steps of one kind in a stage. */
export function stepsOf<K extends Step['kind']>(stage: Stage, kind: K): Extract<Step, { kind: K }>[] {
  return stage.steps.filter((s): s is Extract<Step, { kind: K }> => s.kind === kind);
}

/** One .dockerignore pattern as a regular expression over a context-relative path (`/` separators). */
function patternRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/^\/+|\/+$/g, '')
    .split(/(\*\*\/|\*\*|\*|\?)/)
    .map((part) => {
      if (part === '**/') return '(?:.*/)?';
      if (part === '**') return '.*';
      if (part === '*') return '[^/]*';
      if (part === '?') return '[^/]';
      return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  // A pattern that names a folder excludes (or re-includes) everything inside it too.
  return new RegExp(`^${body}(?:/.*)?$`);
}

/**
 * Whether .dockerignore leaves `relativePath` in the build context: the last matching pattern decides, `!`
 * re-includes (Docker's rules for the patterns this repository uses: `*`, `?`, `**`, leading `!`).
 */
export function dockerignoreFilter(text: string): (relativePath: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => (line.startsWith('!') ? { include: true, re: patternRegExp(line.slice(1)) } : { include: false, re: patternRegExp(line) }));
  return (relativePath) => {
    let included = true;
    for (const rule of rules) if (rule.re.test(relativePath)) included = rule.include;
    return included;
  };
}
