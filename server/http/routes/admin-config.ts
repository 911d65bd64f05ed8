/**
 * The dashboard's config.yaml endpoints (master key only: registered inside the admin scope, admin-scope.ts):
 *
 * - GET  /admin/config/export       the running config.yaml, comments kept, secrets as references, never values;
 * - POST /admin/config/import       {yaml, apply?}: validate (and check it runs), diff, list the changes; apply
 *                                   it when asked — literal secrets to the SecretStore, file written atomically,
 *                                   put into service at once.
 *
 * Routing settings are in admin-routing.ts, the master key's rotation in admin-master-key.ts.
 *
 * An import goes through ConfigFile (checked before the file is touched, atomic write, becomes current so the
 * watcher does not load it twice) and the gateway's reload (config-file-route.ts). Without a config file
 * (`--model`) it answers 409, as /model/new does.
 */
import { createTwoFilesPatch } from 'diff';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Document } from 'yaml';
import { configChanges } from '../../config/config-changes.ts';
import type { ConfigFile } from '../../config/config-file.ts';
import { findLiteralSecrets, maskSecretsInText, moveSecretsToStore, placeholdersForSecrets, type MovedSecret } from '../../config/config-secrets.ts';
import { ConfigError } from '../../config/errors.ts';
import type { LoadedConfig } from '../../config/load.ts';
import { MASTER_KEY_REFERENCE } from '../../config/master-key.ts';
import type { PathSegment } from '../../config/path.ts';
import { isPlainObject } from '../../config/resolve.ts';
import type { ConfigChanges, ConfigImportRejection, ConfigImportRequest, ConfigImportResult, ImportIssue } from '../../core/admin-api.ts';
import type { GatewayConfig } from '../../core/config-types.ts';
import { parseYamlSource } from '../../config/yaml-source.ts';
import { redactSecrets } from '../../observe/mask.ts';
import { loadPriceTable } from '../../prices/price-table.ts';
import { buildDeployment, DeploymentError } from '../../router/deployments.ts';
import { ModelRouter } from '../../router/model-router.ts';
import { sendError, toGatewayError } from '../error-handler.ts';
import { GatewayError } from '../../core/errors.ts';
import { acceptJsonBodies } from '../json-body.ts';
import type { Runtime } from '../runtime.ts';
import { guarded, reloadWith, requireConfigFile } from './config-file-route.ts';
import type { ModelAdminOptions } from './model-admin.ts';

