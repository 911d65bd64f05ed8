import { readFileSync } from 'node:fs';
import { ConfigError, type ConfigIssue } from './errors.ts';
import { unimplementedCallbackWarnings } from './logging-callbacks.ts';
import { isLlproxyConfig, llproxyToGatewayTree } from './llproxy.ts';
import { readPassThroughEndpoints, resolveHeaderReferences } from './llproxy-endpoints.ts';
import { formatPath } from './path.ts';
import { ENV_PREFIX, isPlainObject, parseReference, resolveReferences, type ReferenceResolvers, type ReferenceUse } from './resolve.ts';
import { validateConfig, type ValidationIssue } from './schema.ts';
import { parseYamlSource, type YamlSource } from './yaml-source.ts';
import type { GatewayConfig } from '../core/config-types.ts';

export { ConfigError, type ConfigIssue } from './errors.ts';

export interface LoadConfigOptions {
  /** Base environment for `os.environ/` references; default `process.env`. The file's environment_variables are laid over it. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Extra reference schemes by prefix, e.g. `{ 'keychain/': (name) => secrets.get(name) }`. `os.environ/` is
   * built in and always reads the merged environment (an entry for it here is ignored).
   */
  resolvers?: ReferenceResolvers;
}

export interface LoadedConfig {
  /** Validated config with references intact (`os.environ/…`), for export and for writing back. */
  raw: GatewayConfig;
  /** The same config with every reference replaced by its value (undefined when unset): what the gateway runs. */
  resolved: GatewayConfig;
  /** Human-readable, one per line: unknown keys, unset references, YAML remarks. */
  warnings: string[];
  /** The base environment overlaid with the file's environment_variables, for providers that read env vars. */
  env: Record<string, string | undefined>;
}

/**
 * Parses, validates and resolves config.yaml text. Throws ConfigError (naming `file`, each path, its line and
 * the fix) when the config cannot be used; everything merely surprising is a warning. Never touches process.env.
 */
export function parseConfig(text: string, file: string, options: LoadConfigOptions = {}): LoadedConfig {
  const parsed = parseYamlSource(text, file);
  // LLProxy's config.json (top-level `routes`) is read as the LiteLLM config it stands for.
  const source = isLlproxyConfig(parsed.tree) ? { ...parsed, tree: llproxyToGatewayTree(parsed.tree, file) } : parsed;
  const extra = options.resolvers ?? {};
  const baseEnv = options.env ?? process.env;

  // Pass 1, references intact: a reference is accepted wherever a value is, whatever the field's type.
  const known = { ...extra, [ENV_PREFIX]: () => undefined };
  const checkedRaw = validateConfig(source.tree, { isReference: (value) => parseReference(value, known) !== undefined });
  throwOnIssues(file, checkedRaw.issues, source, []);
  const raw = checkedRaw.config;

  // environment_variables may refer to the real environment; the result overlays it for everything else.
  const uses: ReferenceUse[] = [];
  const envSection = resolveReferences(raw.environment_variables, { ...extra, [ENV_PREFIX]: (name) => baseEnv[name] }, (use) =>
    uses.push({ ...use, path: ['environment_variables', ...use.path] }),
  );
  const env: Record<string, string | undefined> = { ...baseEnv };
  for (const [name, value] of Object.entries(envSection)) if (value !== undefined) env[name] = value;

  // Pass 2 on the source tree (not `raw`) so paths keep the keys the user wrote, e.g. llm_params.
  const resolvers = { ...extra, [ENV_PREFIX]: (name: string) => env[name] };
  let resolvedTree: unknown = source.tree;
  if (isPlainObject(source.tree)) {
    const { environment_variables: _written, ...rest } = source.tree;
    resolvedTree = { ...resolveReferences(rest, resolvers, (use) => uses.push(use)), environment_variables: envSection };
  }
  const checkedResolved = validateConfig(resolvedTree);
  throwOnIssues(file, checkedResolved.issues, source, uses);
  const missingInHeaders = resolveHeaderReferences(checkedResolved.config.general_settings, env);
  const passThrough = readPassThroughEndpoints(checkedResolved.config.general_settings.pass_through_endpoints);
  throwOnIssues(file, passThrough.issues, source, uses);

  const warnings = [
    ...source.warnings,
    ...checkedRaw.unknownKeys.map((path) => `${file}: unknown key \`${String(path[path.length - 1])}\` at ${formatPath(path)} is ignored`),
    ...uses.filter((use) => use.value === undefined).map((use) => unsetReferenceWarning(file, use)),
    ...unimplementedCallbackWarnings(file, source.tree),
    ...passThrough.warnings.map((warning) => `${file}: ${warning}`),
    ...missingInHeaders.map(
      (name) => `${file}: a pass_through_endpoints header refers to environment variable \`${name}\`, which is not set; it is sent empty`,
    ),
  ];
  return { raw, resolved: checkedResolved.config, warnings, env };
}

/** Reads and parses a config file; a missing or unreadable file is a ConfigError like any other problem. */
export function loadConfigFile(file: string, options: LoadConfigOptions = {}): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [{ path: '', message: readErrorMessage(error) }]);
  }
  return parseConfig(text, file, options);
}

function throwOnIssues(file: string, issues: readonly ValidationIssue[], source: YamlSource, uses: readonly ReferenceUse[]): void {
  if (issues.length === 0) return;
  throw new ConfigError(
    file,
    issues.map((issue) => toConfigIssue(issue, source, uses)),
  );
}

function toConfigIssue(issue: ValidationIssue, source: YamlSource, uses: readonly ReferenceUse[]): ConfigIssue {
  const path = formatPath(issue.path);
  // After resolution a bad value may come from the environment: say so, or the user looks for it in the file.
  const use = uses.find((candidate) => formatPath(candidate.path) === path);
  const origin = use === undefined ? '' : ` (the value comes from \`${use.reference}\`${use.value === undefined ? ', which is not set' : ''})`;
  const position = source.locate(issue.path);
  return { path, message: issue.message + origin, ...(position === undefined ? {} : { line: position.line, column: position.column }) };
}

function unsetReferenceWarning(file: string, use: ReferenceUse): string {
  const where = formatPath(use.path);
  if (use.prefix === ENV_PREFIX) {
    return `${file}: ${where} refers to environment variable \`${use.name}\`, which is not set — set it, or define it under environment_variables; the value is left empty`;
  }
  return `${file}: ${where} refers to \`${use.reference}\`, which was not found; the value is left empty`;
}

function readErrorMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return 'file not found — check the path, or create it; the smallest working config is `model_list: [{ model_name: mock-gpt, litellm_params: { model: mock/echo } }]`';
  }
  if (code === 'EISDIR') return 'is a folder, not a file — point to the config.yaml inside it';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied) — check the file permissions';
  return `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
}
