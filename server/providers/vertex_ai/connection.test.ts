import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDeployment } from '../../test-support/fixtures.ts';
import { DeploymentError } from '../deployment-error.ts';
import { authorizeVertexRequest, modelUrl, resolveVertexConnection } from './connection.ts';

const PATH = 'model_list[0].litellm_params';
const KEY_FILE = {
  type: 'service_account',
  project_id: 'from-key-file',
  private_key: '-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n',
  client_email: 'sa@from-key-file.iam.gserviceaccount.com',
};

describe('resolveVertexConnection', () => {
  it('builds the location URL from vertex_project and vertex_location, the credentials text as the key', () => {
    const c = resolveVertexConnection(
      { model: 'vertex_ai/gemini-2.5-flash', vertex_project: 'proj', vertex_location: 'europe-west4', vertex_credentials: JSON.stringify(KEY_FILE) },
      {},
      PATH,
    );
    expect(c.apiBase).toBe('https://europe-west4-aiplatform.googleapis.com/v1/projects/proj/locations/europe-west4');
    expect(JSON.parse(c.apiKey ?? '')).toEqual(KEY_FILE);
  });

  it("reads a key file path, takes the project from the file and LiteLLM's environment variables for the location; global has no region host", () => {
    const dir = mkdtempSync(join(tmpdir(), 'vertex-'));
    const file = join(dir, 'sa.json');
    writeFileSync(file, JSON.stringify(KEY_FILE));
    const c = resolveVertexConnection({ model: 'vertex_ai/claude-sonnet-4-5', vertex_credentials: file }, { VERTEXAI_LOCATION: 'global' }, PATH);
    expect(c.apiBase).toBe('https://aiplatform.googleapis.com/v1/projects/from-key-file/locations/global');
    // Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS names the file.
    const adc = resolveVertexConnection({ model: 'vertex_ai/gemini-2.5-flash' }, { GOOGLE_APPLICATION_CREDENTIALS: file, VERTEXAI_PROJECT: 'env-proj' }, PATH);
    expect(adc.apiBase).toBe('https://us-central1-aiplatform.googleapis.com/v1/projects/env-proj/locations/us-central1');
    expect(adc.apiKey).toBe(JSON.stringify(KEY_FILE));
  });

  it('takes api_base as the model resource URL, as LiteLLM does', () => {
    const c = resolveVertexConnection({ model: 'vertex_ai/gemini-2.5-flash', api_base: 'https://proxy.test/v1/models/gem/', api_key: 'ya29.token' }, {}, PATH);
    expect(c).toEqual({ apiBase: 'https://proxy.test/v1/models/gem', apiKey: 'ya29.token' });
    const d = testDeployment({ provider: 'vertex_ai', apiBase: c.apiBase, params: { model: 'x', api_base: 'https://proxy.test/v1/models/gem/' } });
    expect(modelUrl(d, 'google')).toBe('https://proxy.test/v1/models/gem');
  });

  it('names the key to fix: no project, an unreadable file, credentials of no known type', () => {
    const err = (params: Record<string, unknown>) => {
      try {
        resolveVertexConnection({ model: 'vertex_ai/m', ...params }, {}, PATH);
      } catch (e) {
        expect(e).toBeInstanceOf(DeploymentError);
        return (e as DeploymentError).message;
      }
      throw new Error('expected a DeploymentError');
    };
    expect(err({ vertex_credentials: JSON.stringify({ ...KEY_FILE, project_id: undefined }) })).toMatch(/^model_list\[0\]\.litellm_params\.vertex_project: /);
    expect(err({ vertex_project: 'p', vertex_credentials: '/nonexistent/sa.json' })).toMatch(
      /vertex_credentials: cannot read the credentials file \/nonexistent\/sa.json: ENOENT/,
    );
    expect(err({ vertex_project: 'p', vertex_credentials: '{"type":"external_account"}' })).toMatch(/vertex_credentials: .*external_account/);
    expect(err({ vertex_project: 'p', vertex_credentials: '{"type":"service_account"}' })).toMatch(/no `client_email`/);
  });

  it('takes Model Garden partner models (served by partner-openapi.ts and partner-mistral.ts)', () => {
    const c = resolveVertexConnection(
      { model: 'vertex_ai/meta/llama-3.1-405b-instruct-maas', vertex_project: 'p', vertex_location: 'us-east5', api_key: 't' },
      {},
      PATH,
    );
    expect(c.apiBase).toBe('https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5');
  });
});

describe('authorizeVertexRequest', () => {
  const req = { url: 'https://x.test', method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: '{}' };

  it('sends an api_key as the access token, as it is', async () => {
    const out = await authorizeVertexRequest(req, testDeployment({ provider: 'vertex_ai', apiKey: 'ya29.given' }));
    expect(out.headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer ya29.given' });
  });

  it('without credentials is a 401 saying what to set', async () => {
    await expect(authorizeVertexRequest(req, testDeployment({ provider: 'vertex_ai', apiKey: undefined }))).rejects.toThrow(/vertex_credentials/);
  });

  it('keeps an authorization header the deployment configured', async () => {
    const out = await authorizeVertexRequest(
      { ...req, headers: { authorization: 'Bearer mine' } },
      testDeployment({ provider: 'vertex_ai', apiKey: undefined }),
    );
    expect(out.headers.authorization).toBe('Bearer mine');
  });
});
