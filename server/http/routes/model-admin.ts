/**
 * LiteLLM's model management API: GET /model/info (and /v1/model/info), POST /model/new, /model/update,
 * /model/delete, PATCH /model/{id}/update. Changes go into config.yaml (the single source of truth, edited in
 * place, written atomically) and into the running router at once. Master key only. Answers never carry a
 * secret: references are shown as written, literal values masked (`sk-…abcd`).
 */
import type { FastifyInstance } from 'fastify';
import { ModelEditError, type ConfigFile, type ModelChange, type ModelPatch as ConfigModelPatch } from '../../config/config-file.ts';
import { maskParams } from '../../config/secret-params.ts';
import type {
  ModelDeleteAnswer,
  ModelDeleteRequest,
  ModelInfoAnswer,
  ModelInfoEntry,
  ModelPatch,
  ModelUpdateRequest,
  NewModelRequest,
  StoredModel,
} from '../../core/admin-api.ts';
import type { GatewayConfig, ModelEntry } from '../../core/config-types.ts';
import type { Deployment } from '../../providers/types.ts';
import { GatewayError } from '../../core/errors.ts';
import type { PriceBook } from '../../spend/price-book.ts';
import { unknownProviderOf } from '../../router/deployments.ts';
import type { Runtime } from '../runtime.ts';

export interface ModelAdminOptions {
  /** The config.yaml the gateway runs from; without one (`--model`) the routes that change models answer 409. */
  configFile?: ConfigFile | undefined;
  /** Puts a config into service: the gateway's reload. */
  reload?: ((config: GatewayConfig, env: Record<string, string | undefined>) => void) | undefined;
}

/** Free-form mapping; `additionalProperties` so the response serializer keeps every key. */
const object = { type: 'object', additionalProperties: true } as const;

const newBody = {
  type: 'object',
  required: ['model_name', 'litellm_params'],
  properties: {
    model_name: { type: 'string', minLength: 1 },
    litellm_params: { type: 'object', required: ['model'], properties: { model: { type: 'string', minLength: 1 } } },
    model_info: object,
  },
} as const;

/** Updates: null stands for "not given" (see givenOnly). */
const patchProperties = {
  model_name: { type: ['string', 'null'], minLength: 1 },
  litellm_params: { type: ['object', 'null'], properties: { model: { type: ['string', 'null'], minLength: 1 } } },
  model_info: { type: ['object', 'null'] },
} as const;

const updateBody = {
  type: 'object',
  required: ['model_info'],
  properties: { ...patchProperties, model_info: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1 } } } },
} as const;

const deleteBody = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1 } } } as const;

const modelAnswer = {
  type: 'object',
  required: ['model_id', 'model_name', 'litellm_params', 'model_info'],
  properties: { model_id: { type: 'string' }, model_name: { type: 'string' }, litellm_params: object, model_info: object },
  additionalProperties: true,
} as const;

const infoAnswer = {
  type: 'object',
  required: ['data'],
  properties: {
    data: {
      type: 'array',
      items: {
        type: 'object',
        required: ['model_name', 'litellm_params', 'model_info'],
        properties: { model_name: { type: 'string' }, litellm_params: object, model_info: object },
      },
    },
  },
} as const;

const deleteAnswer = { type: 'object', required: ['message'], properties: { message: { type: 'string' } } } as const;

const infoQuery = { type: 'object', properties: { litellm_model_id: { type: 'string' } } } as const;

