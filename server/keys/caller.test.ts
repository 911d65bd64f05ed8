import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayError } from '../core/errors.ts';
import { openDatabase, type Db } from '../store/database.ts';
import { identifyCaller, requireAdminCaller } from './caller.ts';
import { KeyStore } from './key-store.ts';

const MASTER = 'sk-master-0123456789';
const dbs: Db[] = [];
afterEach(() => dbs.splice(0).forEach((db) => db.close()));

function keyStore(): KeyStore {
  const db = openDatabase(':memory:');
  dbs.push(db);
  return new KeyStore(db);
}

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return `${(err as GatewayError).status} ${(err as GatewayError).code}`;
  }
  return 'no error';
};

describe('identifyCaller', () => {
  it('with a master key: master, a virtual key from any of the three headers, or 401', () => {
    const keys = keyStore();
    const { rawKey, key } = keys.generate();
    expect(identifyCaller({ authorization: `Bearer ${MASTER}` }, MASTER, keys)).toEqual({ kind: 'master' });
    for (const headers of [{ authorization: `Bearer ${rawKey}` }, { 'x-api-key': rawKey }, { 'api-key': rawKey }]) {
      expect(identifyCaller(headers, MASTER, keys)).toEqual({ kind: 'virtual', key });
    }
    expect(codeOf(() => identifyCaller({}, MASTER, keys))).toBe('401 missing_api_key');
    expect(codeOf(() => identifyCaller({ authorization: 'Bearer sk-wrong' }, MASTER, keys))).toBe('401 invalid_api_key');
    keys.update(key.id, { blocked: true });
    expect(codeOf(() => identifyCaller({ authorization: `Bearer ${rawKey}` }, MASTER, keys))).toBe('401 key_blocked');
  });

  it('without a master key: open, but a virtual key still counts as itself', () => {
    const keys = keyStore();
    const { rawKey, key } = keys.generate();
    expect(identifyCaller({}, undefined, keys)).toEqual({ kind: 'open' });
    expect(identifyCaller({ authorization: 'Bearer anything' }, undefined, keys)).toEqual({ kind: 'open' });
    expect(identifyCaller({ authorization: `Bearer ${rawKey}` }, undefined, keys)).toEqual({ kind: 'virtual', key });
  });

  it('admin routes take only the master key', () => {
    const keys = keyStore();
    const { key } = keys.generate();
    expect(() => requireAdminCaller({ kind: 'master' })).not.toThrow();
    expect(codeOf(() => requireAdminCaller({ kind: 'virtual', key }))).toBe('403 admin_only');
    expect(codeOf(() => requireAdminCaller({ kind: 'open' }))).toBe('401 master_key_not_set');
  });
});
