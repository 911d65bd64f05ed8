/**
 * Admin API for provider secrets: list names with masked values, set and delete by name. A value goes in
 * (PUT) and never comes out: responses carry names and `sk-…abcd` masks only, and a malformed body is not
 * quoted back in the error (JSON.parse's message would repeat part of it).
 */
import type { FastifyInstance } from 'fastify';
import type { DeletedSecret, MaskedSecret, SecretList, SecretValueRequest } from '../../core/admin-api.ts';
import { maskSecret } from '../../observe/mask.ts';
import { SECRET_NAME_PATTERN, SecretNameError, type SecretStore } from '../../secrets/secret-store.ts';
import { GatewayError } from '../../core/errors.ts';
import { acceptJsonBodies } from '../json-body.ts';

const MAX_VALUE_LENGTH = 16_384;

const nameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: SECRET_NAME_PATTERN.source } },
} as const;

const maskedSecret = {
  type: 'object',
  required: ['name', 'masked'],
  properties: { name: { type: 'string' }, masked: { type: 'string' } },
} as const;

const listResponse = {
  type: 'object',
  required: ['backend', 'weaker_protection', 'secrets'],
  properties: {
    backend: { type: 'string', enum: ['keychain', 'encrypted-file', 'memory'] },
    weaker_protection: { type: 'boolean' },
    secrets: { type: 'array', items: maskedSecret },
  },
} as const;

const putBody = {
  type: 'object',
  required: ['value'],
  additionalProperties: false,
  properties: { value: { type: 'string', minLength: 1, maxLength: MAX_VALUE_LENGTH } },
} as const;

const deletedResponse = { type: 'object', required: ['deleted'], properties: { deleted: { type: 'string' } } } as const;

interface NameParams {
  name: string;
}

export interface AdminSecretRouteOptions {
  /**
   * Called after a secret was set or deleted, e.g. to re-resolve config.yaml so `keychain/NAME` references pick
   * up the new value. Must not throw: the change is already stored.
   */
  onChange?: (name: string) => void;
}

/**
 * Registers GET /admin/secrets, PUT /admin/secrets/:name and DELETE /admin/secrets/:name (inside the admin scope,
 * which checks the master key before the body is read) in their own encapsulated context, whose JSON parser
 * never quotes the body back and says what to send instead.
 */
export function registerAdminSecretRoutes(app: FastifyInstance, getStore: () => SecretStore, options: AdminSecretRouteOptions = {}): void {
  void app.register(async (scope) => {
    acceptJsonBodies(scope, 'send {"value": "<the secret>"}');

    scope.get('/admin/secrets', { schema: { response: { 200: listResponse } } }, async (): Promise<SecretList> => {
      const store = getStore();
      const secrets = useStore(() => store.list().map((name) => ({ name, masked: maskedValue(store, name) })));
      return { backend: store.backend, weaker_protection: store.weakerProtection, secrets };
    });

    scope.put<{ Params: NameParams; Body: SecretValueRequest }>(
      '/admin/secrets/:name',
      { schema: { params: nameParams, body: putBody, response: { 200: maskedSecret } } },
      async (request): Promise<MaskedSecret> => {
        const { name } = request.params;
        const { value } = request.body;
        useStore(() => getStore().set(name, value));
        options.onChange?.(name);
        return { name, masked: maskSecret(value) };
      },
    );

    scope.delete<{ Params: NameParams }>(
      '/admin/secrets/:name',
      { schema: { params: nameParams, response: { 200: deletedResponse } } },
      async (request): Promise<DeletedSecret> => {
        const { name } = request.params;
        if (!useStore(() => getStore().delete(name))) {
          throw new GatewayError(404, `There is no secret named \`${name}\`.`, { param: 'name', code: 'secret_not_found' });
        }
        options.onChange?.(name);
        return { deleted: name };
      },
    );
  });
}

function maskedValue(store: SecretStore, name: string): string {
  const value = store.get(name);
  return value === undefined ? '' : maskSecret(value);
}

/**
 * Store failures (locked keychain, undecryptable file) become 503s carrying the store's message, which names
 * the secret or the file but never a value; a bad name (past the route schema) is a 400.
 */
function useStore<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    if (error instanceof SecretNameError) throw new GatewayError(400, error.message, { param: 'name', code: 'invalid_secret_name' });
    throw new GatewayError(503, `The secret store is unavailable: ${error instanceof Error ? error.message : String(error)}`, {
      code: 'secret_store_unavailable',
    });
  }
}