/** An imported config.yaml may be this large (JSON-encoded in the body); real ones are a few kilobytes. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

const RUNNING = 'config.yaml (running)';
const IMPORTED = 'config.yaml (imported)';

const importBody = {
  type: 'object',
  required: ['yaml'],
  properties: { yaml: { type: 'string' }, apply: { type: 'boolean' } },
} as const;

const NO_CHANGES: ConfigChanges = { models_added: [], models_removed: [], models_changed: [], settings_changed: [] };

export function registerAdminConfigRoutes(app: FastifyInstance, runtime: Runtime, options: ModelAdminOptions = {}): void {
  const reload = reloadWith(options);

  void app.register(async (scope) => {
    // A body that is not JSON is never quoted back: it may hold a key. Raw YAML is taken as is by the import.
    acceptJsonBodies(scope);
    scope.addContentTypeParser(['text/yaml', 'application/yaml', 'application/x-yaml'], { parseAs: 'string' }, (request, body, done) => {
      const apply = (request.query as Record<string, unknown> | undefined)?.apply;
      done(null, { yaml: String(body), ...(apply === 'true' || apply === '1' ? { apply: true } : {}) });
    });
    scope.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const limit = request.routeOptions.bodyLimit ?? MAX_IMPORT_BYTES;
      const error =
        err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' && request.routeOptions.url === '/admin/config/import'
          ? new GatewayError(
              413,
              `The imported config is larger than ${limit / 1048576} MB; a config.yaml is a few kilobytes — check that this is the right file.`,
              { param: 'yaml', code: 'request_too_large' },
            )
          : toGatewayError(err, limit);
      if (error.status >= 500 && !(err instanceof GatewayError)) runtime.logger.error({ err, url: request.url }, 'unexpected error');
      return sendError(reply, error);
    });

    scope.get('/admin/config/export', async (_request, reply) => {
      const text = options.configFile ? readFile(options.configFile) : generatedConfigText(runtime.state.config);
      return reply
        .type('text/yaml; charset=utf-8')
        .header('content-disposition', 'attachment; filename="config.yaml"')
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(exportText(text, options.configFile, runtime));
    });

    scope.post<{ Body: ConfigImportRequest }>(
      '/admin/config/import',
      {
        bodyLimit: MAX_IMPORT_BYTES,
        preValidation: async (request) => {
          if (request.body === undefined || request.body === null) {
            throw new GatewayError(
              400,
              'The request body is empty: send {"yaml": "<the config.yaml text>", "apply": false} (or the YAML itself as text/yaml).',
              { param: 'yaml', code: 'invalid_request' },
            );
          }
        },
        schema: { body: importBody },
      },
      async (request, reply): Promise<ConfigImportResult> => {
        const file = requireConfigFile(options);
        const text = request.body.yaml;
        if (text.trim() === '') {
          throw new GatewayError(400, 'The imported config.yaml is empty. Importing it would remove every model; send the whole file.', {
            param: 'yaml',
            code: 'empty_config',
          });
        }
        const current = readFile(file);
        const { loaded, issues } = checkImport(file, text, runtime);
        const secretValues = [...findLiteralSecrets(current), ...findLiteralSecrets(text)].map((spot) => spot.value);
        // jsdiff opens with a row of `=` (an svn-style separator); the unified diff starts at `---`.
        const diff = createTwoFilesPatch(RUNNING, IMPORTED, maskSecretsInText(current, secretValues), maskSecretsInText(text, secretValues)).replace(
          /^=+\n/,
          '',
        );
        if (!loaded || issues.length > 0) {
          const shown = issues.map((issue) => ({ ...issue, message: redactSecrets(issue.message, secretValues) }));
          const first = shown[0] ?? { path: '', message: 'the config is not valid' };
          const where = [first.path, first.line === undefined ? '' : `(line ${first.line})`].filter(Boolean).join(' ');
          const more = shown.length > 1 ? ` (and ${shown.length - 1} more ${shown.length === 2 ? 'problem' : 'problems'})` : '';
          const message = `The imported config.yaml is not valid, so nothing was changed: ${where ? `${where}: ` : ''}${first.message}${more}`;
          const rejection: ConfigImportRejection = {
            error: { message, type: 'invalid_request_error', param: 'yaml', code: 'invalid_config', issues: shown },
            valid: false,
            applied: false,
            diff,
            changes: NO_CHANGES,
            issues: shown,
          };
          return reply.code(400).send(rejection);
        }
        const before = tryCheck(file, current) ?? file.current;
        const changes = before
          ? configChanges(before.raw, loaded.raw)
          : { ...NO_CHANGES, models_added: loaded.raw.model_list.map((entry) => entry.model_name) };
        if (request.body.apply !== true) return { valid: true, applied: false, diff, changes };

        guarded(() =>
          file.rewrite(
            () => {
              const result = moveSecretsToStore(text, {
                store: runtime.services.secrets,
                logger: runtime.logger,
                modelIds: loaded.raw.model_list.map((entry) => String(entry.model_info?.id)),
                running: file.current?.raw,
              });
              const probe = result.moved.length > 0 ? tryCheck(file, result.text) : undefined;
              if (probe && !resolvesAll(probe, result.moved)) {
                result.undo();
                throw new GatewayError(
                  409,
                  `The imported config has secret values (${result.moved.map((secret) => secret.path.join('.')).join(', ')}), and config.yaml keeps only references, ` +
                    'but this gateway has no secret store its config can refer to. Replace them by os.environ/NAME references and import again.',
                  { code: 'no_secret_store' },
                );
              }
              return { text: result.text, undo: result.undo };
            },
            reload,
            { requireValid: false, describe: `replaced by an imported config (${describeChanges(changes)})` },
          ),
        );
        return { valid: true, applied: true, diff, changes };
      },
    );
  });
}

function readFile(file: ConfigFile): string {
  try {
    return file.readText();
  } catch (error) {
    if (error instanceof ConfigError) throw new GatewayError(409, error.message, { code: 'config_unavailable' });
    throw error;
  }
}

function tryCheck(file: ConfigFile, text: string): LoadedConfig | undefined {
  try {
    return file.check(text);
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}

/**
 * The export, with every literal secret replaced by a reference. Chosen: the value goes into the SecretStore (as
 * /model/new does with a raw api_key) and the copy says `keychain/NAME`, because the export is mostly a backup to
 * import again on this machine, where `keychain/NAME` keeps working with nothing to set up — an `os.environ/`
 * placeholder would leave a restored gateway without its keys (or its master key) until someone exported the
 * variables. config.yaml itself is not changed by a GET. Where no store can hold it (or the gateway's references
 * do not read the store), an `os.environ/NAME` placeholder with a comment naming it is written instead; text that
 * is not valid YAML keeps its secrets masked (`sk-…abcd`). References already in the file stay as written.
 */
function exportText(text: string, file: ConfigFile | undefined, runtime: Runtime): string {
  if (findLiteralSecrets(text).length === 0) return maskSecretsInText(text);
  const loaded = file ? tryCheck(file, text) : undefined;
  if (file && loaded) {
    let moved: ReturnType<typeof moveSecretsToStore> | undefined;
    try {
      moved = moveSecretsToStore(text, {
        store: runtime.services.secrets,
        logger: runtime.logger,
        modelIds: loaded.raw.model_list.map((entry) => String(entry.model_info?.id)),
      });
    } catch (error) {
      runtime.logger.warn(
        `Export: the secret store could not take config.yaml's secret values, so the export has os.environ/ placeholders: ${(error as Error).message}`,
      );
    }
    if (moved) {
      const check = tryCheck(file, moved.text);
      if (check && resolvesAll(check, moved.moved)) {
        runtime.logger.info(
          `Export: ${moved.moved.length} secret value(s) written in config.yaml were put into the secret store; the export refers to them (${moved.moved.map((s) => `keychain/${s.name}`).join(', ')}).`,
        );
        return moved.text;
      }
      moved.undo();
    }
  }
  try {
    return placeholdersForSecrets(text);
  } catch {
    return maskSecretsInText(text);
  }
}

