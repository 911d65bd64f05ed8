/**
 * For route tests: a bare Fastify app set up as app.ts sets up the gateway's (the same ajv options, error
 * rendering and JSON body parser) with the routes under test registered behind the real admin scope, checking
 * the master key against a real KeyStore on an in-memory database.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { KeyStore } from '../keys/key-store.ts';
import { createLogger } from '../observe/logger.ts';
import { openDatabase, type Db } from '../store/database.ts';
import { registerAdminScope } from './admin-scope.ts';
import { registerErrorHandling } from './error-handler.ts';
import { acceptJsonBodies } from './json-body.ts';

export const TEST_MASTER_KEY = 'sk-master-0123456789';
const BODY_LIMIT = 1 << 20;

export interface AdminTestApp {
  app: FastifyInstance;
  keys: KeyStore;
  db: Db;
  /** Closes the app and its database. */
  close: () => Promise<void>;
}

/** `masterKey: undefined` builds a gateway without one (no admin API). */
export function adminTestApp(
  routes: (scope: FastifyInstance, store: { keys: KeyStore; db: Db }) => void,
  options: { masterKey?: string | undefined } = { masterKey: TEST_MASTER_KEY },
): AdminTestApp {
  const db = openDatabase(':memory:');
  const keys = new KeyStore(db);
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT, ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false } } });
  registerErrorHandling(app, createLogger({ level: 'silent', destination: null }).logger, BODY_LIMIT);
  acceptJsonBodies(app);
  registerAdminScope(app, { masterKey: () => options.masterKey, keys: () => keys }, (scope) => routes(scope, { keys, db }));
  return {
    app,
    keys,
    db,
    close: async () => {
      await app.close();
      db.close();
    },
  };
}
