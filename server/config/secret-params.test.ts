import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MemorySecretStore } from '../secrets/memory-store.ts';
import { secretResolvers } from '../secrets/secret-resolvers.ts';
import { ConfigFile } from './config-file.ts';
import { literalSecrets, maskParams } from './secret-params.ts';

/** A service-account key file's contents as pasted into the dashboard: several lines of JSON. */
const KEY_JSON = `{
  "type": "service_account",
  "project_id": "acme-prod",
  "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQ-not-a-real-key\\n-----END PRIVATE KEY-----\\n",
  "client_email": "gateway@acme-prod.iam.gserviceaccount.com"
}`;

const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('literalSecrets: the AWS, Vertex and Azure settings the form sends', () => {
  it('finds AWS keys, session tokens, Entra ID tokens and key-file JSON; regions and profiles are not secrets', () => {
    const params = {
      aws_access_key_id: 'AKIAIOSFODNN7EXAMPLE',
      aws_secret_access_key: AWS_SECRET,
      aws_session_token: 'FwoGZXIvYXdzEXAMPLE',
      aws_region_name: 'eu-west-1',
      aws_profile_name: 'prod',
      azure_ad_token: 'eyJ0eXAiOiJKV1Qi.example',
      vertex_credentials: KEY_JSON,
      vertex_project: 'acme-prod',
    };
    expect(literalSecrets(params).map((s) => s.path[0])).toEqual([
      'aws_access_key_id',
      'aws_secret_access_key',
      'aws_session_token',
      'azure_ad_token',
      'vertex_credentials',
    ]);
  });

  it('a key file path in vertex_credentials is where the secret is, not the secret: it stays a literal, shown as written', () => {
    for (const path of ['/etc/gateway/sa.json', '~/keys/sa.json', './sa.json', '../keys/sa', 'C:\\keys\\sa.json', 'D:/keys/sa.json', 'sa key.json']) {
      expect(literalSecrets({ vertex_credentials: path }), path).toEqual([]);
      expect(maskParams({ vertex_credentials: path }).vertex_credentials).toBe(path);
    }
  });

  it('JSON contents, on one line or several, and anything that is not path-shaped stay secrets', () => {
    for (const value of [KEY_JSON, '{"type":"service_account"}', 'ya29.a0AfH6SMBexample', '/path/one\n/path/two']) {
      expect(literalSecrets({ vertex_credentials: value }).map((s) => s.value)).toEqual([value]);
    }
    expect(maskParams({ vertex_credentials: KEY_JSON }).vertex_credentials).not.toContain('PRIVATE KEY');
  });

  it('references typed into a field are kept as written', () => {
    expect(literalSecrets({ aws_secret_access_key: 'keychain/aws-prod', vertex_credentials: 'os.environ/SA_JSON' })).toEqual([]);
  });
});

describe('ConfigFile.addModel with the settings of the provider fields', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function configFile() {
    const dir = mkdtempSync(join(tmpdir(), 'provider-secrets-'));
    dirs.push(dir);
    const path = join(dir, 'config.yaml');
    writeFileSync(path, 'model_list: []\n');
    const store = new MemorySecretStore();
    const file = new ConfigFile(path, { env: {}, secrets: store, resolvers: secretResolvers(store) });
    file.load();
    const written = () => parse(readFileSync(path, 'utf8')) as { model_list: { model_name: string; litellm_params: Record<string, unknown> }[] };
    return { file, store, path, written };
  }

  it('keeps AWS keys and pasted key-file JSON in the store, config.yaml holding keychain/ references; a key file path stays', () => {
    const { file, store, path, written } = configFile();
    file.addModel({
      model_name: 'claude',
      litellm_params: {
        model: 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0',
        aws_region_name: 'eu-west-1',
        aws_access_key_id: 'AKIAIOSFODNN7EXAMPLE',
        aws_secret_access_key: AWS_SECRET,
      },
    });
    file.addModel({ model_name: 'gemini', litellm_params: { model: 'vertex_ai/gemini-2.5-flash', vertex_credentials: KEY_JSON } });
    file.addModel({ model_name: 'gemini-file', litellm_params: { model: 'vertex_ai/gemini-2.5-flash', vertex_credentials: '/etc/gateway/sa.json' } });

    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(AWS_SECRET);
    expect(text).not.toContain('PRIVATE KEY');
    const [claude, gemini, geminiFile] = written().model_list;
    expect(claude?.litellm_params).toEqual({
      model: 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0',
      aws_region_name: 'eu-west-1',
      aws_access_key_id: 'keychain/bedrock-anthropic.claude-3-5-sonnet-20240620-v1-0-aws-access-key-id',
      aws_secret_access_key: 'keychain/bedrock-anthropic.claude-3-5-sonnet-20240620-v1-0-aws-secret-access-key',
    });
    expect(store.get('bedrock-anthropic.claude-3-5-sonnet-20240620-v1-0-aws-secret-access-key')).toBe(AWS_SECRET);
    expect(gemini?.litellm_params.vertex_credentials).toBe('keychain/vertex-ai-gemini-2.5-flash-vertex-credentials');
    expect(store.get('vertex-ai-gemini-2.5-flash-vertex-credentials')).toBe(KEY_JSON);
    expect(geminiFile?.litellm_params.vertex_credentials).toBe('/etc/gateway/sa.json');
  });
});