/** A --model gateway has no file: the export is its config written out. */
function generatedConfigText(config: GatewayConfig): string {
  const tree: Record<string, unknown> = {
    model_list: config.model_list.map((entry) => ({
      model_name: entry.model_name,
      litellm_params: entry.litellm_params,
      ...(entry.model_info ? { model_info: entry.model_info } : {}),
    })),
  };
  for (const section of ['litellm_settings', 'router_settings', 'general_settings'] as const) {
    if (Object.keys(config[section]).length > 0) tree[section] = config[section];
  }
  return (
    '# Written by LLM Gateway from a gateway started with --model (it has no config.yaml).\n' +
    '# Save it as config.yaml and start with --config config.yaml to manage models and routing at runtime.\n' +
    new Document(tree, { version: '1.1' }).toString({ lineWidth: 0 })
  );
}

/** Parses, validates and builds the imported config the way reload does, without putting it into service. */
function checkImport(file: ConfigFile, text: string, runtime: Runtime): { loaded?: LoadedConfig; issues: ImportIssue[] } {
  let loaded: LoadedConfig;
  try {
    loaded = file.check(text);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { issues: error.issues.map((issue) => ({ path: issue.path, message: issue.message, ...(issue.line === undefined ? {} : { line: issue.line }) })) };
  }
  const issues: ImportIssue[] = [];
  const locate = lineFinder(text);
  const prices = loadPriceTable();
  const deployments = loaded.resolved.model_list.flatMap((entry, index) => {
    try {
      return [buildDeployment(entry, index, loaded.resolved, loaded.env, prices)];
    } catch (error) {
      if (!(error instanceof DeploymentError)) throw error;
      const message = error.message.startsWith(`${error.path}: `) ? error.message.slice(error.path.length + 2) : error.message;
      const line = locate(error.path);
      issues.push({ path: error.path, message, ...(line === undefined ? {} : { line }) });
      return [];
    }
  });
  if (issues.length === 0) {
    try {
      new ModelRouter(deployments);
    } catch (error) {
      issues.push({ path: 'model_list', message: (error as Error).message });
    }
  }
  // Applying it must not leave the gateway open, and the dashboard locked out.
  if (runtime.state.masterKey && !(loaded.resolved.general_settings.master_key || loaded.env.LITELLM_MASTER_KEY)) {
    const written = loaded.raw.general_settings.master_key;
    const line = locate('general_settings.master_key') ?? locate('general_settings');
    issues.push({
      path: 'general_settings.master_key',
      message:
        (written ? `refers to \`${written}\`, which is not set here` : 'is missing') +
        ' — this gateway has a master key, and without one the imported config would leave every endpoint open and the admin API off. ' +
        `Keep \`master_key: ${MASTER_KEY_REFERENCE}\` (or another reference that resolves here).`,
      ...(line === undefined ? {} : { line }),
    });
  }
  return { loaded, issues };
}

/** `model_list[0].litellm_params.model` → its line in `text` (or its nearest parent's). */
function lineFinder(text: string): (path: string) => number | undefined {
  let source: ReturnType<typeof parseYamlSource> | undefined;
  try {
    source = parseYamlSource(text, 'config.yaml');
  } catch {
    source = undefined;
  }
  return (path) => {
    const segments: PathSegment[] = [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) => (match[2] !== undefined ? Number(match[2]) : match[1]!));
    return source?.locate(segments)?.line;
  };
}

/** The value a path has once the config is resolved (`llm_params` and `llm_settings` are read as litellm_params / litellm_settings). */
function resolvedAt(loaded: LoadedConfig, path: readonly PathSegment[]): unknown {
  let node: unknown = loaded.resolved;
  path.forEach((segment, index) => {
    const alias = (index === 2 && path[0] === 'model_list' && segment === 'llm_params') || (index === 0 && segment === 'llm_settings');
    const key = alias ? String(segment).replace(/^llm_/, 'litellm_') : segment;
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isPlainObject(node)) node = node[String(key)];
    else node = undefined;
  });
  return node;
}

/** Each secret moved to the store comes back through the config's references (else the gateway would lose it). */
function resolvesAll(loaded: LoadedConfig, moved: readonly MovedSecret[]): boolean {
  return moved.every((secret) => resolvedAt(loaded, secret.path) === secret.value);
}

function describeChanges(changes: ConfigChanges): string {
  const parts = [
    [changes.models_added.length, 'added'],
    [changes.models_removed.length, 'removed'],
    [changes.models_changed.length, 'changed'],
  ]
    .filter(([count]) => count !== 0)
    .map(([count, what]) => `${count} ${what}`);
  return `${parts.length > 0 ? `models ${parts.join(', ')}` : 'no model changes'}; ${changes.settings_changed.length} settings changed`;
}
