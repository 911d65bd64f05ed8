import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EncryptedFileSecretStore } from '../../secrets/encrypted-file-store.ts';
import { MemorySecretStore } from '../../secrets/memory-store.ts';
import type { SecretStore } from '../../secrets/secret-store.ts';
import { adminTestApp, TEST_MASTER_KEY as MASTER_KEY, type AdminTestApp } from '../test-admin-app.ts';
import { registerAdminSecretRoutes } from './admin-secrets.ts';

const OPENAI_KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';
const auth = { authorization: `Bearer ${MASTER_KEY}` };
const apps: AdminTestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((gateway) => gateway.close()));
});

/** These routes behind the real admin scope, in an app set up like http/app.ts. */
function appWith(store: SecretStore, onChange?: (name: string) => void) {
  const gateway = adminTestApp((scope) => registerAdminSecretRoutes(scope, () => store, onChange ? { onChange } : {}));
  apps.push(gateway);
  return gateway.app;
}

const put = (name: string, payload: unknown, headers: Record<string, string> = auth) => ({
  method: 'PUT' as const,
  url: `/admin/secrets/${name}`,
  headers: { 'content-type': 'application/json', ...headers },
  payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
});

describe('admin secret routes', () => {
  it('requires the admin key on every route, before reading the body', async () => {
    const app = appWith(new MemorySecretStore());
    for (const request of [
      { method: 'GET' as const, url: '/admin/secrets' },
      put('A', '{not json', {}),
      { method: 'DELETE' as const, url: '/admin/secrets/A' },
    ]) {
      const res = await app.inject(request);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.type).toBe('authentication_error');
    }
  });

  it('sets a secret and answers with its name and mask only', async () => {
    const store = new MemorySecretStore();
    const res = await appWith(store).inject(put('OPENAI_API_KEY', { value: OPENAI_KEY }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'OPENAI_API_KEY', masked: 'sk-…6789' });
    expect(res.body).not.toContain(OPENAI_KEY);
    expect(store.get('OPENAI_API_KEY')).toBe(OPENAI_KEY);
  });

  it('lists names with masked values, the backend and the weaker-protection flag', async () => {
    const store = new MemorySecretStore({ OPENAI_API_KEY: OPENAI_KEY, short: 'abc' });
    const res = await appWith(store).inject({ method: 'GET', url: '/admin/secrets', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      backend: 'memory',
      weaker_protection: false,
      secrets: [
        { name: 'OPENAI_API_KEY', masked: 'sk-…6789' },
        { name: 'short', masked: '****' },
      ],
    });
    expect(res.body).not.toContain(OPENAI_KEY);
  });

  it('flags the encrypted-file fallback as weaker protection for the dashboard', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-gateway-admin-secrets-'));
    try {
      const res = await appWith(new EncryptedFileSecretStore({ dir, env: {} })).inject({ method: 'GET', url: '/admin/secrets', headers: auth });
      expect(res.json()).toEqual({ backend: 'encrypted-file', weaker_protection: true, secrets: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('deletes by name, and answers an OpenAI-shaped 404 for an unknown one', async () => {
    const store = new MemorySecretStore({ A: 'value-123456789' });
    const app = appWith(store);
    const deleted = await app.inject({ method: 'DELETE', url: '/admin/secrets/A', headers: auth });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ deleted: 'A' });
    expect(store.list()).toEqual([]);
    const missing = await app.inject({ method: 'DELETE', url: '/admin/secrets/A', headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { message: 'There is no secret named `A`.', type: 'not_found_error', param: 'name', code: 'secret_not_found' } });
  });

  it('rejects invalid names and bodies with 400s that never repeat the value', async () => {
    const app = appWith(new MemorySecretStore());
    const badName = await app.inject(put('has%20space', { value: OPENAI_KEY }));
    expect(badName.statusCode).toBe(400);
    expect(badName.json().error.param).toBe('name');

    for (const body of [{}, { value: '' }, { value: 42 }, { value: OPENAI_KEY, extra: OPENAI_KEY }, `{"value": ${OPENAI_KEY}}`, `{"value": "${OPENAI_KEY}"`]) {
      const res = await app.inject(put('A', body));
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.type).toBe('invalid_request_error');
      expect(res.body).not.toContain('sk-proj');
    }
    const invalidJson = await app.inject(put('A', `{"value": ${OPENAI_KEY}}`));
    expect(invalidJson.json().error).toMatchObject({ code: 'invalid_json', message: 'The request body is not valid JSON; send {"value": "<the secret>"}.' });
  });

  it('reports each change, so the gateway can re-resolve its config', async () => {
    const changed: string[] = [];
    const app = appWith(new MemorySecretStore(), (name) => changed.push(name));
    await app.inject(put('A', { value: 'value-123456789' }));
    await app.inject({ method: 'DELETE', url: '/admin/secrets/A', headers: auth });
    await app.inject({ method: 'DELETE', url: '/admin/secrets/A', headers: auth });
    await app.inject({ method: 'GET', url: '/admin/secrets', headers: auth });
    expect(changed).toEqual(['A', 'A']);
  });

  it('turns a store failure into a 503 naming the secret, never the value', async () => {
    const failing: SecretStore = {
      backend: 'keychain',
      weakerProtection: false,
      get: () => undefined,
      set: (name) => {
        throw new Error(`OS keychain: could not store secret \`${name}\`: the collection is locked`);
      },
      delete: () => false,
      list: () => [],
    };
    const res = await appWith(failing).inject(put('OPENAI_API_KEY', { value: OPENAI_KEY }));
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toMatchObject({ code: 'secret_store_unavailable', type: 'service_unavailable' });
    expect(res.json().error.message).toContain('could not store secret `OPENAI_API_KEY`: the collection is locked');
    expect(res.body).not.toContain(OPENAI_KEY);
  });
});