export function registerModelAdminRoutes(app: FastifyInstance, runtime: Runtime, options: ModelAdminOptions = {}): void {
  const change = (run: (file: ConfigFile) => ModelChange): ModelChange => {
    const file = options.configFile;
    if (!file) {
      throw new GatewayError(
        409,
        'This gateway runs without a config file (it was started with --model), so there is no config.yaml to change. ' +
          'Start it with --config FILE (or without --model, to use config.yaml in the data folder) to manage models at runtime.',
        { code: 'no_config_file' },
      );
    }
    try {
      return run(file);
    } catch (error) {
      throw asGatewayError(error);
    }
  };
  const apply = (loaded: { resolved: GatewayConfig; env: Record<string, string | undefined> }) => options.reload?.(loaded.resolved, loaded.env);
  /**
   * A config file's entry whose provider is unknown is skipped at load (the rest serves); a model sent here is
   * refused instead, before the file is touched. `before`: the entry an update changes.
   */
  const refuseUnknownProvider = (params: Record<string, unknown> | null | undefined, before?: ModelEntry) => {
    const merged = { ...before?.litellm_params, ...Object.fromEntries(Object.entries(params ?? {}).filter(([, v]) => v !== null && v !== undefined)) };
    const { model, custom_llm_provider: custom } = merged;
    if (typeof model !== 'string' || model === '') return; // validation names what is missing
    const entry = { model_name: '', litellm_params: { model, ...(typeof custom === 'string' ? { custom_llm_provider: custom } : {}) } };
    const unknown = unknownProviderOf(entry, runtime.state.prices.table);
    if (unknown) throw new GatewayError(400, unknown.message, { param: 'litellm_params.model', code: 'invalid_model_config' });
  };

  for (const prefix of ['', '/v1']) {
    app.get<{ Querystring: { litellm_model_id?: string } }>(
      `${prefix}/model/info`,
      { schema: { querystring: infoQuery, response: { 200: infoAnswer } } },
      async (request): Promise<ModelInfoAnswer> => {
        const wanted = request.query.litellm_model_id;
        const deployments = runtime.state.router.deployments.filter((d) => wanted === undefined || d.id === wanted);
        if (wanted !== undefined && deployments.length === 0) {
          throw new GatewayError(404, `There is no model with id \`${wanted}\`.`, { param: 'litellm_model_id', code: 'model_not_found' });
        }
        return { data: deployments.map((d) => describeDeployment(d, options.configFile?.entry(d.id), runtime.state.prices)) };
      },
    );
  }

  app.post<{ Body: NewModelRequest }>('/model/new', { schema: { body: newBody, response: { 200: modelAnswer } } }, async (request): Promise<StoredModel> => {
    refuseUnknownProvider(request.body.litellm_params);
    return describeEntry(change((file) => file.addModel(request.body, apply)).entry);
  });

  app.post<{ Body: ModelUpdateRequest }>(
    '/model/update',
    { schema: { body: updateBody, response: { 200: modelAnswer } } },
    async (request): Promise<StoredModel> => {
      refuseUnknownProvider(request.body.litellm_params, options.configFile?.entry(request.body.model_info.id));
      return describeEntry(change((file) => file.updateModel(request.body.model_info.id, givenOnly(request.body), apply)).entry);
    },
  );

  app.patch<{ Params: { model_id: string }; Body: ModelPatch }>(
    '/model/:model_id/update',
    { schema: { body: { type: 'object', properties: patchProperties }, response: { 200: modelAnswer } } },
    async (request): Promise<StoredModel> => {
      refuseUnknownProvider(request.body?.litellm_params, options.configFile?.entry(request.params.model_id));
      return describeEntry(change((file) => file.updateModel(request.params.model_id, givenOnly(request.body ?? {}), apply)).entry);
    },
  );

  app.post<{ Body: ModelDeleteRequest }>(
    '/model/delete',
    { schema: { body: deleteBody, response: { 200: deleteAnswer } } },
    async (request): Promise<ModelDeleteAnswer> => {
      const { entry } = change((file) => file.deleteModel(request.body.id, apply));
      return { message: `Model: ${String(entry.model_info?.id)} deleted successfully` };
    },
  );
}

/**
 * A running deployment as /model/info shows it: litellm_params as written in config.yaml when it came from there;
 * model_info as written, plus where its price comes from (`cost_source`: price_table, deployment or unpriced, and
 * the table entry it is priced as). The prices themselves stay as written, so an edit never turns the table's
 * price into an override.
 */
function describeDeployment(deployment: Deployment, written: ModelEntry | undefined, prices: PriceBook): ModelInfoEntry {
  const params = written ? written.litellm_params : deployment.params;
  const pattern = deployment.upstreamModel.includes('*');
  return {
    model_name: deployment.modelName,
    // The model name is never a secret: maskParams leaves it as it is.
    litellm_params: { ...maskParams(params), model: params.model },
    model_info: {
      ...deployment.modelInfo,
      id: deployment.id,
      db_model: false,
      // A wildcard is priced per model it serves (each has its own entry), never as the pattern.
      cost_source: pattern ? 'per_model' : prices.priceOf(deployment).source,
      price_table_entry: pattern ? null : (prices.tableEntryOf(deployment) ?? null),
    },
  };
}

/** LiteLLM answers /model/new and /model/update with the stored row: model_id beside the entry. */
function describeEntry(entry: ModelEntry): StoredModel {
  const id = String(entry.model_info?.id);
  return {
    model_id: id,
    model_name: entry.model_name,
    litellm_params: { ...maskParams(entry.litellm_params), model: entry.litellm_params.model },
    model_info: { ...entry.model_info, id, db_model: false },
  };
}

/**
 * As in LiteLLM, an update changes what it names: `null` (which clients serialising a full params object send
 * for every field they leave alone) means "not given", never "remove".
 */
function givenOnly(body: ModelPatch): ConfigModelPatch {
  const compact = (values: Record<string, unknown> | null | undefined) =>
    values && Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null && value !== undefined));
  const params = compact(body.litellm_params);
  const info = compact(body.model_info);
  return {
    ...(typeof body.model_name === 'string' ? { model_name: body.model_name } : {}),
    ...(params ? { litellm_params: params } : {}),
    ...(info ? { model_info: info } : {}),
  };
}

function asGatewayError(error: unknown): unknown {
  if (!(error instanceof ModelEditError)) return error;
  switch (error.reason) {
    case 'invalid':
      return new GatewayError(400, error.message, { code: 'invalid_model_config' });
    case 'not_found':
      return new GatewayError(404, error.message, { param: 'id', code: 'model_not_found' });
    case 'conflict':
      return new GatewayError(409, error.message, { code: 'config_conflict' });
    case 'unavailable':
      return new GatewayError(503, error.message, { code: 'config_unavailable' });
  }
}
