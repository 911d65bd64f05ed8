import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signingSettingsOf } from '../aws/sign.ts';
import { sagemakerProvider } from '../sagemaker/index.ts';
import { bedrockProvider } from './index.ts';
import { bedrockDeployment } from './test-fixtures.ts';

const path = 'model_list[0].litellm_params';

describe('the Bedrock and SageMaker connections', () => {
  it('defaults to the region’s runtime host, the region from litellm_params, the environment, else us-west-2', () => {
    expect(bedrockProvider.resolveConnection({ model: 'bedrock/m', aws_region_name: 'eu-west-3' }, {}, path).apiBase).toBe(
      'https://bedrock-runtime.eu-west-3.amazonaws.com',
    );
    expect(bedrockProvider.resolveConnection({ model: 'bedrock/m' }, { AWS_REGION: 'ap-northeast-1' }, path).apiBase).toBe(
      'https://bedrock-runtime.ap-northeast-1.amazonaws.com',
    );
    // No shared config file either (the machine's ~/.aws/config could name a region).
    const noConfig = { AWS_CONFIG_FILE: join(tmpdir(), 'no-such-aws-config') };
    expect(bedrockProvider.resolveConnection({ model: 'bedrock/m' }, noConfig, path).apiBase).toBe('https://bedrock-runtime.us-west-2.amazonaws.com');
    expect(sagemakerProvider.resolveConnection({ model: 'sagemaker/e', aws_region_name: 'us-east-2' }, {}, path).apiBase).toBe(
      'https://runtime.sagemaker.us-east-2.amazonaws.com',
    );
  });

  it("takes the region of the deployment's AWS profile from the shared config file", () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-config-'));
    writeFileSync(join(dir, 'config'), '[profile eu]\nregion = eu-south-1\n');
    const env = { AWS_CONFIG_FILE: join(dir, 'config') };
    expect(bedrockProvider.resolveConnection({ model: 'bedrock/m', aws_profile_name: 'eu' }, env, path).apiBase).toBe(
      'https://bedrock-runtime.eu-south-1.amazonaws.com',
    );
    expect(sagemakerProvider.resolveConnection({ model: 'sagemaker/e' }, { ...env, AWS_PROFILE: 'eu' }, path).apiBase).toBe(
      'https://runtime.sagemaker.eu-south-1.amazonaws.com',
    );
  });

  it('takes aws_bedrock_runtime_endpoint or api_base as the runtime host, and a Bedrock API key from the environment', () => {
    expect(bedrockProvider.resolveConnection({ model: 'bedrock/m', aws_bedrock_runtime_endpoint: 'https://vpce-1.example.com/' }, {}, path).apiBase).toBe(
      'https://vpce-1.example.com',
    );
    expect(bedrockProvider.resolveConnection({ model: 'bedrock/m', api_base: 'http://127.0.0.1:9000' }, { AWS_BEARER_TOKEN_BEDROCK: 'ABSK1' }, path)).toEqual({
      apiBase: 'http://127.0.0.1:9000',
      apiKey: 'ABSK1',
    });
  });

  it('signs with AWS keys given in litellm_params even when the environment has a Bedrock API key', () => {
    const env = { AWS_BEARER_TOKEN_BEDROCK: 'ABSK1' };
    expect(bedrockProvider.resolveConnection({ model: 'bedrock/m', aws_access_key_id: 'K', aws_secret_access_key: 'S' }, env, path).apiKey).toBeUndefined();
    expect(bedrockProvider.resolveConnection({ model: 'bedrock/m', aws_profile_name: 'work' }, env, path).apiKey).toBeUndefined();
  });

  it('keeps the environment’s credentials for signing, out of the deployment', () => {
    const params = { model: 'bedrock/m' };
    const connection = bedrockProvider.resolveConnection(
      params,
      { AWS_ACCESS_KEY_ID: 'ENVKEY', AWS_SECRET_ACCESS_KEY: 'envsecret', AWS_REGION: 'eu-north-1' },
      path,
    );
    expect(JSON.stringify(connection)).not.toContain('envsecret');
    expect(signingSettingsOf(bedrockDeployment({ params }))).toEqual({
      region: 'eu-north-1',
      credentials: { accessKeyId: 'ENVKEY', secretAccessKey: 'envsecret' },
    });
  });

  it('probes health with a one-token Converse call', () => {
    const probe = bedrockProvider.healthProbe!(bedrockDeployment());
    expect(probe.url).toBe('https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse');
    expect(JSON.parse(probe.body!)).toEqual({ messages: [{ role: 'user', content: [{ text: 'ping' }] }], inferenceConfig: { maxTokens: 1 } });
  });
});
