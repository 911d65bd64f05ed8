/**
 * LiteLLM's key management API, names and shapes unchanged so existing scripts keep working:
 * /key/generate, /key/info, /key/update, /key/delete, /key/list, /key/regenerate (and /key/{key}/regenerate).
 * Registered inside the admin scope (admin-scope.ts): every route takes the master key only, except /key/info,
 * the scope's named exception, which also answers a virtual key about itself.
 */
import type { FastifyInstance } from 'fastify';
import type { KeyStore } from '../../keys/key-store.ts';
import type {
  IssuedKey,
  KeyDeleteAnswer,
  KeyDeleteRequest,
  KeyInfoAnswer,
  KeyListAnswer,
  KeyObject,
  KeyRequestBody,
  KeyUpdateRequest,
  UpdatedKey,
} from '../../core/admin-api.ts';
import { issuedKeyJson, keyBodySchema, keyObject, settingsFromBody } from '../../keys/key-json.ts';
import type { VirtualKey } from '../../keys/virtual-key.ts';
import { GatewayError, badRequest } from '../../core/errors.ts';
import { adminCallerOf } from '../admin-scope.ts';

export interface KeyRouteDeps {
  keys: () => KeyStore;
  /** After every change (generate, update, delete, regenerate): e.g. to tell the dashboard. */
  onChange?: () => void;
}

interface ListQuery {
  page?: string;
  size?: string;
  key_alias?: string;
  user_id?: string;
  team_id?: string;
  return_full_object?: string;
}

const stringList = { type: 'array', items: { type: 'string', minLength: 1 } };
const digits = { type: 'string', pattern: '^[0-9]+$' };
const listQuerySchema = {
  type: 'object',
  properties: {
    page: digits,
    size: digits,
    key_alias: { type: 'string' },
    user_id: { type: 'string' },
    team_id: { type: 'string' },
    return_full_object: { type: 'string' },
  },
};

const keyNotFound = (param: string) => new GatewayError(404, 'Key not found.', { param, code: 'key_not_found' });

/** Query strings arrive as text (the app does not coerce types): FastAPI's boolean spellings. */
function queryFlag(value: string | undefined, param: string): boolean {
  if (value === undefined) return false;
  const v = value.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw badRequest(`\`${param}\` must be true or false.`, param);
}

function pageNumber(value: string | undefined, fallback: number, max: number, param: string): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw badRequest(`\`${param}\` must be a whole number from 1 to ${max}.`, param);
  return n;
}

export function registerKeyRoutes(app: FastifyInstance, deps: KeyRouteDeps): void {
  const changed = () => deps.onChange?.();
  /** A key as it stands now: a budget period that has ended is reset before anyone reads its spend. */
  const current = (store: KeyStore, key: VirtualKey) => {
    store.resetBudgetIfDue(key);
    return key;
  };

  app.post<{ Body: KeyRequestBody | undefined }>('/key/generate', { schema: { body: keyBodySchema() } }, async (request): Promise<IssuedKey> => {
    const body = request.body ?? {};
    const { rawKey, key } = deps.keys().generate({ ...settingsFromBody(body), key: body.key ?? null });
    changed();
    return issuedKeyJson(rawKey, key, body.duration);
  });

  app.get<{ Querystring: { key?: string } }>(
    '/key/info',
    { schema: { querystring: { type: 'object', properties: { key: { type: 'string' } } } } },
    async (request): Promise<KeyInfoAnswer> => {
      const store = deps.keys();
      const ref = request.query.key;
      const caller = adminCallerOf(request);
      if (caller.kind === 'master') {
        if (ref === undefined) throw badRequest('The master key is not a virtual key; name one with `?key=` (the raw key, its token hash or its id).', 'key');
        const key = store.find(ref);
        if (!key) throw keyNotFound('key');
        return { key: ref, info: keyObject(current(store, key)) };
      }
      const own = caller.key;
      if (ref !== undefined && store.find(ref)?.id !== own.id) {
        throw new GatewayError(403, 'A virtual key may read only its own info; the master key may read any.', { param: 'key', code: 'admin_only' });
      }
      return { key: ref ?? own.keyHash, info: keyObject(current(store, own)) };
    },
  );

  app.post<{ Body: KeyUpdateRequest }>('/key/update', { schema: { body: keyBodySchema(['key']) } }, async (request): Promise<UpdatedKey> => {
    const body = request.body;
    const key = deps.keys().update(body.key, settingsFromBody(body));
    changed();
    return { key: body.key, ...keyObject(key) };
  });

  app.post<{ Body: KeyDeleteRequest }>(
    '/key/delete',
    { schema: { body: { type: 'object', properties: { keys: stringList, key_aliases: stringList } } } },
    async (request): Promise<KeyDeleteAnswer> => {
      const store = deps.keys();
      const { keys = [], key_aliases: aliases = [] } = request.body ?? {};
      if (keys.length === 0 && aliases.length === 0) throw badRequest('Name the keys to delete: `{"keys": ["sk-…"]}` or `{"key_aliases": ["…"]}`.', 'keys');
      let deleted: string[];
      if (keys.length > 0) {
        deleted = store.delete(keys);
      } else {
        deleted = aliases.filter((alias) => store.findByAlias(alias).length > 0);
        store.delete(deleted.flatMap((alias) => store.findByAlias(alias).map((key) => key.id)));
      }
      if (deleted.length === 0) throw keyNotFound(keys.length > 0 ? 'keys' : 'key_aliases');
      changed();
      return { deleted_keys: deleted };
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/key/list',
    { schema: { querystring: listQuerySchema } },
    async (request): Promise<KeyListAnswer<KeyObject | string>> => {
      const store = deps.keys();
      const q = request.query;
      const page = pageNumber(q.page, 1, Number.MAX_SAFE_INTEGER, 'page');
      const size = pageNumber(q.size, 10, 100, 'size');
      const full = queryFlag(q.return_full_object, 'return_full_object');
      const { keys, total } = store.list({ keyAlias: q.key_alias, userId: q.user_id, teamId: q.team_id }, { page, size });
      return {
        keys: keys.map((key) => (full ? keyObject(current(store, key)) : key.keyHash)),
        total_count: total,
        current_page: page,
        total_pages: Math.ceil(total / size),
      };
    },
  );

  const regenerate = (ref: string, body: KeyRequestBody): IssuedKey => {
    const { rawKey, key } = deps.keys().regenerate(ref, { newKey: body.new_key ?? null, settings: settingsFromBody(body) });
    changed();
    return issuedKeyJson(rawKey, key, body.duration);
  };
  app.post<{ Body: KeyUpdateRequest }>('/key/regenerate', { schema: { body: keyBodySchema(['key']) } }, async (request) =>
    regenerate(request.body.key, request.body),
  );
  app.post<{ Params: { key: string }; Body: KeyRequestBody | undefined }>('/key/:key/regenerate', { schema: { body: keyBodySchema() } }, async (request) =>
    regenerate(request.params.key, { ...(request.body ?? {}), key: null }),
  );
}
